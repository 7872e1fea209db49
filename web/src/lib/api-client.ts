/** The one API client: JSON in and out, the bearer token, one silent refresh on 401, and
 *  errors turned into ApiError with the API's {error, detail} (SPEC §4). */
import { config } from "@/config/env";
import type { RefreshedTokens } from "./api-types";
import { accessTokenFresh, getSession, sessionAfterRefresh, setSession, type Session } from "./session";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, body: Record<string, unknown> = {}) {
    super(detail || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }

  get isOffline(): boolean {
    return this.status === 0;
  }
}

export type SessionExpiredHandler = () => void;
let onSessionExpired: SessionExpiredHandler = () => undefined;

/** The app decides what "session expired" looks like (back to login, keeping the page). */
export function setSessionExpiredHandler(handler: SessionExpiredHandler): void {
  onSessionExpired = handler;
}

export function apiUrl(path: string): string {
  return `${config.apiBaseUrl}${path}`;
}

async function parseError(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    body = {};
  }
  const code = typeof body.error === "string" ? body.error : `http_${res.status}`;
  const detail = typeof body.detail === "string" ? body.detail : res.statusText;
  return new ApiError(res.status, code, detail, body);
}

let refreshing: Promise<Session | null> | null = null;

/** Trade the refresh token for a new access token; one request at a time for all callers. */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return null;
    let res: Response;
    try {
      res = await fetch(apiUrl("/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
    } catch {
      throw new ApiError(0, "offline", "You appear to be offline.");
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      setSession(null);
      onSessionExpired();
      return null;
    }
    if (!res.ok) throw await parseError(res);
    const next = sessionAfterRefresh(session, (await res.json()) as RefreshedTokens);
    setSession(next);
    return next;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function bearer(): Promise<string | null> {
  const session = getSession();
  if (!session) return null;
  if (accessTokenFresh(session)) return session.accessToken;
  try {
    const next = await refreshSession();
    return next?.accessToken ?? null;
  } catch {
    // Offline with a stale token: try it anyway, the server has the last word.
    return session.accessToken;
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** false for public endpoints (sign-up, login, config). */
  auth?: boolean;
  signal?: AbortSignal;
  accept?: string;
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(apiUrl(path), {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: "no-store",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "offline", "You appear to be offline. Check your connection.");
  }
}

/** A response, after auth and the one retry; throws ApiError for anything but 2xx. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const auth = options.auth ?? true;
  let token = auth ? await bearer() : null;
  if (auth && !token) {
    onSessionExpired();
    throw new ApiError(401, "not_authenticated", "Please log in again.");
  }
  let res = await send(path, options, token);
  if (res.status === 401 && auth) {
    const next = await refreshSession().catch(() => null);
    token = next?.accessToken ?? null;
    if (!token) {
      onSessionExpired();
      throw new ApiError(401, "session_expired", "Your session has expired. Please log in again.");
    }
    res = await send(path, options, token);
    if (res.status === 401) {
      setSession(null);
      onSessionExpired();
    }
  }
  if (!res.ok) throw await parseError(res);
  return res;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await request(path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A human sentence for any error the UI shows. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case "offline":
        return "You're offline. This needs a connection — try again when you're back online.";
      case "pet_limit":
        return `The free plan holds up to ${String(err.body.limit ?? 3)} pets. Remove a pet to add another.`;
      case "document_limit":
        return `A pet holds up to ${String(err.body.limit ?? 20)} records. Delete an old record to add a new one.`;
      case "file_too_large":
        return "That file is too large. Records can be up to 20 MB.";
      case "session_expired":
      case "not_authenticated":
        return "Your session has expired. Please log in again.";
      case "rate_limited":
      case "too_many_requests":
        return "Too many attempts. Please wait a minute and try again.";
      default:
        if (err.status >= 500) return "Something went wrong on our side. Please try again.";
        return err.detail || "That didn't work. Please check and try again.";
    }
  }
  if (err instanceof Error) return err.message;
  return "Something went wrong. Please try again.";
}
