import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { errorMessage } from "@/lib/api-client";
import { forgotPassword } from "../api/auth";
import { AuthLayout, useSearchParam } from "./auth-layout";

export default function ForgotPage() {
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await forgotPassword(email.trim());
      navigate(`/reset?email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Reset your password">
      <p className="muted">We'll e-mail you a code to set a new password.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy || !email}>
          {busy ? "Sending…" : "Send code"}
        </button>
      </form>
      <div className="auth__links">
        <Link href="/login">Back to log in</Link>
      </div>
    </AuthLayout>
  );
}
