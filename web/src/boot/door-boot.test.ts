import { describe, expect, it } from "vitest";
import type { DoorSnapshot } from "@/lib/door-store";

// The module runs its boot on import; with no /show path and no session it only loads the app
// (and there is no data-main in tests), so importing it here is harmless.
const { doorMarkup, pickFromSnapshot } = await import("./door-boot");

const snapshot: DoorSnapshot = {
  sub: "o",
  savedAt: 1,
  timezone: "UTC",
  dueSoonDays: 30,
  pets: [
    { id: "empty", name: "Empty", species: "dog", breed: null, status: "no_expiry", docs: [] },
    {
      id: "rex",
      name: "Rex",
      species: "dog",
      breed: null,
      status: "current",
      docs: [
        { id: "a", pet_id: "rex", label: "DHPP", expires_on: null, given_on: null, pinned: false, state: "ready", status: "no_expiry", days_to_expiry: null, content_type: "image/jpeg", filename: "a.jpg", created_at: "2026-01-02T00:00:00Z", updated_at: "" },
        { id: "b", pet_id: "rex", label: "Rabies", expires_on: "2027-01-01", given_on: null, pinned: false, state: "ready", status: "current", days_to_expiry: 1, content_type: "application/pdf", filename: "b.pdf", created_at: "2026-01-01T00:00:00Z", updated_at: "" },
      ],
    },
  ],
};

describe("door boot (before the app loads)", () => {
  it("picks like the app: first pet with records, pinned/Rabies/newest", () => {
    expect(pickFromSnapshot(snapshot, null)).toMatchObject({ pet: { id: "rex" }, docId: "b" });
    expect(pickFromSnapshot(snapshot, "empty")).toBeNull();
  });

  it("paints the app's door markup, escaping what the owner typed", () => {
    const html = doorMarkup({
      petName: '<img src=x onerror="alert(1)">',
      docId: "b",
      label: "Rabies & co",
      expiresOn: "2027-01-01",
      status: "expired",
      url: "blob:cert",
    });
    const host = document.createElement("div");
    host.innerHTML = html;
    expect(host.querySelector(".door__pet")?.textContent).toBe('<img src=x onerror="alert(1)">');
    expect(host.querySelectorAll("img")).toHaveLength(1);
    expect(host.querySelector("img")?.getAttribute("alt")).toBe("Rabies & co certificate");
    expect(host.querySelector("img")?.getAttribute("elementtiming")).toBe("certificate");
    expect(host.querySelector(".status")?.textContent).toBe("Expired");
    expect(host.querySelector(".door__expiry")?.textContent).toMatch(/^Expires .*2027$/);
  });
});
