/** Door mode's data: what this device saved (instant, works offline) raced against the
 *  server's current pick (fresh), then a full sync so every record can be swiped to. */
import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { todayIn } from "@/lib/dates";
import { fileKeys, readSnapshot, type DoorDoc, type DoorPet, type DoorSnapshot } from "@/lib/door-store";
import { fetchBlob, syncDoor, toDoorDoc } from "@/lib/door-sync";
import { doorOrder } from "@/lib/quick-pick";
import { getSession } from "@/lib/session";
import { daysToExpiry, recordStatus, type Status } from "@/lib/status";
import { getQuickShow, takeBoot, type LiveQuickShow } from "../api/quick-show";

export interface DoorDocView extends Omit<DoorDoc, "status"> {
  status: Status;
}

export type DoorPhase = "loading" | "ready" | "nothing" | "offline-empty" | "error";

export interface DoorView {
  phase: DoorPhase;
  pets: DoorPet[];
  pet: DoorPet | null;
  docs: DoorDocView[];
  savedAt: number | null;
  offline: boolean;
  /** Files downloaded this visit and not saved yet (first visit on this device). */
  liveBlobs: ReadonlyMap<string, Promise<Blob>>;
  error: string | null;
}

interface Sources {
  snapshot: DoorSnapshot | null;
  snapshotRead: boolean;
  live: LiveQuickShow | null;
  liveDone: boolean;
  offline: boolean;
  nothing: boolean;
  error: string | null;
}

const INITIAL: Sources = {
  snapshot: null,
  snapshotRead: false,
  live: null,
  liveDone: false,
  offline: typeof navigator !== "undefined" && !navigator.onLine,
  nothing: false,
  error: null,
};

function withStatus(docs: DoorDoc[], snapshot: DoorSnapshot | null): DoorDocView[] {
  const today = todayIn(snapshot?.timezone ?? "UTC");
  const window = snapshot?.dueSoonDays ?? 30;
  return docs.map((d) => ({
    ...d,
    status: recordStatus(d.expires_on, today, window),
    days_to_expiry: daysToExpiry(d.expires_on, today),
  }));
}

/** Merge the server's pick into what was saved: the live pick always shows, even when the
 *  saved copy predates it (a record pinned on another device a minute ago). */
export function mergeDoor(sources: Sources, petParam: string | null): Omit<DoorView, "liveBlobs"> {
  const { snapshot, live } = sources;
  let pets: DoorPet[] = (snapshot?.pets ?? []).filter((p) => p.docs.length > 0);
  if (live) {
    const liveDoc = toDoorDoc({ ...live.doc, status: live.doc.status } as DoorDoc);
    const known = pets.find((p) => p.id === live.pet.id);
    if (!known) {
      pets = [
        ...pets,
        {
          id: live.pet.id,
          name: live.pet.name,
          species: live.pet.species,
          breed: live.pet.breed,
          status: live.pet.status,
          docs: [{ ...liveDoc, pinned: true }],
        },
      ];
    } else if (!known.docs.some((d) => d.id === liveDoc.id)) {
      pets = pets.map((p) =>
        p.id === known.id
          ? { ...p, docs: [{ ...liveDoc, pinned: true }, ...p.docs.map((d) => ({ ...d, pinned: false }))] }
          : p,
      );
    }
  }
  const wanted = petParam ?? live?.pet.id ?? null;
  const pet = pets.find((p) => p.id === wanted) ?? (petParam ? null : pets[0] ?? null);
  let ordered = pet ? doorOrder(pet.docs) : [];
  // The server's pick is the truth (a pin made a moment ago may postdate the saved copy).
  if (live && pet && live.pet.id === pet.id) {
    const pick = ordered.find((d) => d.id === live.doc.id);
    if (pick) ordered = [pick, ...ordered.filter((d) => d !== pick)];
  }
  const docs = withStatus(ordered, snapshot);
  let phase: DoorPhase = "loading";
  if (pet && docs.length) phase = "ready";
  else if (sources.snapshotRead && sources.liveDone) {
    if (sources.nothing) phase = "nothing";
    else if (sources.offline) phase = "offline-empty";
    else if (sources.error) phase = "error";
    else phase = "nothing";
  }
  return {
    phase,
    pets,
    pet,
    docs,
    savedAt: snapshot?.savedAt ?? null,
    offline: sources.offline,
    error: sources.error,
  };
}

/** Start from what the boot script already read from the device: no loading flash. */
function initialSources(petParam: string | null): Sources {
  const boot = typeof window === "undefined" ? null : takeBoot(petParam);
  if (!boot) return INITIAL;
  const sub = getSession()?.sub;
  const picks = boot.picks && boot.picks.sub === sub ? boot.picks : null;
  // The boot painted from the picks alone: start from them (the full copy follows).
  const fromPicks: DoorSnapshot | null = picks
    ? {
        sub: picks.sub,
        savedAt: picks.savedAt,
        timezone: picks.timezone,
        dueSoonDays: picks.dueSoonDays,
        pets: picks.pets.map(({ pet, doc }) => ({ ...pet, docs: [doc] })),
      }
    : null;
  const own = boot.snapshot && boot.snapshot.sub === sub ? boot.snapshot : fromPicks;
  const a = boot.answer;
  return {
    ...INITIAL,
    snapshot: own,
    snapshotRead: !!boot.snapshot,
    live: a
      ? {
          pet: a.pet,
          doc: a.doc,
          file_url: a.file_url,
          blob: a.blob ? a.blob.catch(() => fetchBlob(a.file_url)) : null,
        }
      : null,
    liveDone: !!a,
  };
}

export function useDoor(petParam: string | null): DoorView {
  const [sources, setSources] = useState<Sources>(() => initialSources(petParam));
  const liveBlobs = useRef(new Map<string, Promise<Blob>>());
  if (sources.live?.blob && !liveBlobs.current.has(sources.live.doc.id)) {
    liveBlobs.current.set(sources.live.doc.id, sources.live.blob);
  }

  useEffect(() => {
    let cancelled = false;
    const session = getSession();
    const update = (patch: Partial<Sources>) => {
      if (!cancelled) setSources((s) => ({ ...s, ...patch }));
    };

    const saved = readSnapshot()
      .then((snap) => (snap && session && snap.sub === session.sub ? snap : null))
      .catch(() => null);
    const savedKeys = fileKeys().catch(() => [] as string[]);
    void saved.then((snapshot) =>
      setSources((s) =>
        cancelled ? s : { ...s, snapshot: snapshot ?? s.snapshot, snapshotRead: true },
      ),
    );

    const goOffline = () => update({ offline: true });
    const goOnline = () => {
      update({ offline: false });
      void refresh();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);

    async function refresh() {
      if (!session || !navigator.onLine) {
        update({ liveDone: true, offline: true });
        return;
      }
      try {
        const have = new Set(await savedKeys);
        const live = await getQuickShow(petParam, (id) => have.has(id));
        live.blob ??= liveBlobs.current.get(live.doc.id) ?? null;
        if (live.blob) liveBlobs.current.set(live.doc.id, live.blob);
        update({ live, liveDone: true, offline: false, nothing: false, error: null });
      } catch (err) {
        if (err instanceof ApiError && err.code === "nothing_to_show") {
          update({ liveDone: true, nothing: true, offline: false });
        } else if (err instanceof ApiError && err.isOffline) {
          update({ liveDone: true, offline: true });
          return;
        } else {
          update({
            liveDone: true,
            error: err instanceof Error ? err.message : "Could not reach Petshots.",
          });
        }
      }
      // Everything else (other pets, other records, their files) for swiping and next time.
      try {
        const snapshot = await syncDoor();
        if (snapshot) update({ snapshot, snapshotRead: true });
      } catch {
        // Best effort: the saved copy and the live pick are already on screen.
      }
    }
    void refresh();

    return () => {
      cancelled = true;
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
    };
  }, [petParam]);

  const view = useMemo(() => mergeDoor(sources, petParam), [sources, petParam]);
  return { ...view, liveBlobs: liveBlobs.current };
}
