/** What a record file may be (SPEC §3.2), checked in the browser before any byte is sent. */

export const RECORD_TYPES = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/heic",
] as const;
export type RecordContentType = (typeof RECORD_TYPES)[number];

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoContentType = (typeof PHOTO_TYPES)[number];

const BY_EXTENSION: Record<string, RecordContentType> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heic",
};

/** The declared type; phones often send HEIC with an empty or odd type, so the name decides. */
export function recordContentType(file: { name: string; type: string }): RecordContentType | null {
  const type = file.type.toLowerCase();
  if (type === "image/jpg" || type === "image/pjpeg") return "image/jpeg";
  if (type === "image/heif") return "image/heic";
  if ((RECORD_TYPES as readonly string[]).includes(type)) return type as RecordContentType;
  const ext = file.name.toLowerCase().split(".").pop() ?? "";
  return BY_EXTENSION[ext] ?? null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export type FileProblem =
  | { kind: "type"; message: string }
  | { kind: "size"; message: string }
  | { kind: "empty"; message: string };

export function checkRecordFile(
  file: { name: string; type: string; size: number },
  maxBytes: number,
): FileProblem | null {
  if (file.size === 0) return { kind: "empty", message: "That file is empty." };
  if (!recordContentType(file)) {
    return {
      kind: "type",
      message: "Records can be a PDF or a photo (JPEG, PNG, WebP or HEIC).",
    };
  }
  if (file.size > maxBytes) {
    return {
      kind: "size",
      message: `That file is ${formatBytes(file.size)}; records can be up to ${formatBytes(maxBytes)}.`,
    };
  }
  return null;
}

export function checkPhotoFile(
  file: { name: string; type: string; size: number },
): FileProblem | null {
  if (file.size === 0) return { kind: "empty", message: "That file is empty." };
  if (!file.type.startsWith("image/")) {
    return { kind: "type", message: "A pet photo must be an image (JPEG, PNG or WebP)." };
  }
  return null;
}

/** A file name the API accepts: no path, no control characters, at most 255 characters. */
export function safeFilename(name: string, fallback = "certificate"): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[/\\\u0000-\u001f\u007f]+/g, "_").trim();
  if (!cleaned || cleaned === "." || cleaned === "..") return fallback;
  if (cleaned.length <= 255) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 255 - ext.length) + ext;
}
