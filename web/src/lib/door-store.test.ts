import { describe, expect, it } from "vitest";
import { DOOR_CACHED_HINT } from "./door-keys";
import { clearDoor, fileKeys, pruneFiles, readFile, readSnapshot, writeFile, writeSnapshot } from "./door-store";

const snapshot = {
  sub: "owner-1",
  savedAt: 1,
  timezone: "Europe/Berlin",
  dueSoonDays: 30,
  pets: [],
};

describe("door store (IndexedDB)", () => {
  it("keeps the snapshot and the files, and remembers which certificates it holds", async () => {
    await writeSnapshot(snapshot);
    expect(await readSnapshot()).toEqual(snapshot);
    const blob = new Blob(["jpeg"], { type: "image/jpeg" });
    await writeFile({ key: "doc-1", contentType: "image/jpeg", blob, pages: [], pageCount: 1, savedAt: 2 });
    await writeFile({ key: "photo:pet-1", contentType: "/p", blob, pages: [], pageCount: 1, savedAt: 2 });
    expect((await readFile("doc-1"))?.contentType).toBe("image/jpeg");
    expect(JSON.parse(localStorage.getItem(DOOR_CACHED_HINT) ?? "[]")).toEqual(["doc-1"]);
  });

  it("prunes files no longer wanted", async () => {
    const blob = new Blob(["x"]);
    await writeFile({ key: "doc-2", contentType: "image/png", blob, pages: [], pageCount: 1, savedAt: 3 });
    expect(await pruneFiles(new Set(["doc-2"]))).toBeGreaterThan(0);
    expect(await fileKeys()).toEqual(["doc-2"]);
  });

  it("is wiped completely on logout", async () => {
    await writeSnapshot(snapshot);
    await clearDoor();
    expect(localStorage.getItem(DOOR_CACHED_HINT)).toBeNull();
    expect(await readSnapshot()).toBeNull();
    expect(await fileKeys()).toEqual([]);
  });
});
