/** The auth service (SPEC §4 /auth/*): sign-up, confirmation, SRP login, reset, logout. */
import { queryOptions } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api-client";
import type { LoginChallenge, PublicConfig, Tokens } from "@/lib/api-types";
import { clearDoor } from "@/lib/door-store";
import { getSession, sessionFromTokens, setSession, type Session } from "@/lib/session";
import { poolName, startSrp } from "@/lib/srp";

export const authConfigQuery = () =>
  queryOptions({
    queryKey: ["auth", "config"],
    queryFn: () => api<PublicConfig>("/auth/config", { auth: false }),
    staleTime: Infinity,
  });

export function signUp(body: { email: string; password: string; captcha_token: string | null }) {
  return api<{ status: string }>("/auth/signup", { method: "POST", body, auth: false });
}

export function confirmSignUp(body: { email: string; code: string }) {
  return api<{ status: string }>("/auth/confirm", { method: "POST", body, auth: false });
}

export function resendCode(email: string) {
  return api<{ status: string }>("/auth/confirm/resend", {
    method: "POST",
    body: { email },
    auth: false,
  });
}

export function forgotPassword(email: string) {
  return api<{ status: string }>("/auth/forgot-password", {
    method: "POST",
    body: { email },
    auth: false,
  });
}

export function resetPassword(body: { email: string; code: string; password: string }) {
  return api<{ status: string }>("/auth/reset-password", { method: "POST", body, auth: false });
}

/** SRP login (Cognito USER_SRP_AUTH): only A and the password claim cross the network. */
export async function logIn(email: string, password: string, cfg: PublicConfig): Promise<Session> {
  const client = startSrp();
  const challenge = await api<LoginChallenge>("/auth/login/start", {
    method: "POST",
    body: { email, srp_a: client.srpA },
    auth: false,
  });
  const p = challenge.challenge_parameters;
  const { signature, timestamp } = await client.answer({
    poolName: poolName(cfg.user_pool_id),
    userIdForSrp: p.USER_ID_FOR_SRP,
    password,
    saltHex: p.SALT,
    srpBHex: p.SRP_B,
    secretBlock: p.SECRET_BLOCK,
  });
  let tokens: Tokens;
  try {
    tokens = await api<Tokens>("/auth/login/finish", {
      method: "POST",
      body: { session: challenge.session, email, timestamp, secret_block: p.SECRET_BLOCK, signature },
      auth: false,
    });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      throw new ApiError(401, "wrong_credentials", "That e-mail and password don't match.");
    }
    throw err;
  }
  const session = sessionFromTokens(tokens);
  if (!session.email) session.email = email;
  setSession(session);
  return session;
}

/** Log out here: revoke the refresh token (best effort) and leave nothing on the device. */
export async function logOut(): Promise<void> {
  const session = getSession();
  if (session) {
    await api("/auth/logout", {
      method: "POST",
      body: { refresh_token: session.refreshToken },
    }).catch(() => undefined);
  }
  await wipeDevice();
}

export async function wipeDevice(): Promise<void> {
  setSession(null);
  await clearDoor();
  navigator.serviceWorker?.controller?.postMessage({ type: "logout" });
}

export function deleteAccount() {
  return api<void>("/auth/me", { method: "DELETE" });
}
