import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, errorMessage, setSessionExpiredHandler } from "./api-client";
import { getSession, setSession } from "./session";

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const fresh = () => ({
  accessToken: "old-access",
  idToken: "id",
  refreshToken: "refresh-1",
  expiresAt: Date.now() + 3_600_000,
  sub: "owner-1",
  email: "o@example.com",
});

describe("api client", () => {
  const fetchMock = vi.fn<typeof fetch>();
  const expired = vi.fn();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
    expired.mockReset();
    setSessionExpiredHandler(expired);
    setSession(fresh());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setSession(null);
  });

  it("sends the bearer token and parses JSON", async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: 1 }));
    await expect(api("/api/dashboard")).resolves.toEqual({ ok: 1 });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/dashboard");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer old-access");
  });

  it("refreshes once on 401 and retries the request", async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { error: "unauthorized", detail: "expired" }))
      .mockResolvedValueOnce(json(200, { access_token: "new-access", id_token: "id2", expires_in: 3600 }))
      .mockResolvedValueOnce(json(200, { pets: [] }));
    await expect(api("/api/pets")).resolves.toEqual({ pets: [] });
    expect(fetchMock.mock.calls[1]![0]).toBe("/auth/refresh");
    expect(JSON.parse(String(fetchMock.mock.calls[1]![1]?.body))).toEqual({ refresh_token: "refresh-1" });
    const retried = fetchMock.mock.calls[2]![1]?.headers as Record<string, string>;
    expect(retried.Authorization).toBe("Bearer new-access");
    expect(getSession()?.accessToken).toBe("new-access");
    expect(expired).not.toHaveBeenCalled();
  });

  it("ends the session when the refresh token is refused", async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { error: "unauthorized", detail: "" }))
      .mockResolvedValueOnce(json(401, { error: "invalid_refresh_token", detail: "" }));
    await expect(api("/api/pets")).rejects.toMatchObject({ status: 401 });
    expect(getSession()).toBeNull();
    expect(expired).toHaveBeenCalled();
  });

  it("refreshes an access token about to expire before using it", async () => {
    setSession({ ...fresh(), expiresAt: Date.now() + 10_000 });
    fetchMock
      .mockResolvedValueOnce(json(200, { access_token: "new", id_token: "id", expires_in: 3600 }))
      .mockResolvedValueOnce(json(200, []));
    await api("/api/pets");
    expect(fetchMock.mock.calls[0]![0]).toBe("/auth/refresh");
  });

  it("turns the API's error shape into ApiError", async () => {
    fetchMock.mockResolvedValueOnce(json(409, { error: "pet_limit", detail: "Up to 3 pets.", limit: 3 }));
    const err = await api("/api/pets", { method: "POST", body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("pet_limit");
    expect(errorMessage(err)).toBe("The free plan holds up to 3 pets. Remove a pet to add another.");
  });

  it("reports no network as offline, in words", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    const err = await api("/api/dashboard").catch((e: unknown) => e);
    expect((err as ApiError).isOffline).toBe(true);
    expect(errorMessage(err)).toMatch(/offline/);
  });

  it("returns undefined for 204", async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api("/api/docs/1", { method: "DELETE" })).resolves.toBeUndefined();
  });
});
