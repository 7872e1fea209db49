/** /api/pets/{id}/docs, /api/docs/{id}: add a record (presigned upload), view, edit, pin, delete. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api-client";
import type { DocCreate, DocCreated, DocDetail, DocUpdate, PetDetail } from "@/lib/api-types";
import { UploadError, uploadToStorage } from "@/lib/upload";

export const docQuery = (docId: string) =>
  queryOptions({
    queryKey: ["docs", docId],
    queryFn: () => api<DocDetail>(`/api/docs/${docId}`),
    // The file URL is signed for 60 minutes; refetch well before it lapses.
    staleTime: 10 * 60_000,
  });

export function useDoc(docId: string) {
  return useQuery(docQuery(docId));
}

/** The pet a record is added to (same cache entry as the pet page's query). */
export function usePetName(petId: string) {
  return useQuery({ queryKey: ["pets", petId], queryFn: () => api<PetDetail>(`/api/pets/${petId}`) });
}

export function updateDoc(docId: string, body: DocUpdate) {
  return api<DocDetail>(`/api/docs/${docId}`, { method: "PATCH", body });
}

export function deleteDoc(docId: string) {
  return api<void>(`/api/docs/${docId}`, { method: "DELETE" });
}

export type UploadPhase = "creating" | "uploading" | "checking" | "done";

export interface AddRecordInput {
  petId: string;
  label: string;
  expiresOn: string | null;
  givenOn: string | null;
  file: Blob;
  filename: string;
  contentType: DocCreate["content_type"];
}

/** An add-record attempt that can be retried: the pending record and its upload permission
 *  are reused while the permission is valid, and replaced when it has lapsed. */
export class RecordUpload {
  private created: DocCreated | null = null;
  private issuedAt = 0;
  private uploaded = false;

  constructor(private readonly input: AddRecordInput) {}

  async run(
    onPhase: (p: UploadPhase) => void,
    onProgress: (f: number) => void,
    signal?: AbortSignal,
  ): Promise<DocDetail> {
    const i = this.input;
    const lapsed =
      this.created && Date.now() - this.issuedAt > (this.created.upload.expires_in - 20) * 1000;
    if (this.created && lapsed && !this.uploaded) {
      await deleteDoc(this.created.doc.id).catch(() => undefined);
      this.created = null;
    }
    if (!this.created) {
      onPhase("creating");
      this.created = await api<DocCreated>(`/api/pets/${i.petId}/docs`, {
        method: "POST",
        body: {
          label: i.label,
          expires_on: i.expiresOn,
          given_on: i.givenOn,
          filename: i.filename,
          content_type: i.contentType,
          size_bytes: i.file.size,
        },
      });
      this.issuedAt = Date.now();
    }
    if (!this.uploaded) {
      onPhase("uploading");
      await uploadToStorage(this.created.upload, i.file, i.filename, { onProgress, signal });
      this.uploaded = true;
    }
    onPhase("checking");
    try {
      const doc = await api<DocDetail>(`/api/docs/${this.created.doc.id}/complete`, {
        method: "POST",
      });
      onPhase("done");
      return doc;
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_uploaded") this.uploaded = false;
      if (err instanceof ApiError && err.code === "content_mismatch") {
        // The record stays pending with no file: drop it so it doesn't linger.
        await deleteDoc(this.created.doc.id).catch(() => undefined);
        this.created = null;
        this.uploaded = false;
        throw new UploadError(
          `That file isn't a valid ${i.contentType === "application/pdf" ? "PDF" : "image"}. Choose another file.`,
          422,
          false,
        );
      }
      throw err;
    }
  }

  /** Give up: remove the pending record so it doesn't count against the pet's limit. */
  async abandon(): Promise<void> {
    if (this.created && !this.uploaded) {
      await deleteDoc(this.created.doc.id).catch(() => undefined);
    }
  }
}
