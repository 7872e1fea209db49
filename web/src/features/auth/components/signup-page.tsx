import { useQuery } from "@tanstack/react-query";
import { useCallback, useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { FormError } from "@/components/field";
import { useSubmit } from "@/components/use-submit";
import { passwordAcceptable } from "@/lib/password-policy";
import { authConfigQuery, signUp } from "../api/auth";
import { EmailField } from "./auth-fields";
import { AuthLayout } from "./auth-layout";
import { NewPasswordField } from "./password-field";
import { Turnstile } from "./turnstile";

export default function SignUpPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [captcha, setCaptcha] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const [, navigate] = useLocation();
  const config = useQuery(authConfigQuery());
  const siteKey = config.data?.captcha_site_key ?? null;
  const onError = useCallback((m: string) => setError(m), [setError]);

  function submit(e: FormEvent) {
    e.preventDefault();
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
    void run(async () => {
      await signUp({ email: email.trim(), password, captcha_token: captcha });
      navigate(`/confirm?email=${encodeURIComponent(email.trim())}`);
    });
  }

  return (
    <AuthLayout title="Create your account">
      <p className="muted">Keep every vaccination certificate at hand, even with no signal.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} />
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
