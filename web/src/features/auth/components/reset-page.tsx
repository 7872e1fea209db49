import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { errorMessage } from "@/lib/api-client";
import { passwordAcceptable } from "@/lib/password-policy";
import { resetPassword } from "../api/auth";
import { AuthLayout, useSearchParam } from "./auth-layout";
import { NewPasswordField } from "./password-field";

export default function ResetPage() {
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!passwordAcceptable(password)) {
      setError("Your new password needs at least 8 characters with upper- and lower-case letters and a digit.");
      return;
    }
    setBusy(true);
    try {
      await resetPassword({ email: email.trim(), code: code.trim(), password });
      navigate(`/login?email=${encodeURIComponent(email.trim())}&reset=1`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Choose a new password">
      <p className="muted">Enter the code from the e-mail and your new password.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))} />
        <NewPasswordField label="New password" value={password} onChange={setPassword} />
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </button>
      </form>
      <div className="auth__links">
        <Link href="/login">Back to log in</Link>
      </div>
    </AuthLayout>
  );
}
