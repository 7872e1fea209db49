import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Me, OwnerSettings } from "@/lib/api-types";

export const settingsQuery = () =>
  queryOptions({ queryKey: ["settings"], queryFn: () => api<OwnerSettings>("/auth/me/settings") });

export const meQuery = () => queryOptions({ queryKey: ["me"], queryFn: () => api<Me>("/auth/me") });

export function useSettings() {
  return useQuery(settingsQuery());
}

export function saveSettings(body: OwnerSettings) {
  return api<OwnerSettings>("/auth/me/settings", { method: "PUT", body });
}
