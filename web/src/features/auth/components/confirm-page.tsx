import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { FormError } from "@/components/field";
import { useSubmit } from "@/components/use-submit";
import { errorMessage } from "@/lib/api-client";
import { confirmSignUp, resendCode } from "../api/auth";
import { CodeField, EmailField } from "./auth-fields";
import { AuthLayout, BackToLogIn, useSearchParam } from "./auth-layout";

export default function ConfirmPage() {
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const [code, setCode] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const [, navigate] = useLocation();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setError("The code is the 6 digits from the e-mail.");
      return;
    }
    void run(async () => {
      await confirmSignUp({ email: email.trim(), code: code.trim() });
      navigate(`/login?email=${encodeURIComponent(email.trim())}&confirmed=1`);
    });
  }

  async function resend() {
    setError(null);
    try {
      await resendCode(email.trim());
      setNote("If that address is waiting for confirmation, a new code is on its way.");
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <AuthLayout title="Check your e-mail">
      <p className="muted">We sent a 6-digit code. Enter it to confirm your address.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} />
        <CodeField value={code} onChange={setCode} />
        <FormError message={error} />
        {note && <p role="status">{note}</p>}
        <button type="submit" className="button button--block" disabled={busy || !email}>
          {busy ? "Confirming…" : "Confirm"}
        </button>
        <button type="button" className="button button--ghost button--block" onClick={() => void resend()} disabled={!email}>
          Send a new code
        </button>
      </form>
      <BackToLogIn />
    </AuthLayout>
  );
}
