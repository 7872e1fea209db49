/** Keeps door mode's copy fresh whenever the app is online: the owner's pets and records, each
 *  pet's Quick Show certificate (always), and the other certificates while they fit a budget.
 *  One sync at a time; every step is best effort (a failed download is retried next sync). */
import type { Dashboard, DocDetail, OwnerSettings, PetDetail } from "./api-types";
import { api, ApiError } from "./api-client";
import {
  publishPicks,
  readFile,
  readSnapshot,
  pruneFiles,
  writeFile,
  writeSnapshot,
  type DoorDoc,
  type DoorFile,
  type DoorPet,
  type DoorSnapshot,
} from "./door-store";
import { doorOrder, pickQuickShow } from "./quick-pick";
import { getSession } from "./session";

const EXTRA_FILE_MAX_BYTES = 8 * 1024 * 1024;
const EXTRA_FILES_BUDGET = 60 * 1024 * 1024;

export function toDoorDoc(d: DoorDoc): DoorDoc {
  return {
    id: d.id,
    pet_id: d.pet_id,
    label: d.label,
    expires_on: d.expires_on,
    given_on: d.given_on,
    pinned: d.pinned,
    state: d.state,
    status: d.status,
    days_to_expiry: d.days_to_expiry,
    content_type: d.content_type,
    filename: d.filename,
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** Which saved files the door wants: every pet's pick, then the rest within the budget. */
export function wantedFiles(pets: readonly DoorPet[]): { must: DoorDoc[]; extra: DoorDoc[] } {
  const must: DoorDoc[] = [];
  const extra: DoorDoc[] = [];
  let budget = EXTRA_FILES_BUDGET;
  for (const pet of pets) {
    const [first, ...rest] = doorOrder(pet.docs);
    if (first) must.push(first);
    for (const d of rest) {
      const size = (d as DoorDoc & { size_bytes?: number }).size_bytes ?? 0;
      if (size <= EXTRA_FILE_MAX_BYTES && size <= budget) {
        extra.push(d);
        budget -= size;
      }
    }
  }
  return { must, extra };
}

export async function fetchBlob(url: string, signal?: AbortSignal): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url, { signal, cache: "no-store", credentials: "omit" });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "offline", "Could not download the file.");
  }
  if (!res.ok) throw new ApiError(res.status, "download_failed", "Could not download the file.");
  return res.blob();
}

/** Turn a downloaded certificate into what the door stores (PDF → page images). */
export async function toDoorFile(key: string, contentType: string, blob: Blob): Promise<DoorFile> {
  const savedAt = Date.now();
  if (contentType === "application/pdf") {
    const { renderPdfPages } = await import("./pdf-render");
    const { pages, pageCount } = await renderPdfPages(blob);
    // Keep the PDF too when small, so "open the PDF" works offline as well.
    return {
      key,
      contentType,
      blob: blob.size <= EXTRA_FILE_MAX_BYTES ? blob : null,
      pages,
      pageCount,
      savedAt,
    };
  }
  return { key, contentType, blob, pages: [], pageCount: 1, savedAt };
}

async function saveDocFile(doc: DoorDoc, signal?: AbortSignal): Promise<void> {
  const existing = await readFile(doc.id);
  if (existing) return; // a record's file never changes once uploaded
  const detail = await api<DocDetail>(`/api/docs/${doc.id}`, { signal });
  if (!detail.file_url) return;
  const blob = await fetchBlob(detail.file_url, signal);
  await writeFile(await toDoorFile(doc.id, doc.content_type, blob));
}

async function savePhoto(petId: string, photoUrl: string | null, signal?: AbortSignal) {
  if (!photoUrl) return;
  const version = photoUrl.split("?")[0] ?? photoUrl;
  const key = `photo:${petId}`;
  const existing = await readFile(key);
  if (existing && existing.contentType === version) return;
  const blob = await fetchBlob(photoUrl, signal);
  // contentType carries the photo's object path: a new upload has a new path.
  await writeFile({ key, contentType: version, blob, pages: [], pageCount: 1, savedAt: Date.now() });
}

let running: Promise<DoorSnapshot | null> | null = null;

async function settingsOr(previous: DoorSnapshot | null): Promise<{ timezone: string; dueSoonDays: number }> {
  try {
    const s = await api<OwnerSettings>("/auth/me/settings");
    return { timezone: s.timezone, dueSoonDays: s.due_soon_days };
  } catch {
    return {
      timezone: previous?.timezone ?? "UTC",
      dueSoonDays: previous?.dueSoonDays ?? 30,
    };
  }
}

export function syncDoor(signal?: AbortSignal): Promise<DoorSnapshot | null> {
  running ??= (async () => {
    const session = getSession();
    if (!session) return null;
    const previous = await readSnapshot().catch(() => null);
    const [settings, dashboard] = await Promise.all([
      settingsOr(previous),
      api<Dashboard>("/api/dashboard", { signal }),
    ]);
    const details = await Promise.all(
      dashboard.pets.map((p) => api<PetDetail>(`/api/pets/${p.id}`, { signal })),
    );
    const pets: DoorPet[] = details.map((p) => ({
      id: p.id,
      name: p.name,
      species: p.species,
      breed: p.breed,
      status: p.status,
      docs: p.documents
        .filter((d) => d.state === "ready")
        .map((d) => ({ ...toDoorDoc(d), size_bytes: d.size_bytes }) as DoorDoc),
    }));
    const snapshot: DoorSnapshot = {
      sub: session.sub,
      savedAt: Date.now(),
      timezone: settings.timezone,
      dueSoonDays: settings.dueSoonDays,
      pets,
    };
    if (getSession()?.sub !== session.sub) return null; // logged out meanwhile
    await writeSnapshot(snapshot);

    const { must, extra } = wantedFiles(pets);
    const keep = new Set<string>([...must, ...extra].map((d) => d.id));
    for (const p of details) if (p.photo_url) keep.add(`photo:${p.id}`);
    await pruneFiles(keep);
    for (const doc of must) await saveDocFile(doc, signal).catch(() => undefined);
    await publishPicks(snapshot, must).catch(() => undefined);
    for (const p of details) await savePhoto(p.id, p.photo_url, signal).catch(() => undefined);
    for (const doc of extra) await saveDocFile(doc, signal).catch(() => undefined);
    return snapshot;
  })().finally(() => {
    running = null;
  });
  return running;
}

let timer: ReturnType<typeof setTimeout> | null = null;

/** Sync soon (mutations, app start, coming back online); bursts collapse into one sync. */
export function scheduleDoorSync(delayMs = 800): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (!navigator.onLine || !getSession()) return;
    void syncDoor().catch(() => undefined);
  }, delayMs);
}

export { pickQuickShow };
