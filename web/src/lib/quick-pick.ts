/** Which certificate the door shows first (SPEC §3.1), and the order to swipe through the rest.
 *  Mirrors petshots_records.domain.overview.services.pick_quick_show so the door can choose
 *  offline from what it saved. */
import { isRabies } from "./vaccines";

export interface PickableDoc {
  id: string;
  label: string;
  expires_on: string | null;
  pinned: boolean;
  state?: string;
  created_at: string;
}

function ready<T extends PickableDoc>(docs: readonly T[]): T[] {
  return docs.filter((d) => d.state === undefined || d.state === "ready");
}

function byRabiesPreference(a: PickableDoc, b: PickableDoc): number {
  // A dated certificate proves more at the door than one without an expiry; then the latest.
  if (!!a.expires_on !== !!b.expires_on) return a.expires_on ? -1 : 1;
  if (a.expires_on !== b.expires_on) return (a.expires_on ?? "") > (b.expires_on ?? "") ? -1 : 1;
  return a.created_at > b.created_at ? -1 : a.created_at < b.created_at ? 1 : 0;
}

function byNewest(a: PickableDoc, b: PickableDoc): number {
  if (a.created_at !== b.created_at) return a.created_at > b.created_at ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

export function pickQuickShow<T extends PickableDoc>(docs: readonly T[]): T | null {
  const candidates = ready(docs);
  const pinned = candidates.find((d) => d.pinned);
  if (pinned) return pinned;
  const rabies = candidates.filter((d) => isRabies(d.label)).sort(byRabiesPreference);
  if (rabies[0]) return rabies[0];
  return [...candidates].sort(byNewest)[0] ?? null;
}

/** The door's swipe order: the pick first, then Rabies records, then the rest, newest first. */
export function doorOrder<T extends PickableDoc>(docs: readonly T[]): T[] {
  const candidates = ready(docs);
  const first = pickQuickShow(candidates);
  const rest = candidates.filter((d) => d !== first);
  const rabies = rest.filter((d) => isRabies(d.label)).sort(byRabiesPreference);
  const others = rest.filter((d) => !isRabies(d.label)).sort(byNewest);
  return [...(first ? [first] : []), ...rabies, ...others];
}
