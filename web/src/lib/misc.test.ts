import { describe, expect, it } from "vitest";
import { parseConfig } from "@/config/env";
import { checkPassword, passwordAcceptable } from "./password-policy";
import { safeNext } from "./safe-next";
import { accessTokenFresh, sessionAfterRefresh, sessionFromTokens } from "./session";

function jwt(payload: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "RS256" })}.${b64(payload)}.sig`;
}

describe("config", () => {
  it("defaults to the page's own origin and SPEC limits", () => {
    const c = parseConfig({});
    expect(c.apiBaseUrl).toBe("");
    expect(c.maxRecordBytes).toBe(20971520);
    expect(c.maxPhotoBytes).toBe(5 * 1024 * 1024);
  });
  it("rejects nonsense early", () => {
    expect(() => parseConfig({ VITE_MAX_RECORD_BYTES: "lots" })).toThrow(/positive integer/);
    expect(() => parseConfig({ VITE_API_BASE_URL: "javascript:alert(1)" })).toThrow();
    expect(parseConfig({ VITE_API_BASE_URL: "https://api.example.com/" }).apiBaseUrl).toBe(
      "https://api.example.com",
    );
  });
});

describe("password policy", () => {
  it("needs 8+ characters with upper, lower and a digit", () => {
    expect(passwordAcceptable("Wag-Tail-2026")).toBe(true);
    expect(passwordAcceptable("short1A")).toBe(false);
    expect(checkPassword("alllowercase1").find((c) => c.id === "upper")?.ok).toBe(false);
  });
});

describe("where to go after login", () => {
  it("only ever to a path on this site", () => {
    expect(safeNext("/pets/1?x=1")).toBe("/pets/1?x=1");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext("/login?next=/x")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});

describe("session", () => {
  it("reads sub and e-mail from the tokens", () => {
    const s = sessionFromTokens(
      {
        access_token: jwt({ sub: "abc", token_use: "access" }),
        id_token: jwt({ sub: "abc", email: "o@example.com" }),
        refresh_token: "r",
        expires_in: 3600,
      },
      1_000,
    );
    expect(s.sub).toBe("abc");
    expect(s.email).toBe("o@example.com");
    expect(s.expiresAt).toBe(3_601_000);
    expect(accessTokenFresh(s, 1_000)).toBe(true);
    expect(accessTokenFresh(s, 3_590_000)).toBe(false);
  });

  it("keeps the refresh token, owner and e-mail through a refresh", () => {
    const before = {
      accessToken: "a1",
      idToken: "i1",
      refreshToken: "r",
      expiresAt: 5,
      sub: "abc",
      email: "o@example.com",
    };
    const after = sessionAfterRefresh(
      before,
      { access_token: "a2", id_token: "i2", expires_in: 3600, token_type: "Bearer" },
      1_000,
    );
    expect(after).toEqual({ ...before, accessToken: "a2", idToken: "i2", expiresAt: 3_601_000 });
    expect(before.accessToken).toBe("a1");
  });
});
