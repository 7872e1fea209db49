import { describe, expect, it } from "vitest";
import { compareAttention, daysToExpiry, needsAttention, petStatus, recordStatus } from "./status";

describe("recordStatus (SPEC §3.1)", () => {
  const today = "2026-11-27";
  it("is no_expiry without a date", () => {
    expect(recordStatus(null, today)).toBe("no_expiry");
  });
  it("is expired the day after the expiry date", () => {
    expect(recordStatus("2026-11-26", today)).toBe("expired");
  });
  it("is due soon on the expiry date itself and within the window", () => {
    expect(recordStatus("2026-11-27", today)).toBe("due_soon");
    expect(recordStatus("2026-12-27", today)).toBe("due_soon"); // exactly 30 days
  });
  it("is current beyond the window", () => {
    expect(recordStatus("2026-12-28", today)).toBe("current"); // 31 days
  });
  it("honours the owner's window", () => {
    expect(recordStatus("2026-12-07", today, 7)).toBe("current");
    expect(recordStatus("2026-12-04", today, 7)).toBe("due_soon");
    expect(recordStatus("2026-11-27", today, 0)).toBe("due_soon");
  });
  it("counts days across month and leap-year boundaries exactly", () => {
    expect(daysToExpiry("2028-03-01", "2028-02-28")).toBe(2);
    expect(daysToExpiry("2026-11-20", today)).toBe(-7);
    expect(daysToExpiry(null, today)).toBeNull();
  });
});

describe("petStatus", () => {
  it("takes the most urgent record", () => {
    expect(petStatus(["current", "no_expiry", "due_soon"])).toBe("due_soon");
    expect(petStatus(["current", "expired", "due_soon"])).toBe("expired");
  });
  it("reads a pet without records as no_expiry", () => {
    expect(petStatus([])).toBe("no_expiry");
  });
});

describe("attention order", () => {
  it("puts expired before due soon, then the earliest expiry first", () => {
    const items = [
      { status: "due_soon" as const, expires_on: "2026-12-01", id: "a" },
      { status: "expired" as const, expires_on: "2026-11-01", id: "b" },
      { status: "due_soon" as const, expires_on: "2026-11-28", id: "c" },
      { status: "expired" as const, expires_on: "2026-10-01", id: "d" },
    ];
    expect([...items].sort(compareAttention).map((i) => i.id)).toEqual(["d", "b", "c", "a"]);
  });
  it("needs attention only when expired or due soon", () => {
    expect(needsAttention("expired")).toBe(true);
    expect(needsAttention("due_soon")).toBe(true);
    expect(needsAttention("current")).toBe(false);
    expect(needsAttention("no_expiry")).toBe(false);
  });
});
