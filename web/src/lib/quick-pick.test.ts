import { describe, expect, it } from "vitest";
import { doorOrder, pickQuickShow, type PickableDoc } from "./quick-pick";

const doc = (id: string, label: string, extra: Partial<PickableDoc> = {}): PickableDoc => ({
  id,
  label,
  expires_on: null,
  pinned: false,
  created_at: `2026-01-${id.padStart(2, "0")}T00:00:00Z`,
  state: "ready",
  ...extra,
});

describe("pickQuickShow (SPEC §3.1)", () => {
  it("shows the pinned record first of all", () => {
    const docs = [doc("1", "Rabies", { expires_on: "2027-01-01" }), doc("2", "DHPP", { pinned: true })];
    expect(pickQuickShow(docs)?.id).toBe("2");
  });
  it("else the Rabies record with the latest expiry, by any spelling", () => {
    const docs = [
      doc("1", "Rabies", { expires_on: "2027-01-01" }),
      doc("2", "rabies 3yr", { expires_on: "2029-01-01" }),
      doc("3", "DHPP", { expires_on: "2030-01-01" }),
      doc("4", "Rabies"),
    ];
    expect(pickQuickShow(docs)?.id).toBe("2");
  });
  it("prefers a dated Rabies certificate to an undated one", () => {
    expect(pickQuickShow([doc("9", "Rabies"), doc("1", "RABIES", { expires_on: "2020-01-01" })])?.id).toBe("1");
  });
  it("else the most recent record", () => {
    expect(pickQuickShow([doc("1", "DHPP"), doc("3", "Lyme"), doc("2", "FVRCP")])?.id).toBe("3");
  });
  it("ignores records whose upload never finished", () => {
    expect(pickQuickShow([doc("1", "Rabies", { state: "pending", pinned: true })])).toBeNull();
  });
});

describe("doorOrder", () => {
  it("is the pick, then Rabies, then the rest newest first", () => {
    const docs = [
      doc("1", "DHPP"),
      doc("2", "Rabies", { expires_on: "2025-01-01" }),
      doc("3", "Lyme", { pinned: true }),
      doc("4", "Bordetella"),
      doc("5", "Rabies", { expires_on: "2026-01-01" }),
    ];
    expect(doorOrder(docs).map((d) => d.id)).toEqual(["3", "5", "2", "4", "1"]);
  });
});
