/** The password policy of SPEC §3.5 (Cognito's): ≥ 8 characters, upper, lower, digit. */
export interface PolicyCheck {
  id: "length" | "upper" | "lower" | "digit";
  label: string;
  ok: boolean;
}

export function checkPassword(password: string): PolicyCheck[] {
  return [
    { id: "length", label: "At least 8 characters", ok: password.length >= 8 },
    { id: "upper", label: "An upper-case letter", ok: /\p{Lu}/u.test(password) },
    { id: "lower", label: "A lower-case letter", ok: /\p{Ll}/u.test(password) },
    { id: "digit", label: "A digit", ok: /\d/.test(password) },
  ];
}

export function passwordAcceptable(password: string): boolean {
  return checkPassword(password).every((c) => c.ok);
}
