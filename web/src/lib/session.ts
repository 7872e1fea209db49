/** The owner's tokens: kept in localStorage so a reopened app (and the door boot script in
 *  index.html) is still logged in; refreshed before they expire; wiped on logout.
 *
 *  The refresh token lives in JS-readable storage because the auth API hands it over in JSON
 *  (SPEC §4). The app has no third-party scripts and a strict same-origin setup, which is what
 *  keeps that acceptable. */
import type { RefreshedTokens } from "./api-types";

export const SESSION_KEY = "petshots.session";

export interface Session {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  sub: string;
  email: string | null;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let cached: Session | null | undefined;

function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(b64), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
    );
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isSession(value: unknown): value is Session {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === "string" &&
    typeof v.refreshToken === "string" &&
    typeof v.expiresAt === "number" &&
    typeof v.sub === "string"
  );
}

export function getSession(): Session | null {
  if (cached !== undefined) return cached;
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
    cached = isSession(parsed) ? parsed : null;
  } catch {
    cached = null;
  }
  return cached;
}

export function sessionFromTokens(
  tokens: { access_token: string; id_token: string; refresh_token: string; expires_in: number },
  now: number = Date.now(),
): Session {
  const access = decodeJwtPayload(tokens.access_token);
  const id = decodeJwtPayload(tokens.id_token);
  const sub = String(access.sub ?? id.sub ?? "");
  if (!sub) throw new Error("access token has no subject");
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    refreshToken: tokens.refresh_token,
    expiresAt: now + tokens.expires_in * 1000,
    sub,
    email: typeof id.email === "string" ? id.email : null,
  };
}

/** The session once /auth/refresh has answered: new access and ID tokens, the same refresh
 *  token. The app's client and the door boot script both refresh, so they share this. */
export function sessionAfterRefresh(
  session: Session,
  tokens: RefreshedTokens,
  now: number = Date.now(),
): Session {
  return {
    ...session,
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    expiresAt: now + tokens.expires_in * 1000,
  };
}

export function setSession(session: Session | null): void {
  cached = session;
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
  for (const l of listeners) l(session);
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Another tab logged in or out: follow it. */
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== SESSION_KEY && event.key !== null) return;
    cached = undefined;
    const next = getSession();
    for (const l of listeners) l(next);
  });
}

export function accessTokenFresh(session: Session, now: number = Date.now()): boolean {
  return session.expiresAt - now > 60_000;
}
