/** The SPA's configuration, read once from Vite's build-time env and checked here, so a bad
 *  value fails at start-up with a clear message instead of as odd requests later. */

export interface AppConfig {
  /** Origin (or path prefix) of the API; "" = the page's own origin, as behind the edge. */
  apiBaseUrl: string;
  appName: string;
  /** Days a record counts as "due soon" before the owner's settings arrive (SPEC default). */
  defaultDueSoonDays: number;
  /** Largest record file the API accepts (SPEC §3.2), checked before any upload starts. */
  maxRecordBytes: number;
  maxPhotoBytes: number;
}

function readString(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : fallback;
}

function readInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

export function parseConfig(env: Record<string, unknown>): AppConfig {
  const apiBaseUrl = readString(env.VITE_API_BASE_URL, "").replace(/\/+$/, "");
  if (apiBaseUrl && !/^(https?:\/\/[^/]+)?(\/[\w./-]*)?$/.test(apiBaseUrl)) {
    throw new Error(`VITE_API_BASE_URL is not an origin or path: ${apiBaseUrl}`);
  }
  return {
    apiBaseUrl,
    appName: readString(env.VITE_APP_NAME, "Petshots"),
    defaultDueSoonDays: readInt("VITE_DUE_SOON_DAYS", env.VITE_DUE_SOON_DAYS, 30),
    maxRecordBytes: readInt("VITE_MAX_RECORD_BYTES", env.VITE_MAX_RECORD_BYTES, 20 * 1024 * 1024),
    maxPhotoBytes: readInt("VITE_MAX_PHOTO_BYTES", env.VITE_MAX_PHOTO_BYTES, 5 * 1024 * 1024),
  };
}

export const config: AppConfig = parseConfig(import.meta.env as Record<string, unknown>);
