import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearDoor, writeFile, writeSnapshot } from "@/lib/door-store";
import { setSession } from "@/lib/session";
import { doorDoc, doorPet, doorSnapshot } from "@/testing/door-fixtures";
import { DoorView } from "./door-view";

describe("Quick Show with no network", () => {
  beforeEach(async () => {
    vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:cert", revokeObjectURL: () => undefined }));
    const fetchSpy = vi.fn(() => Promise.reject(new TypeError("offline")));
    vi.stubGlobal("fetch", fetchSpy);
    setSession({
      accessToken: "a",
      idToken: "i",
      refreshToken: "r",
      expiresAt: Date.now() - 1,
      sub: "owner-1",
      email: null,
    });
    await writeSnapshot(
      doorSnapshot({
        sub: "owner-1",
        savedAt: Date.now() - 60_000,
        pets: [
          doorPet({
            docs: [
              doorDoc({ id: "d1", label: "DHPP", expires_on: "2020-01-01", pinned: true, status: "current", days_to_expiry: 99 }),
            ],
          }),
        ],
      }),
    );
    await writeFile({
      key: "d1",
      contentType: "image/jpeg",
      blob: new Blob(["jpeg"], { type: "image/jpeg" }),
      pages: [],
      pageCount: 1,
      savedAt: 1,
    });
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    setSession(null);
    await clearDoor();
  });

  it("shows the saved certificate, its status as of today, and when it was saved", async () => {
    render(<DoorView petId={null} />);
    expect(await screen.findByRole("img", { name: "DHPP certificate" })).toHaveProperty("src", "blob:cert");
    expect(screen.getByRole("heading", { name: "Rex" })).toBeTruthy();
    // Saved as "current", but 2020-01-01 is in the past: the door says so, in words.
    expect(screen.getByText("Expired")).toBeTruthy();
    expect(screen.getByText(/Offline · saved today/)).toBeTruthy();
  });
});
