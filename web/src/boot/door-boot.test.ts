import { describe, expect, it } from "vitest";
import { doorDoc, doorPet, doorSnapshot } from "@/testing/door-fixtures";

// The module runs its boot on import; with no /show path and no session it only loads the app
// (and there is no data-main in tests), so importing it here is harmless.
const { doorMarkup, pickFromSnapshot } = await import("./door-boot");

const snapshot = doorSnapshot({
  sub: "o",
  pets: [
    doorPet({ id: "empty", name: "Empty", status: "no_expiry" }),
    doorPet({
      docs: [
        // The newer record, but Rabies goes first.
        doorDoc({ id: "a", label: "DHPP", filename: "a.jpg", created_at: "2026-01-02T00:00:00Z" }),
        doorDoc({
          id: "b",
          label: "Rabies",
          expires_on: "2027-01-01",
          status: "current",
          days_to_expiry: 1,
          content_type: "application/pdf",
          filename: "b.pdf",
          created_at: "2026-01-01T00:00:00Z",
        }),
      ],
    }),
  ],
});

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
