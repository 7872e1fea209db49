/** Door mode's storage (IndexedDB): the owner's pets and records as last seen online, and the
 *  certificate files themselves, so Quick Show works with no network (SPEC §3.1). Wiped on
 *  logout. */
import {
  DOOR_CACHED_HINT,
  DOOR_DB,
  DOOR_DB_VERSION,
  DOOR_FILE_CACHE,
  DOOR_FILE_PATH,
  DOOR_PICKS_KEY,
} from "./door-keys";

export interface DoorDoc {
  id: string;
  pet_id: string;
  label: string;
  expires_on: string | null;
  given_on: string | null;
  pinned: boolean;
  state: string;
  status: string;
  days_to_expiry: number | null;
  content_type: string;
  filename: string;
  created_at: string;
  updated_at: string;
}

export interface DoorPet {
  id: string;
  name: string;
  species: string;
  breed: string | null;
  status: string;
  docs: DoorDoc[];
}

export interface DoorSnapshot {
  sub: string;
  savedAt: number;
  timezone: string;
  dueSoonDays: number;
  pets: DoorPet[];
}

export interface DoorFile {
  /** A record id, or `photo:<petId>` for a pet's portrait. */
  key: string;
  contentType: string;
  /** The file itself (images), or null for a PDF kept only as page images. */
  blob: Blob | null;
  /** A PDF's first pages as images: the door never needs the PDF renderer. */
  pages: Blob[];
  pageCount: number;
  savedAt: number;
}

const SNAPSHOT_KEY = "current";
let dbPromise: Promise<IDBDatabase> | null = null;

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
  });
}

export function openDoorDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DOOR_DB, DOOR_DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("snapshot")) db.createObjectStore("snapshot");
      if (!db.objectStoreNames.contains("files")) db.createObjectStore("files", { keyPath: "key" });
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab deleting the database (logout) must not be blocked by this connection.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      dbPromise = null;
      reject(req.error ?? new Error("IndexedDB unavailable"));
    };
  });
  return dbPromise;
}

export async function readSnapshot(): Promise<DoorSnapshot | null> {
  const db = await openDoorDb();
  const tx = db.transaction("snapshot", "readonly");
  const value = await promisify(tx.objectStore("snapshot").get(SNAPSHOT_KEY));
  return (value as DoorSnapshot | undefined) ?? null;
}

export async function writeSnapshot(snapshot: DoorSnapshot): Promise<void> {
  const db = await openDoorDb();
  const tx = db.transaction("snapshot", "readwrite");
  tx.objectStore("snapshot").put(snapshot, SNAPSHOT_KEY);
  await done(tx);
}

export async function readFile(key: string): Promise<DoorFile | null> {
  const db = await openDoorDb();
  const tx = db.transaction("files", "readonly");
  const value = await promisify(tx.objectStore("files").get(key));
  return (value as DoorFile | undefined) ?? null;
}

export async function writeFile(file: DoorFile): Promise<void> {
  const db = await openDoorDb();
  const tx = db.transaction("files", "readwrite");
  tx.objectStore("files").put(file);
  await done(tx);
  await refreshCachedHint();
}

export async function fileKeys(): Promise<string[]> {
  const db = await openDoorDb();
  const tx = db.transaction("files", "readonly");
  return (await promisify(tx.objectStore("files").getAllKeys())).map(String);
}

/** Drop every saved file whose key is not in `keep` (records deleted or no longer wanted). */
export async function pruneFiles(keep: ReadonlySet<string>): Promise<number> {
  const db = await openDoorDb();
  const keys = await fileKeys();
  const stale = keys.filter((k) => !keep.has(k));
  if (stale.length) {
    const tx = db.transaction("files", "readwrite");
    for (const k of stale) tx.objectStore("files").delete(k);
    await done(tx);
  }
  await refreshCachedHint();
  return stale.length;
}

async function refreshCachedHint(): Promise<void> {
  try {
    const keys = (await fileKeys()).filter((k) => !k.startsWith("photo:"));
    localStorage.setItem(DOOR_CACHED_HINT, JSON.stringify(keys));
  } catch {
    // The hint only saves a download; losing it is harmless.
  }
}

/** Each pet's pick, for the boot script's synchronous first paint (see door-keys.ts). */
export interface DoorPicks {
  sub: string;
  savedAt: number;
  timezone: string;
  dueSoonDays: number;
  pets: { pet: Omit<DoorPet, "docs">; doc: DoorDoc }[];
}

export function readPicks(): DoorPicks | null {
  try {
    const value = JSON.parse(localStorage.getItem(DOOR_PICKS_KEY) ?? "null") as DoorPicks | null;
    return value && Array.isArray(value.pets) ? value : null;
  } catch {
    return null;
  }
}

/** Publish the picks: their images into Cache Storage (served by the service worker at
 *  DOOR_FILE_PATH), then their facts into localStorage. Files it cannot read are skipped. */
export async function publishPicks(snapshot: DoorSnapshot, picks: DoorDoc[]): Promise<void> {
  if (typeof caches === "undefined") return;
  const cache = await caches.open(DOOR_FILE_CACHE);
  const published: DoorPicks["pets"] = [];
  for (const doc of picks) {
    const pet = snapshot.pets.find((p) => p.id === doc.pet_id);
    const file = await readFile(doc.id);
    const image = file ? (file.pages[0] ?? (file.contentType.startsWith("image/") ? file.blob : null)) : null;
    if (!pet || !file || !image) continue;
    const url = `${DOOR_FILE_PATH}${doc.id}`;
    if (!(await cache.match(url))) {
      await cache.put(
        url,
        new Response(image, {
          headers: { "Content-Type": image.type || doc.content_type, "Cache-Control": "no-store" },
        }),
      );
    }
    const { docs: _docs, ...petFacts } = pet;
    published.push({ pet: petFacts, doc });
  }
  const keep = new Set(published.map((p) => `${DOOR_FILE_PATH}${p.doc.id}`));
  for (const request of await cache.keys()) {
    if (!keep.has(new URL(request.url).pathname)) await cache.delete(request);
  }
  const value: DoorPicks = {
    sub: snapshot.sub,
    savedAt: snapshot.savedAt,
    timezone: snapshot.timezone,
    dueSoonDays: snapshot.dueSoonDays,
    pets: published,
  };
  localStorage.setItem(DOOR_PICKS_KEY, JSON.stringify(value));
}

/** Logout and account deletion: nothing of the owner stays on the device. */
export async function clearDoor(): Promise<void> {
  localStorage.removeItem(DOOR_CACHED_HINT);
  localStorage.removeItem(DOOR_PICKS_KEY);
  if (typeof caches !== "undefined") await caches.delete(DOOR_FILE_CACHE).catch(() => false);
  if (dbPromise) {
    try {
      (await dbPromise).close();
    } catch {
      // never opened
    }
    dbPromise = null;
  }
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(DOOR_DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
