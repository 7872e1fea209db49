/** The boot script, inlined at the end of index.html's <body> by the build (vite.config.ts).
 *
 *  Everywhere: applies the saved theme and loads the app (the module script is injected from
 *  here instead of a static tag).
 *
 *  On Quick Show (/show, /show/<pet>) it first paints the certificate itself, in plain DOM,
 *  before the app's JavaScript is even fetched: the door moment must not wait for React.
 *    - From the device (door mode's IndexedDB): works offline, takes a few milliseconds.
 *    - From the network when the device has nothing (first visit, new record): refresh the
 *      access token if it is stale, ask /api/quick-show, download the certificate.
 *  Then the app loads and takes over the same screen (it picks up what was painted, see
 *  features/quick-show), keeping the certificate on screen without a flash. */
import type { QuickShow, RefreshedTokens } from "@/lib/api-types";
import { todayIn } from "@/lib/dates";
import { DOOR_CACHED_HINT, DOOR_FILE_PATH } from "@/lib/door-keys";
import {
  readFile,
  readPicks,
  readSnapshot,
  type DoorFile,
  type DoorPet,
  type DoorPicks,
  type DoorSnapshot,
} from "@/lib/door-store";
import { PAINTED_MARK } from "@/lib/perf";
import { doorOrder } from "@/lib/quick-pick";
import { accessTokenFresh, getSession, sessionAfterRefresh, setSession, type Session } from "@/lib/session";
import { recordStatus, STATUS_WORD, type Status } from "@/lib/status";

/** What the app's door takes over (features/quick-show/hooks/use-door.ts). */
export interface DoorBoot {
  path: string;
  snapshot: DoorSnapshot | null;
  /** The live answer of /api/quick-show and its download, when the network was asked. */
  live: Promise<LiveAnswer> | null;
  /** The same answer once it has arrived (the app starts from it without waiting). */
  answer: LiveAnswer | null;
  /** The picks the first paint came from (localStorage), until the snapshot is read. */
  picks: DoorPicks | null;
  /** Object URLs already painted, by record id: reused so the image stays decoded. */
  urls: Record<string, string>;
  files: Record<string, DoorFile>;
}

export type LiveAnswer = QuickShow & { blob?: Promise<Blob> };

declare global {
  interface Window {
    __petshotsBoot?: DoorBoot;
  }
}

const DOOR_PATH = /^\/show(?:\/([0-9a-fA-F-]{36}))?\/?$/;
/** Give up on painting before the app (a hung request): the app shows its own progress. */
const APP_DEADLINE_MS = 8000;

const ICON_PATHS: Record<Status, string> = {
  expired: '<path d="M12 3 2.5 20h19L12 3Z"/><path d="M12 10v4.5M12 17.6v.1"/>',
  due_soon: '<circle cx="12" cy="12" r="9.5"/><path d="M12 7v5.5l3.5 2"/>',
  current: '<circle cx="12" cy="12" r="9.5"/><path d="m7.5 12.5 3 3 6-6.5"/>',
  no_expiry: '<circle cx="12" cy="12" r="9.5"/><path d="M8 12h8"/>',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

interface PaintInput {
  petName: string;
  docId: string;
  label: string;
  expiresOn: string | null;
  status: Status;
  url: string;
}

/** The door's first frame, in the same markup and classes the app renders. */
export function doorMarkup(p: PaintInput): string {
  const icon = `<svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${ICON_PATHS[p.status]}</svg>`;
  const expiry = p.expiresOn
    ? `Expires <strong>${escapeHtml(formatDay(p.expiresOn))}</strong>`
    : "No expiry date";
  return (
    `<div class="door"><header class="door__bar"><a class="door__close" href="/" aria-label="Close Quick Show">` +
    `<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg></a>` +
    `<div class="door__who"><h1 class="door__pet">${escapeHtml(p.petName)}</h1></div></header>` +
    `<main class="door__main" id="main"><section class="door__facts"><p class="door__label">${escapeHtml(p.label)}</p>` +
    `<span class="status status--${p.status} status--lg">${icon}<span>${STATUS_WORD[p.status]}</span></span>` +
    `<p class="door__expiry">${expiry}</p></section>` +
    `<ol class="door__track"><li class="door__slide"><div class="cert">` +
    `<img class="cert__image" elementtiming="certificate" decoding="sync" alt="${escapeHtml(p.label)} certificate" src="${p.url}">` +
    `</div></li></ol></main></div>`
  );
}

/** The record the door shows first, from what the device saved. */
export function pickFromSnapshot(
  snapshot: DoorSnapshot,
  petId: string | null,
): { pet: DoorPet; docId: string } | null {
  const pets = snapshot.pets.filter((p) => p.docs.length > 0);
  const pet = petId ? pets.find((p) => p.id === petId) : pets[0];
  const first = pet ? doorOrder(pet.docs)[0] : undefined;
  return pet && first ? { pet, docId: first.id } : null;
}

async function accessToken(session: Session): Promise<string | null> {
  if (accessTokenFresh(session)) return session.accessToken;
  // Stale (the app was last opened over an hour ago): refresh here, for the app too.
  const res = await fetch("/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh_token: session.refreshToken }),
  });
  if (!res.ok) return null; // the app deals with an ended session
  const next = sessionAfterRefresh(session, (await res.json()) as RefreshedTokens);
  setSession(next);
  return next.accessToken;
}

function okOrThrow(res: Response): Response {
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res;
}

function boot(script: HTMLScriptElement | null): void {
  const root = document.documentElement;
  const theme = localStorage.getItem("petshots.theme");
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;

  let appLoaded = false;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const loadApp = () => {
    if (appLoaded) return;
    appLoaded = true;
    clearTimeout(deadline);
    const src = script?.dataset.main;
    if (!src) return; // dev server: Vite injects the module itself
    const s = document.createElement("script");
    s.type = "module";
    s.crossOrigin = "";
    s.src = src;
    document.body.appendChild(s);
  };

  performance.mark("petshots:boot");
  const match = DOOR_PATH.exec(location.pathname);
  const session = match ? getSession() : null;
  if (!match || !session) return loadApp();

  const petId = match[1] ?? null;
  const path = petId ? `/api/quick-show?pet_id=${petId}` : "/api/quick-show";
  const state: DoorBoot = {
    path,
    snapshot: null,
    live: null,
    answer: null,
    picks: null,
    urls: {},
    files: {},
  };
  window.__petshotsBoot = state;
  // A safety net only: the app loads right after the first paint, or when the boot gives up.
  deadline = setTimeout(loadApp, APP_DEADLINE_MS);

  let painted: string | null = null;
  const paint = (input: PaintInput, onFail: () => void = loadApp) => {
    const host = document.getElementById("root");
    if (!host || appLoaded) return;
    painted = input.docId;
    host.innerHTML = doorMarkup(input);
    performance.mark("petshots:boot-dom");
    const img = host.querySelector("img");
    const done = () => {
      performance.mark("petshots:boot-decoded");
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          root.dataset.certificate = input.docId;
          if (!performance.getEntriesByName(PAINTED_MARK).length) {
            performance.mark(PAINTED_MARK, { detail: { docId: input.docId, by: "boot" } });
          }
          loadApp();
        }),
      );
    };
    if (img) img.decode().then(done, onFail);
    else onFail();
  };

  // Fastest: the pick's facts from localStorage and its image from the service worker's cache,
  // painted synchronously, right now. IndexedDB is read meanwhile for the app to take over.
  const picks = readPicks();
  const entry =
    picks && picks.sub === session.sub && navigator.serviceWorker?.controller
      ? petId
        ? picks.pets.find((p) => p.pet.id === petId)
        : picks.pets[0]
      : undefined;
  if (picks && entry) {
    state.picks = picks;
    const url = `${DOOR_FILE_PATH}${entry.doc.id}`;
    state.urls[entry.doc.id] = url;
    void readSnapshot()
      .then((snapshot) => {
        if (snapshot?.sub === session.sub) state.snapshot = snapshot;
      })
      .catch(() => undefined);
    paint(
      {
        petName: entry.pet.name,
        docId: entry.doc.id,
        label: entry.doc.label,
        expiresOn: entry.doc.expires_on,
        status: recordStatus(entry.doc.expires_on, todayIn(picks.timezone), picks.dueSoonDays),
        url,
      },
      loadApp,
    );
    return;
  }

  // The door's frame at once (dark, "loading"), so the screen is never blank meanwhile.
  const host = document.getElementById("root");
  if (host) {
    host.innerHTML =
      '<div class="door"><div class="door__message" role="status"><span class="spinner" aria-hidden="true"></span>' +
      '<span class="visually-hidden">Loading Quick Show…</span></div></div>';
  }

  let have: string[] = [];
  try {
    have = JSON.parse(localStorage.getItem(DOOR_CACHED_HINT) ?? "[]") as string[];
  } catch {
    have = [];
  }

  // The network, when the device turns out not to hold the pick (or holds nothing at all: then
  // it starts at once, in parallel with reading the device, not after it).
  let asked = false;
  const fromNetwork = () => {
    if (asked) return;
    asked = true;
    if (!navigator.onLine) return loadApp();
    state.live = accessToken(session)
      .then((token) => {
        if (!token) throw new Error("no session");
        return fetch(path, {
          headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
          cache: "no-store",
        });
      })
      .then(okOrThrow)
      .then((r) => r.json() as Promise<LiveAnswer>)
      .then((answer) => {
        if (!have.includes(answer.doc.id)) {
          answer.blob = fetch(answer.file_url, { cache: "no-store", credentials: "omit" })
            .then(okOrThrow)
            .then((r) => r.blob());
          answer.blob.catch(() => undefined);
        }
        state.answer = answer;
        return answer;
      });
    state.live.catch(() => undefined);
    void state.live
      .then(async (answer) => {
        if (painted === answer.doc.id || !answer.blob) return loadApp();
        if (answer.doc.content_type === "application/pdf" || answer.doc.content_type === "image/heic") {
          return loadApp(); // needs the app's renderer
        }
        const blob = await answer.blob;
        const url = URL.createObjectURL(blob);
        state.urls[answer.doc.id] = url;
        const today = todayIn(state.snapshot?.timezone ?? "UTC");
        paint({
          petName: answer.pet.name,
          docId: answer.doc.id,
          label: answer.doc.label,
          expiresOn: answer.doc.expires_on,
          status: recordStatus(answer.doc.expires_on, today, state.snapshot?.dueSoonDays ?? 30),
          url,
        });
      })
      .catch(loadApp);
  };

  if (have.length === 0) fromNetwork();

  // The device first: a few milliseconds, and the only source with no network.
  readSnapshot()
    .then(async (snapshot) => {
      performance.mark("petshots:boot-snapshot");
      if (!snapshot || snapshot.sub !== session.sub) return fromNetwork();
      state.snapshot = snapshot;
      const pick = pickFromSnapshot(snapshot, petId);
      const file = pick ? await readFile(pick.docId) : null;
      performance.mark("petshots:boot-file");
      const blob = file ? (file.pages[0] ?? file.blob) : null;
      if (!pick || !file || !blob || (file.contentType !== "application/pdf" && !file.contentType.startsWith("image/"))) {
        return fromNetwork();
      }
      const doc = pick.pet.docs.find((d) => d.id === pick.docId)!;
      const url = URL.createObjectURL(blob);
      state.urls[doc.id] = url;
      state.files[doc.id] = file;
      paint({
        petName: pick.pet.name,
        docId: doc.id,
        label: doc.label,
        expiresOn: doc.expires_on,
        status: recordStatus(doc.expires_on, todayIn(snapshot.timezone), snapshot.dueSoonDays),
        url,
      });
    })
    .catch(fromNetwork);
}

try {
  boot(document.currentScript as HTMLScriptElement | null);
} catch {
  // Never block the app: a broken boot only costs the early paint.
  const s = document.currentScript as HTMLScriptElement | null;
  if (s?.dataset.main) {
    const m = document.createElement("script");
    m.type = "module";
    m.src = s.dataset.main;
    document.body.appendChild(m);
  }
}
