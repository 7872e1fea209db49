import { describe, expect, it } from "vitest";
import type { DoorDoc } from "@/lib/door-store";
import { todayIn, addDays } from "@/lib/dates";
import { doorDoc, doorPet, doorSnapshot } from "@/testing/door-fixtures";
import { mergeDoor } from "./use-door";

const today = todayIn("UTC");
const doc = (id: string, label: string, extra: Partial<DoorDoc> = {}): DoorDoc =>
  doorDoc({
    id,
    label,
    filename: `${label}.jpg`,
    created_at: `2026-01-0${id}T00:00:00Z`,
    updated_at: `2026-01-0${id}T00:00:00Z`,
    ...extra,
  });

const snapshot = (docs: DoorDoc[]) =>
  doorSnapshot({
    savedAt: 123,
    pets: [doorPet({ docs }), doorPet({ id: "tom", name: "Tom", species: "cat", status: "no_expiry" })],
  });

const base = { snapshotRead: true, liveDone: true, offline: false, nothing: false, error: null };

describe("door merge", () => {
  it("shows what was saved, with statuses as of today (saved 'current' may now be due soon)", () => {
    const saved = snapshot([
      doc("1", "Rabies", { expires_on: addDays(today, 5), status: "current" }),
      doc("2", "DHPP", { expires_on: addDays(today, -1), status: "current" }),
    ]);
    const view = mergeDoor({ ...base, snapshot: saved, live: null, offline: true }, null);
    expect(view.phase).toBe("ready");
    expect(view.pet?.name).toBe("Rex");
    expect(view.pets.map((p) => p.name)).toEqual(["Rex"]); // pets with nothing to show are left out
    expect(view.docs.map((d) => [d.label, d.status])).toEqual([
      ["Rabies", "due_soon"],
      ["DHPP", "expired"],
    ]);
    expect(view.savedAt).toBe(123);
  });

  it("puts the server's pick first even when the saved copy predates the pin", () => {
    const saved = snapshot([doc("1", "Rabies"), doc("2", "DHPP")]);
    const live = {
      pet: { id: "rex", name: "Rex", species: "dog", breed: null, status: "current" },
      doc: { ...doc("2", "DHPP"), pinned: true },
      file_url: "http://s3/x",
      blob: null,
    } as never;
    const view = mergeDoor({ ...base, snapshot: saved, live }, null);
    expect(view.docs.map((d) => d.label)).toEqual(["DHPP", "Rabies"]);
  });

  it("shows a record this device has never seen, from the live answer alone", () => {
    const live = {
      pet: { id: "new", name: "Bo", species: "dog", breed: null, status: "current" },
      doc: { ...doc("3", "Rabies"), pet_id: "new" },
      file_url: "http://s3/y",
      blob: null,
    } as never;
    const view = mergeDoor({ ...base, snapshot: null, live }, null);
    expect(view.phase).toBe("ready");
    expect(view.pet?.name).toBe("Bo");
  });

  it("explains an empty device offline, and nothing to show online", () => {
    expect(mergeDoor({ ...base, snapshot: null, live: null, offline: true }, null).phase).toBe("offline-empty");
    expect(mergeDoor({ ...base, snapshot: null, live: null, nothing: true }, null).phase).toBe("nothing");
    expect(mergeDoor({ ...base, liveDone: false, snapshot: null, live: null }, null).phase).toBe("loading");
  });

  it("shows the pet asked for", () => {
    const saved = snapshot([doc("1", "Rabies")]);
    saved.pets[1]!.docs = [doc("4", "FVRCP", { pet_id: "tom" })];
    const view = mergeDoor({ ...base, snapshot: saved, live: null }, "tom");
    expect(view.pet?.name).toBe("Tom");
    expect(view.docs[0]?.label).toBe("FVRCP");
  });
});
