import { describe, expect, it } from "vitest";
import { addDays, todayIn } from "@/lib/dates";
import type { DoorDoc } from "@/lib/door-store";
import { dashboardFromSnapshot } from "./dashboard";

const today = todayIn("Europe/Berlin");
const doc = (id: string, label: string, expires_on: string | null): DoorDoc => ({
  id,
  pet_id: "p",
  label,
  expires_on,
  given_on: null,
  pinned: false,
  state: "ready",
  status: "current",
  days_to_expiry: null,
  content_type: "application/pdf",
  filename: "x.pdf",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

describe("offline dashboard from the device's copy", () => {
  it("recomputes rings and the attention banner for today", () => {
    const view = dashboardFromSnapshot({
      sub: "o",
      savedAt: 42,
      timezone: "Europe/Berlin",
      dueSoonDays: 30,
      pets: [
        { id: "rex", name: "Rex", species: "dog", breed: null, status: "current", docs: [doc("1", "Rabies", addDays(today, 365)), doc("2", "DHPP", addDays(today, -3))] },
        { id: "mia", name: "Mia", species: "cat", breed: null, status: "current", docs: [doc("3", "FVRCP", addDays(today, 10))] },
      ],
    });
    expect(view.savedAt).toBe(42);
    expect(view.pets.map((p) => [p.name, p.status, p.record_count])).toEqual([
      ["Rex", "expired", 2],
      ["Mia", "due_soon", 1],
    ]);
    expect(view.attention.map((a) => [a.pet_name, a.label, a.status, a.days_to_expiry])).toEqual([
      ["Rex", "DHPP", "expired", -3],
      ["Mia", "FVRCP", "due_soon", 10],
    ]);
  });
});
