import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { FormError } from "@/components/field";
import { useSubmit } from "@/components/use-submit";
import { forgotPassword } from "../api/auth";
import { EmailField } from "./auth-fields";
import { AuthLayout, BackToLogIn, useSearchParam } from "./auth-layout";

export default function ForgotPage() {
  const [email, setEmail] = useState(useSearchParam("email") ?? "");
  const { busy, error, run } = useSubmit();
  const [, navigate] = useLocation();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await forgotPassword(email.trim());
      navigate(`/reset?email=${encodeURIComponent(email.trim())}`);
    });
  }

  return (
    <AuthLayout title="Reset your password">
      <p className="muted">We'll e-mail you a code to set a new password.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} />
        <FormError message={error} />
        <button type="submit" className="button button--block" disabled={busy || !email}>
          {busy ? "Sending…" : "Send code"}
        </button>
      </form>
      <BackToLogIn />
    </AuthLayout>
  );
}
