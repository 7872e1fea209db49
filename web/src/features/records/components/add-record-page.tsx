/** Add a record: label, expiry (or none), the file from the camera or the device, checked
 *  before anything is sent, uploaded straight to storage with progress, retry on failure. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { ProgressBar } from "@/components/progress";
import { useToast } from "@/components/toast";
import { useTitle } from "@/components/use-title";
import { config } from "@/config/env";
import { ApiError, errorMessage } from "@/lib/api-client";
import { scheduleDoorSync } from "@/lib/door-sync";
import { checkRecordFile, formatBytes, recordContentType, safeFilename } from "@/lib/files";
import { optimiseCertificatePhoto } from "@/lib/image";
import { UploadError } from "@/lib/upload";
import { LABEL_CHOICES } from "@/lib/vaccines";
import { RecordUpload, updateDoc, usePetName, type UploadPhase } from "../api/records";

const PHASE_TEXT: Record<UploadPhase, string> = {
  creating: "Preparing upload…",
  uploading: "Uploading",
  checking: "Checking the file…",
  done: "Done",
};

export default function AddRecordPage({ petId }: { petId: string }) {
  const pet = usePetName(petId);
  useTitle(pet.data ? `Add a record for ${pet.data.name}` : "Add a record");
  const [choice, setChoice] = useState<string>("Rabies");
  const [otherLabel, setOtherLabel] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const [noExpiry, setNoExpiry] = useState(false);
  const [givenOn, setGivenOn] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [optimise, setOptimise] = useState(true);
  const [pin, setPin] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [progress, setProgress] = useState(0);
  const [canRetry, setCanRetry] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const attempt = useRef<RecordUpload | null>(null);
  const abort = useRef<AbortController | null>(null);
  const qc = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();

  useEffect(() => {
    if (!file || !file.type.startsWith("image/") || file.type === "image/heic") {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  useEffect(() => () => abort.current?.abort(), []);

  function pickFile(f: File | undefined) {
    attempt.current = null;
    setCanRetry(false);
    setError(null);
    if (!f) return;
    const problem = checkRecordFile(f, config.maxRecordBytes);
    // A photo over the limit is fine when it will be made smaller before upload.
    const shrinkable = problem?.kind === "size" && f.type.startsWith("image/") && optimise;
    if (problem && !shrinkable) {
      setFile(null);
      setFileError(problem.message);
      return;
    }
    setFileError(null);
    setFile(f);
  }

  const label = choice === "Other" ? otherLabel.trim() : choice;
  const isImage = !!file && recordContentType(file)?.startsWith("image/");

  async function run() {
    if (!attempt.current) {
      if (!file) return;
      let blob: Blob = file;
      let filename = safeFilename(file.name);
      let contentType = recordContentType(file)!;
      if (isImage && optimise) {
        const smaller = await optimiseCertificatePhoto(file).catch(() => null);
        if (smaller) {
          blob = smaller.blob;
          filename = safeFilename(smaller.filename);
          contentType = smaller.type;
        }
      }
      if (blob.size > config.maxRecordBytes) {
        setError(`That file is ${formatBytes(blob.size)}; records can be up to ${formatBytes(config.maxRecordBytes)}.`);
        return;
      }
      attempt.current = new RecordUpload({
        petId,
        label,
        expiresOn: noExpiry || !expiresOn ? null : expiresOn,
        givenOn: givenOn || null,
        file: blob,
        filename,
        contentType,
      });
    }
    abort.current = new AbortController();
    setError(null);
    setCanRetry(false);
    try {
      const doc = await attempt.current.run(setPhase, setProgress, abort.current.signal);
      if (pin) await updateDoc(doc.id, { pinned: true });
      void qc.invalidateQueries({ queryKey: ["pets", petId] });
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      scheduleDoorSync(0);
      toast({ message: `${label} record added.` });
      navigate(`/pets/${petId}`, { replace: true });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      setPhase(null);
      if (err instanceof UploadError) {
        setError(err.message);
        setCanRetry(err.retryable);
        if (!err.retryable) attempt.current = null;
      } else if (err instanceof ApiError && (err.code === "document_limit" || err.status === 422)) {
        setError(errorMessage(err));
        attempt.current = null;
      } else {
        setError(errorMessage(err));
        setCanRetry(true);
      }
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!label) return setError("Choose a label, or type one for “Other”.");
    if (!noExpiry && !expiresOn) return setError("Enter the expiry date, or tick “No expiry date”.");
    if (!file) return setError("Choose the certificate file or take a photo of it.");
    if (givenOn && expiresOn && !noExpiry && expiresOn < givenOn) {
      return setError("The expiry date is before the date given.");
    }
    await run();
  }

  async function cancel() {
    abort.current?.abort();
    await attempt.current?.abandon();
    navigate(`/pets/${petId}`);
  }

  const busy = phase !== null && phase !== "done";

  return (
    <section className="page page--narrow">
      <Link href={`/pets/${petId}`} className="back-link">← {pet.data?.name ?? "Pet"}</Link>
      <h1>Add a record{pet.data ? ` for ${pet.data.name}` : ""}</h1>
      <form className="stack card" onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend>Vaccine</legend>
          <div className="chips">
            {[...LABEL_CHOICES, "Other"].map((l) => (
              <label key={l} className="chip">
                <input type="radio" name="label" value={l} checked={choice === l} onChange={() => setChoice(l)} />
                <span>{l}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {choice === "Other" && (
          <Field label="Vaccine name" maxLength={80} required value={otherLabel} onChange={(e) => setOtherLabel(e.target.value)} />
        )}
        <Field
          label="Expiry date"
          type="date"
          value={expiresOn}
          disabled={noExpiry}
          required={!noExpiry}
          onChange={(e) => setExpiresOn(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={noExpiry} onChange={(e) => setNoExpiry(e.target.checked)} />
          No expiry date
        </label>
        <Field label="Date given (optional)" type="date" value={givenOn} onChange={(e) => setGivenOn(e.target.value)} />

        <fieldset className="fieldset">
          <legend>Certificate</legend>
          <div className="row">
            <input
              id="record-camera"
              type="file"
              accept="image/*"
              capture="environment"
              className="visually-hidden"
              onChange={(e) => pickFile(e.target.files?.[0])}
            />
            <label htmlFor="record-camera" className="button button--ghost">
              Take a photo
            </label>
            <input
              id="record-file"
              type="file"
              accept="application/pdf,image/jpeg,image/png,image/webp,image/heic,.heic,.pdf"
              className="visually-hidden"
              data-testid="record-file"
              onChange={(e) => pickFile(e.target.files?.[0])}
            />
            <label htmlFor="record-file" className="button button--ghost">
              Choose a file
            </label>
          </div>
          <p className="field__hint">PDF, JPEG, PNG, WebP or HEIC, up to {formatBytes(config.maxRecordBytes)}.</p>
          {fileError && <p className="field__error" role="alert">{fileError}</p>}
          {file && (
            <div className="row" aria-live="polite">
              {preview && <img src={preview} alt="" width={64} height={64} className="thumb" />}
              <span>
                <strong>{file.name}</strong> <span className="muted">· {formatBytes(file.size)}</span>
              </span>
            </div>
          )}
          {isImage && (
            <label className="check">
              <input type="checkbox" checked={optimise} onChange={(e) => setOptimise(e.target.checked)} />
              Make the photo quick to open at the door (recommended)
            </label>
          )}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={pin} onChange={(e) => setPin(e.target.checked)} />
          Show this first in Quick Show
        </label>

        {phase && (
          <ProgressBar value={phase === "uploading" ? progress : phase === "checking" || phase === "done" ? 1 : 0} label={PHASE_TEXT[phase]} />
        )}
        <FormError message={error} />
        <div className="row">
          {canRetry ? (
            <button type="button" className="button" onClick={() => void run()}>
              Retry upload
            </button>
          ) : (
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Uploading…" : "Save record"}
            </button>
          )}
          <button type="button" className="button button--ghost" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
