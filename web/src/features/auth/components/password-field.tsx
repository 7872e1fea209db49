import { Field } from "@/components/field";
import { checkPassword } from "@/lib/password-policy";

export function NewPasswordField({
  value,
  onChange,
  label = "Password",
}: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
}) {
  const checks = checkPassword(value);
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={
        <ul className="policy" aria-label="Password rules">
          {checks.map((c) => (
            <li key={c.id} data-ok={c.ok}>
              {c.ok ? "✓" : "•"} {c.label}
              <span className="visually-hidden">{c.ok ? " (done)" : " (missing)"}</span>
            </li>
          ))}
        </ul>
      }
    />
  );
}
