/** Calendar dates as the API speaks them: "YYYY-MM-DD", no time, no zone. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Days since 1970-01-01 for a calendar date (exact; no time zone involved). */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not an ISO date: ${date}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The calendar date in an IANA zone at an instant (the owner's "today", SPEC §3.1). */
export function todayIn(timeZone: string | null | undefined, now: Date = new Date()): IsoDate {
  const zone = validTimeZone(timeZone) ? timeZone! : "UTC";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function validTimeZone(zone: string | null | undefined): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** "12 Mar 2027" in the reader's locale; the date is shown as written, never shifted. */
export function formatDate(date: IsoDate, locale?: string): string {
  const n = dayNumber(date);
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(n * 86_400_000));
}

/** "expires today", "expires in 10 days", "expired 3 days ago". */
export function describeExpiry(daysToExpiry: number | null): string {
  if (daysToExpiry === null) return "no expiry date";
  if (daysToExpiry === 0) return "expires today";
  if (daysToExpiry === 1) return "expires tomorrow";
  if (daysToExpiry > 1) return `expires in ${daysToExpiry} days`;
  if (daysToExpiry === -1) return "expired yesterday";
  return `expired ${-daysToExpiry} days ago`;
}

/** "14:03" today, "Tue 14:03" this week, else "12 Mar, 14:03". */
export function formatSavedAt(savedAt: number, now: number = Date.now(), locale?: string): string {
  const d = new Date(savedAt);
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(d);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  if (sameDay) return `today ${time}`;
  const ageDays = (now - savedAt) / 86_400_000;
  if (ageDays < 6) {
    return `${new Intl.DateTimeFormat(locale, { weekday: "short" }).format(d)} ${time}`;
  }
  return `${new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(d)}, ${time}`;
}
