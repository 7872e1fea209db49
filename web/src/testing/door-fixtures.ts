/** Door-mode data for the tests: one valid record, pet and snapshot, each test changing only
 *  what it is about. */
import type { DoorDoc, DoorPet, DoorSnapshot } from "@/lib/door-store";

export function doorDoc(overrides: Partial<DoorDoc> = {}): DoorDoc {
  return {
    id: "d1",
    pet_id: "rex",
    label: "DHPP",
    expires_on: null,
    given_on: null,
    pinned: false,
    state: "ready",
    status: "no_expiry",
    days_to_expiry: null,
    content_type: "image/jpeg",
    filename: "dhpp.jpg",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

export function doorPet(overrides: Partial<DoorPet> = {}): DoorPet {
  return { id: "rex", name: "Rex", species: "dog", breed: null, status: "current", docs: [], ...overrides };
}

export function doorSnapshot(overrides: Partial<DoorSnapshot> = {}): DoorSnapshot {
  return { sub: "owner", savedAt: 1, timezone: "UTC", dueSoonDays: 30, pets: [], ...overrides };
}
