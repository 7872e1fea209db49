/** A record: the certificate, its facts, edit label/expiry (expiry can be cleared), pin for
 *  Quick Show, and delete with an undo window. */
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "@/components/field";
import { PinIcon } from "@/components/icons";
import { PageError } from "@/components/page-error";
import { PageLoading } from "@/components/spinner";
import { asStatus, StatusBadge } from "@/components/status-badge";
import { useToast } from "@/components/toast";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import type { DocDetail } from "@/lib/api-types";
import { describeExpiry, formatDate } from "@/lib/dates";
import { scheduleDoorSync } from "@/lib/door-sync";
import { formatBytes } from "@/lib/files";
import { LABEL_CHOICES } from "@/lib/vaccines";
import { deleteDoc, docQuery, updateDoc, useDoc } from "../api/records";
import { setPendingDelete } from "@/lib/pending-deletes";
import { RecordViewer } from "./record-viewer";

function EditRecord({ doc, onDone }: { doc: DocDetail; onDone: (d: DocDetail) => void }) {
  const [label, setLabel] = useState(doc.label);
  const [expiresOn, setExpiresOn] = useState(doc.expires_on ?? "");
  const [givenOn, setGivenOn] = useState(doc.given_on ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!label.trim()) return setError("A record needs a label.");
    setBusy(true);
    try {
      onDone(
        await updateDoc(doc.id, {
          label: label.trim(),
          expires_on: expiresOn || null,
          given_on: givenOn || null,
        }),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="stack" onSubmit={submit}>
      <Field label="Label" list="label-choices" maxLength={80} value={label} onChange={(e) => setLabel(e.target.value)} />
      <datalist id="label-choices">
        {LABEL_CHOICES.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      <div className="row">
        <Field label="Expiry date" type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
        <button type="button" className="button button--ghost" onClick={() => setExpiresOn("")} disabled={!expiresOn}>
          Clear expiry
        </button>
      </div>
      <Field label="Date given" type="date" value={givenOn} onChange={(e) => setGivenOn(e.target.value)} />
      <FormError message={error} />
      <div className="row">
        <button type="submit" className="button" disabled={busy}>Save changes</button>
        <button type="button" className="button button--ghost" onClick={() => onDone(doc)}>Cancel</button>
      </div>
    </form>
  );
}

export default function RecordPage({ docId }: { docId: string }) {
  const { data: doc, error, isPending } = useDoc(docId);
  const [editing, setEditing] = useState(false);
  const [pinError, setPinError] = useState<string | null>(null);
  const qc = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  useTitle(doc ? doc.label : "Record");

  if (isPending) {
    return <PageLoading />;
  }
  if (error || !doc) {
    return <PageError error={error} backHref="/" backLabel="Your pets" />;
  }

  const changed = (d: DocDetail) => {
    qc.setQueryData(docQuery(d.id).queryKey, d);
    void qc.invalidateQueries({ queryKey: ["pets", d.pet_id] });
    void qc.invalidateQueries({ queryKey: ["dashboard"] });
    scheduleDoorSync(0);
  };

  async function togglePin() {
    setPinError(null);
    try {
      changed(await updateDoc(doc!.id, { pinned: !doc!.pinned }));
    } catch (err) {
      setPinError(errorMessage(err));
    }
  }

  function remove() {
    const d = doc!;
    setPendingDelete(d.id, true);
    navigate(`/pets/${d.pet_id}`, { replace: true });
    toast({
      message: `${d.label} record deleted.`,
      actionLabel: "Undo",
      durationMs: 7000,
      onAction: () => setPendingDelete(d.id, false),
      onExpire: () => {
        void deleteDoc(d.id)
          .catch((err: unknown) => {
            setPendingDelete(d.id, false);
            toast({ message: `Couldn't delete: ${errorMessage(err)}` });
          })
          .finally(() => {
            qc.removeQueries({ queryKey: ["docs", d.id] });
            void qc.invalidateQueries({ queryKey: ["pets", d.pet_id] });
            void qc.invalidateQueries({ queryKey: ["dashboard"] });
            scheduleDoorSync(0);
          });
      },
    });
  }

  const status = asStatus(doc.status);
  return (
    <section className="page">
      <Link href={`/pets/${doc.pet_id}`} className="back-link">← Back to pet</Link>
      <div className="page-header">
        <h1>{doc.label}</h1>
        <StatusBadge status={status} />
        {doc.pinned && (
          <span className="row muted">
            <PinIcon size={18} /> Shown first in Quick Show
          </span>
        )}
      </div>
      <p>
        {doc.expires_on ? (
          <>
            Expires <strong>{formatDate(doc.expires_on)}</strong> · {describeExpiry(doc.days_to_expiry)}
          </>
        ) : (
          "No expiry date"
        )}
        {doc.given_on && <span className="muted"> · given {formatDate(doc.given_on)}</span>}
      </p>
      <div className="row">
        <button type="button" className="button" onClick={() => void togglePin()} aria-pressed={doc.pinned}>
          <PinIcon size={20} /> {doc.pinned ? "Unpin from Quick Show" : "Pin for Quick Show"}
        </button>
        {!editing && (
          <button type="button" className="button button--ghost" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={remove}>
          Delete
        </button>
        {doc.file_url && (
          <a className="button button--ghost" href={doc.file_url} target="_blank" rel="noopener">
            Open original
          </a>
        )}
      </div>
      <FormError message={pinError} />
      {editing && (
        <div className="card">
          <EditRecord
            doc={doc}
            onDone={(d) => {
              if (d !== doc) changed(d);
              setEditing(false);
            }}
          />
        </div>
      )}
      <p className="muted">
        {doc.filename} · {formatBytes(doc.size_bytes)}
      </p>
      {doc.file_url ? (
        <RecordViewer fileUrl={doc.file_url} contentType={doc.content_type} label={doc.label} />
      ) : (
        <p className="muted">The file for this record was never uploaded.</p>
      )}
    </section>
  );
}
