/** Where to go after login: only a path on this site ("/pets/1"), never "//evil.example". */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return fallback;
  }
  if (/^\/(login|signup|confirm|forgot|reset)(\/|\?|$)/.test(next)) return fallback;
  return next;
}
