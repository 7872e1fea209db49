import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { FormError } from "@/components/field";
import { useSubmit } from "@/components/use-submit";
import { passwordAcceptable } from "@/lib/password-policy";
import { resetPassword } from "../api/auth";
import { CodeField, EmailField } from "./auth-fields";
import { AuthLayout, BackToLogIn, useSearchParam } from "./auth-layout";
import { NewPasswordField } from "./password-field";

export default function ResetPage() {
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, setError, run } = useSubmit();
  const [, navigate] = useLocation();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!passwordAcceptable(password)) {
      setError("Your new password needs at least 8 characters with upper- and lower-case letters and a digit.");
      return;
    }
    void run(async () => {
      await resetPassword({ email: email.trim(), code: code.trim(), password });
      navigate(`/login?email=${encodeURIComponent(email.trim())}&reset=1`);
    });
  }

  return (
    <AuthLayout title="Choose a new password">
      <p className="muted">Enter the code from the e-mail and your new password.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} />
        <CodeField value={code} onChange={setCode} />
        <NewPasswordField label="New password" value={password} onChange={setPassword} />
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </button>
      </form>
      <BackToLogIn />
    </AuthLayout>
  );
}
