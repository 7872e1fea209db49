import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Dashboard } from "@/lib/api-types";
import { setSession } from "@/lib/session";
import DashboardPage from "./dashboard-page";

const pet = (id: string, name: string, status: string, record_count: number) => ({
  id,
  name,
  species: "dog",
  breed: null,
  birth_date: null,
  status,
  record_count,
  photo_url: null,
  created_at: "2026-01-01T00:00:00Z",
});

function renderWith(body: Dashboard) {
  vi.stubGlobal(
    "fetch",
    vi.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }))),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <DashboardPage />
    </QueryClientProvider>,
  );
}

describe("dashboard", () => {
  beforeEach(() => {
    setSession({ accessToken: "a", idToken: "i", refreshToken: "r", expiresAt: Date.now() + 3_600_000, sub: "o", email: null });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setSession(null);
  });

  it("rings each pet in its status colour, with the word, and lists what needs attention", async () => {
    renderWith({
      pets: [pet("rex", "Rex", "expired", 2), pet("mia", "Mia", "due_soon", 1)] as Dashboard["pets"],
      attention: [
        { pet_id: "rex", pet_name: "Rex", doc_id: "d1", label: "DHPP", expires_on: "2026-11-01", status: "expired", days_to_expiry: -26 },
        { pet_id: "mia", pet_name: "Mia", doc_id: "d2", label: "Bordetella", expires_on: "2026-12-07", status: "due_soon", days_to_expiry: 10 },
      ],
      pet_limit: 3,
    });
    const rex = (await screen.findByText("Rex", { selector: ".pet-card__name" })).closest(".pet-card")!;
    expect(rex.getAttribute("data-status")).toBe("expired");
    expect(within(rex as HTMLElement).getByText(/Expired/)).toBeTruthy();
    const banner = screen.getByRole("region", { name: "Needs attention" });
    const items = within(banner).getAllByRole("listitem");
    expect(items[0]!.textContent).toMatch(/Expired.*Rex.*DHPP/);
    expect(items[1]!.textContent).toMatch(/Due soon.*Mia.*Bordetella/);
    expect(screen.getByRole("link", { name: /Quick Show/ }).getAttribute("href")).toBe("/show");
    expect(screen.getByRole("link", { name: /Add a pet/ })).toBeTruthy();
  });

  it("explains the pet limit instead of offering to add a fourth pet", async () => {
    renderWith({
      pets: [pet("a", "A", "current", 1), pet("b", "B", "current", 0), pet("c", "C", "no_expiry", 0)] as Dashboard["pets"],
      attention: [],
      pet_limit: 3,
    });
    expect(await screen.findByText("Pet limit reached")).toBeTruthy();
    expect(screen.getByText(/holds 3 pets/)).toBeTruthy();
    expect(screen.queryByRole("link", { name: /Add a pet/ })).toBeNull();
    expect(screen.queryByRole("region", { name: "Needs attention" })).toBeNull();
  });
});
