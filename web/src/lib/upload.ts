/** Straight-to-storage uploads with a presigned POST (SPEC §3.1): fields first, the file last,
 *  through XMLHttpRequest because fetch still cannot report upload progress. */

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export class UploadError extends Error {
  readonly status: number;
  readonly retryable: boolean;

  constructor(message: string, status: number, retryable: boolean) {
    super(message);
    this.name = "UploadError";
    this.status = status;
    this.retryable = retryable;
  }
}

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Storage answers a rejected policy with XML: pick out its Code for a readable message. */
export function storageErrorMessage(status: number, xml: string): UploadError {
  const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? "";
  if (code === "EntityTooLarge") {
    return new UploadError("That file is larger than storage allows (20 MB).", status, false);
  }
  if (code === "AccessDenied" && /expired/i.test(xml)) {
    return new UploadError("The upload took too long and its permission expired.", status, true);
  }
  if (status === 0) {
    return new UploadError("The upload was interrupted. Check your connection.", 0, true);
  }
  if (status >= 500) return new UploadError("Storage is busy. Please try again.", status, true);
  return new UploadError(`Storage refused the file${code ? ` (${code})` : ""}.`, status, true);
}

export function buildUploadForm(post: PresignedPost, file: Blob, filename: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  // S3 ignores every field after "file": it must come last.
  form.append("file", file, filename);
  return form;
}

export function uploadToStorage(
  post: PresignedPost,
  file: Blob,
  filename: string,
  { onProgress, signal }: UploadOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", post.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve();
      } else {
        reject(storageErrorMessage(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(storageErrorMessage(0, ""));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(buildUploadForm(post, file, filename));
  });
}
