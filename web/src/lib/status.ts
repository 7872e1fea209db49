/** Record and pet status (SPEC §3.1), mirrored from petshots_core.status so the door can
 *  recompute statuses offline: a record saved "current" may be "due soon" by the time it is
 *  shown without a network. */
import { dayNumber, type IsoDate } from "./dates";

export type Status = "expired" | "due_soon" | "current" | "no_expiry";

export const STATUS_WORD: Record<Status, string> = {
  expired: "Expired",
  due_soon: "Due soon",
  current: "Current",
  no_expiry: "No expiry",
};

const URGENCY: Record<Status, number> = { expired: 0, due_soon: 1, current: 2, no_expiry: 3 };

export const DEFAULT_DUE_SOON_DAYS = 30;

export function daysToExpiry(expiresOn: IsoDate | null, today: IsoDate): number | null {
  return expiresOn ? dayNumber(expiresOn) - dayNumber(today) : null;
}

export function recordStatus(
  expiresOn: IsoDate | null,
  today: IsoDate,
  dueSoonDays: number = DEFAULT_DUE_SOON_DAYS,
): Status {
  const days = daysToExpiry(expiresOn, today);
  if (days === null) return "no_expiry";
  if (days < 0) return "expired";
  if (days <= dueSoonDays) return "due_soon";
  return "current";
}

export function urgency(status: Status): number {
  return URGENCY[status];
}

/** The most urgent status; a pet without records reads as no_expiry. */
export function petStatus(statuses: Iterable<Status>): Status {
  let best: Status = "no_expiry";
  for (const s of statuses) if (URGENCY[s] < URGENCY[best]) best = s;
  return best;
}

export function needsAttention(status: Status): boolean {
  return status === "expired" || status === "due_soon";
}

/** Most urgent first, then the earliest expiry. */
export function compareAttention(
  a: { status: Status; expires_on: IsoDate | null },
  b: { status: Status; expires_on: IsoDate | null },
): number {
  const byUrgency = URGENCY[a.status] - URGENCY[b.status];
  if (byUrgency) return byUrgency;
  const da = a.expires_on ? dayNumber(a.expires_on) : Number.POSITIVE_INFINITY;
  const db = b.expires_on ? dayNumber(b.expires_on) : Number.POSITIVE_INFINITY;
  return da === db ? 0 : da < db ? -1 : 1;
}
