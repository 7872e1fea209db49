/** /api/pets*: list, one pet with its records, create, edit, delete, photo upload. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Pet, PetCreate, PetDetail, PetUpdate, PhotoUpload } from "@/lib/api-types";
import { scheduleDoorSync } from "@/lib/door-sync";
import { resizeImage } from "@/lib/image";
import { uploadToStorage } from "@/lib/upload";

export const petQuery = (petId: string) =>
  queryOptions({
    queryKey: ["pets", petId],
    queryFn: () => api<PetDetail>(`/api/pets/${petId}`),
  });

export function usePet(petId: string) {
  return useQuery(petQuery(petId));
}

export function useCreatePet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PetCreate) => api<Pet>("/api/pets", { method: "POST", body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      scheduleDoorSync();
    },
  });
}

export function useUpdatePet(petId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PetUpdate) =>
      api<PetDetail>(`/api/pets/${petId}`, { method: "PATCH", body }),
    onSuccess: (pet) => {
      qc.setQueryData(petQuery(petId).queryKey, pet);
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      scheduleDoorSync();
    },
  });
}

export function useDeletePet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (petId: string) => api<void>(`/api/pets/${petId}`, { method: "DELETE" }),
    onSuccess: (_v, petId) => {
      qc.removeQueries({ queryKey: ["pets", petId] });
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      void qc.invalidateQueries({ queryKey: ["passports"] });
      scheduleDoorSync(0);
    },
  });
}

/** Resize in the browser (a portrait needs 640 px, not a 4 MB camera shot), then upload the
 *  result straight to storage and confirm. */
export async function uploadPetPhoto(
  petId: string,
  file: File,
  onProgress?: (f: number) => void,
): Promise<PetDetail> {
  const resized = await resizeImage(file, 640, "image/jpeg", 0.85);
  if (!resized) {
    throw new Error("This image can't be read here. Try a JPEG, PNG or WebP photo.");
  }
  const { upload } = await api<PhotoUpload>(`/api/pets/${petId}/photo`, {
    method: "POST",
    body: { content_type: resized.type, size_bytes: resized.blob.size },
  });
  await uploadToStorage(upload, resized.blob, "photo.jpg", { onProgress });
  return api<PetDetail>(`/api/pets/${petId}/photo/complete`, { method: "POST" });
}
