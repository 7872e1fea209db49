import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { useSubmit } from "@/components/use-submit";
import { api } from "@/lib/api-client";
import type { OwnerSettings } from "@/lib/api-types";
import { browserTimeZone } from "@/lib/dates";
import { safeNext } from "@/lib/safe-next";
import { authConfigQuery, logIn } from "../api/auth";
import { EmailField } from "./auth-fields";
import { AuthLayout, useSearchParam } from "./auth-layout";

/** First login on a new account: the owner's time zone from the browser (issue: "time zone
 *  defaulted from the browser"), unless they already chose one. Best effort. */
async function adoptBrowserTimeZone(sub: string): Promise<void> {
  const flag = `petshots.tz-adopted.${sub}`;
  if (localStorage.getItem(flag)) return;
  const zone = browserTimeZone();
  const settings = await api<OwnerSettings>("/auth/me/settings");
  if (settings.timezone === "UTC" && zone !== "UTC") {
    await api<OwnerSettings>("/auth/me/settings", {
      method: "PUT",
      body: { ...settings, timezone: zone },
    });
  }
  localStorage.setItem(flag, "1");
}

export default function LoginPage() {
  const next = safeNext(useSearchParam("next"));
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();
  const [, navigate] = useLocation();
  const config = useQuery(authConfigQuery());
  const qc = useQueryClient();
  const expired = useSearchParam("next") !== null;
  const confirmed = useSearchParam("confirmed") === "1";
  const wasReset = useSearchParam("reset") === "1";

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const cfg = config.data ?? (await qc.fetchQuery(authConfigQuery()));
      const session = await logIn(email.trim(), password, cfg);
      await adoptBrowserTimeZone(session.sub).catch(() => undefined);
      navigate(next, { replace: true });
    });
  }

  return (
    <AuthLayout title="Log in">
      {confirmed && <p role="status">Your e-mail address is confirmed. Log in to start.</p>}
      {wasReset && <p role="status">Your password is changed. Log in with the new one.</p>}
      {expired && next !== "/" && (
        <p className="muted" role="status">
          Log in to continue where you were.
        </p>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        <EmailField autoComplete="username" value={email} onChange={setEmail} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy || !email || !password}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      <div className="auth__links">
        <Link href="/signup">Create an account</Link>
        <Link href={`/forgot${email ? `?email=${encodeURIComponent(email)}` : ""}`}>Forgot password?</Link>
      </div>
    </AuthLayout>
  );
}
