/** GET /api/dashboard, falling back to door mode's saved copy when offline. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api-client";
import type { AttentionItem, Dashboard, Pet } from "@/lib/api-types";
import { todayIn } from "@/lib/dates";
import { readSnapshot, type DoorSnapshot } from "@/lib/door-store";
import { compareAttention, daysToExpiry, needsAttention, petStatus, recordStatus } from "@/lib/status";

export interface DashboardView extends Dashboard {
  /** Set when this came from the device (offline): when it was saved. */
  savedAt: number | null;
}

/** Rebuild the dashboard from what the door saved, with statuses as of today. */
export function dashboardFromSnapshot(snap: DoorSnapshot, petLimit = 3): DashboardView {
  const today = todayIn(snap.timezone);
  const attention: AttentionItem[] = [];
  const pets: Pet[] = snap.pets.map((p) => {
    const statuses = p.docs.map((d) => {
      const status = recordStatus(d.expires_on, today, snap.dueSoonDays);
      if (needsAttention(status)) {
        attention.push({
          pet_id: p.id,
          pet_name: p.name,
          doc_id: d.id,
          label: d.label,
          expires_on: d.expires_on,
          status,
          days_to_expiry: daysToExpiry(d.expires_on, today),
        });
      }
      return status;
    });
    return {
      id: p.id,
      name: p.name,
      species: p.species as Pet["species"],
      breed: p.breed,
      birth_date: null,
      status: petStatus(statuses),
      record_count: p.docs.length,
      photo_url: null,
      created_at: "",
    };
  });
  attention.sort(compareAttention);
  return { pets, attention, pet_limit: petLimit, savedAt: snap.savedAt };
}

export async function getDashboard(): Promise<DashboardView> {
  try {
    return { ...(await api<Dashboard>("/api/dashboard")), savedAt: null };
  } catch (err) {
    if (err instanceof ApiError && err.isOffline) {
      const snap = await readSnapshot().catch(() => null);
      if (snap) return dashboardFromSnapshot(snap);
    }
    throw err;
  }
}

export const dashboardQuery = () =>
  queryOptions({ queryKey: ["dashboard"], queryFn: getDashboard });

export function useDashboard() {
  return useQuery(dashboardQuery());
}
