import { useQuery } from "@tanstack/react-query";
import { useCallback, useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { errorMessage } from "@/lib/api-client";
import { passwordAcceptable } from "@/lib/password-policy";
import { authConfigQuery, signUp } from "../api/auth";
import { AuthLayout } from "./auth-layout";
import { NewPasswordField } from "./password-field";
import { Turnstile } from "./turnstile";

export default function SignUpPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [captcha, setCaptcha] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();
  const config = useQuery(authConfigQuery());
  const siteKey = config.data?.captcha_site_key ?? null;
  const onError = useCallback((m: string) => setError(m), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setError("Please enter a valid e-mail address.");
      return;
    }
    if (!passwordAcceptable(password)) {
      setError("Your password needs at least 8 characters with upper- and lower-case letters and a digit.");
      return;
    }
    if (siteKey && !captcha) {
      setError("Please complete the check above.");
      return;
    }
    setBusy(true);
    try {
      await signUp({ email: email.trim(), password, captcha_token: captcha });
      navigate(`/confirm?email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Create your account">
      <p className="muted">Keep every vaccination certificate at hand, even with no signal.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <NewPasswordField value={password} onChange={setPassword} />
        {config.isPending && <p className="muted">Loading…</p>}
        {siteKey && <Turnstile siteKey={siteKey} onToken={setCaptcha} onError={onError} />}
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy || config.isPending}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <div className="auth__links">
        <Link href="/login">I have an account</Link>
        <Link href="/confirm">I have a code</Link>
      </div>
    </AuthLayout>
  );
}
