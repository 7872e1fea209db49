import { Field } from "@/components/field";

export function EmailField({
  value,
  onChange,
  autoComplete = "email",
}: {
  value: string;
  onChange: (v: string) => void;
  /** "username" on the login form, so password managers pair it with the password. */
  autoComplete?: "email" | "username";
}) {
  return (
    <Field
      label="E-mail"
      type="email"
      autoComplete={autoComplete}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** The 6-digit code the auth service e-mails (sign-up confirmation, password reset). */
export function CodeField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Field
      label="Code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="\d{6}"
      maxLength={6}
      required
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ""))}
    />
  );
}
