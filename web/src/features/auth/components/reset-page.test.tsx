import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import ResetPage from "./reset-page";

function answer(status: number, body: unknown) {
  return vi.fn<typeof fetch>(() =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }),
    ),
  );
}

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe("choose a new password", () => {
  beforeEach(() => {
    window.history.replaceState(null, "", "/reset?email=o%40example.com");
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    window.history.replaceState(null, "", "/");
  });

  it("checks the password before sending, then shows the API's refusal in words", async () => {
    const fetchMock = answer(400, { error: "invalid_code", detail: "That code is wrong or has expired." });
    vi.stubGlobal("fetch", fetchMock);
    render(<ResetPage />);
    expect(screen.getByLabelText<HTMLInputElement>("E-mail").value).toBe("o@example.com");
    expect(screen.getByRole("link", { name: "Back to log in" }).getAttribute("href")).toBe("/login");
    fill("Code", "12 34-56");
    expect(screen.getByLabelText<HTMLInputElement>("Code").value).toBe("123456");

    fill("New password", "short");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByRole("alert").textContent).toMatch(/at least 8 characters/);
    expect(fetchMock).not.toHaveBeenCalled();

    fill("New password", "Longer-pass1");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByText("That code is wrong or has expired.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Set new password" })).toHaveProperty("disabled", false);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/auth/reset-password");
    expect(JSON.parse(String(init?.body))).toEqual({ email: "o@example.com", code: "123456", password: "Longer-pass1" });
  });

  it("goes to log in, saying the password changed, once it is saved", async () => {
    vi.stubGlobal("fetch", answer(200, { status: "ok" }));
    render(<ResetPage />);
    fill("Code", "123456");
    fill("New password", "Longer-pass1");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    await waitFor(() => expect(window.location.pathname).toBe("/login"));
    expect(window.location.search).toBe("?email=o%40example.com&reset=1");
  });
});
