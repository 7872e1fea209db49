/** /api/passports*: the owner's public links (SPEC §3.3). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, request } from "@/lib/api-client";
import type { Passport, PassportCreate, PassportViews } from "@/lib/api-types";

export const passportsQuery = (petId?: string) =>
  queryOptions({
    queryKey: ["passports", petId ?? "all"],
    queryFn: () =>
      api<Passport[]>(petId ? `/api/passports?pet_id=${encodeURIComponent(petId)}` : "/api/passports"),
  });

export function usePassports(petId?: string) {
  return useQuery(passportsQuery(petId));
}

export const passportQuery = (id: string) =>
  queryOptions({ queryKey: ["passport", id], queryFn: () => api<Passport>(`/api/passports/${id}`) });

export const passportViewsQuery = (id: string) =>
  queryOptions({
    queryKey: ["passport", id, "views"],
    queryFn: () => api<PassportViews>(`/api/passports/${id}/views?limit=100`),
  });

export function createPassport(body: PassportCreate) {
  return api<Passport>("/api/passports", { method: "POST", body });
}

export function revokePassport(id: string) {
  return api<void>(`/api/passports/${id}`, { method: "DELETE" });
}

/** The QR code as an object URL (the endpoint needs the bearer token, so no plain <img src>). */
export async function passportQrUrl(id: string): Promise<string> {
  const res = await request(`/api/passports/${id}/qr.svg`, { accept: "image/svg+xml" });
  const blob = await res.blob();
  return URL.createObjectURL(new Blob([blob], { type: "image/svg+xml" }));
}
