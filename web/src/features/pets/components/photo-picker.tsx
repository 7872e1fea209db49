/** Change a pet's portrait: resized in the browser, uploaded straight to storage. */
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ProgressBar } from "@/components/progress";
import { errorMessage } from "@/lib/api-client";
import { scheduleDoorSync } from "@/lib/door-sync";
import { checkPhotoFile } from "@/lib/files";
import { petQuery, uploadPetPhoto } from "../api/pets";

export function PhotoPicker({ petId, hasPhoto }: { petId: string; hasPhoto: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();

  async function pick(file: File | undefined) {
    if (!file) return;
    setError(null);
    const problem = checkPhotoFile(file);
    if (problem) return setError(problem.message);
    setProgress(0);
    try {
      const pet = await uploadPetPhoto(petId, file, setProgress);
      qc.setQueryData(petQuery(petId).queryKey, pet);
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      scheduleDoorSync();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="stack">
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/heic"
        className="visually-hidden"
        id={`photo-${petId}`}
        onChange={(e) => void pick(e.target.files?.[0])}
      />
      <label htmlFor={`photo-${petId}`} className="button button--ghost">
        {hasPhoto ? "Change photo" : "Add a photo"}
      </label>
      {progress !== null && <ProgressBar value={progress} label="Uploading photo" />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
