import { api } from "@/lib/api-client";
import type { QuickShow } from "@/lib/api-types";
import { fetchBlob } from "@/lib/door-sync";
import type { DoorBoot } from "@/boot/door-boot";
import { config } from "@/config/env";

export interface LiveQuickShow extends QuickShow {
  blob: Promise<Blob> | null;
}

export function quickShowPath(petId: string | null): string {
  return petId ? `/api/quick-show?pet_id=${encodeURIComponent(petId)}` : "/api/quick-show";
}

/** What index.html's boot script found and painted before the app loaded (once). */
export function takeBoot(petId: string | null): DoorBoot | null {
  const boot = window.__petshotsBoot;
  if (!boot || boot.path !== quickShowPath(petId) || config.apiBaseUrl) return null;
  return boot;
}

/** The server's pick for the door, reusing the boot script's request when it made one. */
export async function getQuickShow(
  petId: string | null,
  haveFile: (docId: string) => boolean,
): Promise<LiveQuickShow> {
  const boot = takeBoot(petId);
  const bootLive = boot?.live ?? null;
  if (boot) boot.live = null; // a later refresh asks the server again
  let qs: QuickShow & { blob?: Promise<Blob> };
  try {
    qs = bootLive ? await bootLive : await api<QuickShow>(quickShowPath(petId));
  } catch {
    qs = await api<QuickShow>(quickShowPath(petId));
  }
  // A download the boot script started may have failed (a dropped connection): try once more.
  const blob = qs.blob
    ? qs.blob.catch(() => fetchBlob(qs.file_url))
    : haveFile(qs.doc.id)
      ? null
      : fetchBlob(qs.file_url);
  blob?.catch(() => undefined);
  return { pet: qs.pet, doc: qs.doc, file_url: qs.file_url, blob };
}
