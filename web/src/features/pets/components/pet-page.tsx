/** One pet: portrait, records with status word + colour, add a record, Quick Show for this
 *  pet, passports, edit and delete. */
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Dialog } from "@/components/dialog";
import { FormError } from "@/components/field";
import { PinIcon, PlusIcon, ShieldIcon } from "@/components/icons";
import { PageError } from "@/components/page-error";
import { PetAvatar } from "@/components/pet-avatar";
import { PageLoading } from "@/components/spinner";
import { asStatus, StatusBadge } from "@/components/status-badge";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import type { Doc, PetDetail } from "@/lib/api-types";
import { describeExpiry, formatDate } from "@/lib/dates";
import { compareAttention } from "@/lib/status";
import { isPendingDelete, subscribePendingDeletes } from "@/lib/pending-deletes";
import { useDeletePet, usePet, useUpdatePet } from "../api/pets";
import { petBody, petDraft, PetFields } from "./pet-fields";
import { PhotoPicker } from "./photo-picker";

let version = 0;
subscribePendingDeletes(() => {
  version++;
});
const pendingVersion = () => version;

function sortRecords(docs: Doc[]): Doc[] {
  return [...docs].sort((a, b) =>
    compareAttention(
      { status: asStatus(a.status), expires_on: a.expires_on },
      { status: asStatus(b.status), expires_on: b.expires_on },
    ),
  );
}

function EditPet({ pet, onDone }: { pet: PetDetail; onDone: () => void }) {
  const [draft, setDraft] = useState(() => petDraft(pet));
  const [error, setError] = useState<string | null>(null);
  const update = useUpdatePet(pet.id);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await update.mutateAsync(petBody(draft));
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form className="stack" onSubmit={submit}>
      <h2>Edit {pet.name}</h2>
      <PetFields draft={draft} onChange={setDraft} />
      <FormError message={error} />
      <div className="row">
        <button type="submit" className="button" disabled={update.isPending}>Save</button>
        <button type="button" className="button button--ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

export default function PetPage({ petId }: { petId: string }) {
  const { data: pet, error, isPending } = usePet(petId);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const del = useDeletePet();
  // Re-render when an undo window opens or closes.
  useSyncExternalStore(subscribePendingDeletes, () => pendingVersion());
  const [, navigate] = useLocation();
  useTitle(pet?.name ?? "Pet");

  if (isPending) {
    return <PageLoading />;
  }
  if (error || !pet) {
    return <PageError error={error} backHref="/" backLabel="Your pets" />;
  }

  const ready = pet.documents.filter((d) => d.state === "ready" && !isPendingDelete(d.id));
  const records = sortRecords(ready);

  return (
    <section className="page">
      <Link href="/" className="back-link">← Your pets</Link>
      <div className="pet-head">
        <PetAvatar petId={pet.id} name={pet.name} photoUrl={pet.photo_url} status={asStatus(pet.status)} size={120} />
        <div className="stack">
          <h1>{pet.name}</h1>
          <p className="muted">
            {[pet.species === "other" ? null : pet.species[0]!.toUpperCase() + pet.species.slice(1), pet.breed]
              .filter(Boolean)
              .join(" · ")}
          </p>
          <StatusBadge status={asStatus(pet.status)} />
        </div>
      </div>
      <div className="row">
        {ready.length > 0 && (
          <Link href={`/show/${pet.id}`} className="button">
            <ShieldIcon size={20} /> Quick Show
          </Link>
        )}
        <Link href={`/pets/${pet.id}/records/new`} className="button button--ghost">
          <PlusIcon size={20} /> Add record
        </Link>
        <Link href={`/passports?pet=${pet.id}`} className="button button--ghost">
          Passports
        </Link>
      </div>

      <section aria-labelledby="records-title" className="stack">
        <h2 id="records-title">Records</h2>
        {records.length === 0 ? (
          <p className="muted">No records yet. Add a vaccination certificate (PDF or photo).</p>
        ) : (
          <ul className="records">
            {records.map((d) => (
              <li key={d.id}>
                <Link href={`/records/${d.id}`} className="list-row record-row" data-status={d.status}>
                  <span className="record-row__label">
                    {d.label}
                    {d.pinned && (
                      <span className="muted" title="Pinned for Quick Show">
                        <PinIcon size={16} />
                        <span className="visually-hidden"> (pinned for Quick Show)</span>
                      </span>
                    )}
                  </span>
                  <StatusBadge status={asStatus(d.status)} />
                  <span className="record-row__meta">
                    {d.expires_on ? `Expires ${formatDate(d.expires_on)} · ${describeExpiry(d.days_to_expiry)}` : "No expiry date"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-label="Pet details">
        {editing ? (
          <EditPet pet={pet} onDone={() => setEditing(false)} />
        ) : (
          <div className="row">
            <PhotoPicker petId={pet.id} hasPhoto={!!pet.photo_url} />
            <button type="button" className="button button--ghost" onClick={() => setEditing(true)}>
              Edit details
            </button>
            <button type="button" className="button button--ghost" onClick={() => setConfirmDelete(true)}>
              Delete pet
            </button>
          </div>
        )}
      </section>

      <Dialog open={confirmDelete} onClose={() => setConfirmDelete(false)} title={`Delete ${pet.name}?`}>
        <div className="stack">
          <h2>Delete {pet.name}?</h2>
          <p>
            This removes {pet.name}, all {ready.length} records with their files, and every passport link. It
            can't be undone.
          </p>
          {del.error && <p className="form-error" role="alert">{errorMessage(del.error)}</p>}
          <div className="row">
            <button
              type="button"
              className="button button--danger"
              disabled={del.isPending}
              onClick={async () => {
                await del.mutateAsync(pet.id);
                setConfirmDelete(false);
                navigate("/", { replace: true });
              }}
            >
              Delete {pet.name}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
