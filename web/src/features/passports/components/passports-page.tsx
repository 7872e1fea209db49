/** Passports: public links per facility, with expiry; create, open, see views. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError, SelectField } from "@/components/field";
import { QrIcon } from "@/components/icons";
import { useTitle } from "@/components/use-title";
import { api, errorMessage } from "@/lib/api-client";
import type { Pet, Passport } from "@/lib/api-types";
import { createPassport, usePassports } from "../api/passports";
import "./passports.css";

const EXPIRY_CHOICES: { value: string; label: string }[] = [
  { value: "1", label: "1 day" },
  { value: "7", label: "1 week" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never expires" },
];

const STATE_WORD: Record<Passport["state"], string> = {
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
};

function formatWhen(iso: string | null): string {
  if (!iso) return "never";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(iso));
}

export default function PassportsPage() {
  useTitle("Passports");
  const preset = new URLSearchParams(window.location.search).get("pet");
  const pets = useQuery({ queryKey: ["pets", "list"], queryFn: () => api<Pet[]>("/api/pets") });
  const passports = usePassports();
  const [petId, setPetId] = useState(preset ?? "");
  const [label, setLabel] = useState("");
  const [expiry, setExpiry] = useState("30");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const petName = (id: string) => pets.data?.find((p) => p.id === id)?.name ?? "Pet";
  const chosenPet = petId || pets.data?.[0]?.id || "";

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!chosenPet) return setError("Add a pet first.");
    setBusy(true);
    try {
      const p = await createPassport({
        pet_id: chosenPet,
        label: label.trim() || "Passport",
        expires_in_days: expiry === "never" ? null : Number(expiry),
      });
      void qc.invalidateQueries({ queryKey: ["passports"] });
      navigate(`/passports/${p.id}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const list = passports.data ?? [];
  return (
    <section className="page">
      <h1>Passports</h1>
      <p className="muted">
        A passport is a link (and QR code) a daycare, groomer or kennel can open without an account. It shows
        your pet's records and their status — never your e-mail. Revoke it any time.
      </p>

      <form className="card stack" onSubmit={submit} aria-labelledby="new-passport">
        <h2 id="new-passport">New passport</h2>
        <SelectField label="Pet" value={chosenPet} onChange={(e) => setPetId(e.target.value)} disabled={!pets.data?.length}>
          {(pets.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <Field
          label="For (facility)"
          placeholder="e.g. Happy Paws Daycare"
          maxLength={80}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        <SelectField label="Link works for" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <FormError message={error} />
        <button type="submit" className="button" disabled={busy || !pets.data?.length}>
          <QrIcon size={20} /> {busy ? "Creating…" : "Create passport"}
        </button>
      </form>

      <section className="stack" aria-labelledby="your-passports">
        <h2 id="your-passports">Your passports</h2>
        {passports.isPending && <p className="muted">Loading…</p>}
        {passports.error && <p className="form-error" role="alert">{errorMessage(passports.error)}</p>}
        {!passports.isPending && list.length === 0 && <p className="muted">No passports yet.</p>}
        <ul className="passport-list">
          {list.map((p) => (
            <li key={p.id}>
              <Link href={`/passports/${p.id}`} className="list-row passport-row" data-state={p.state}>
                <span className="passport-row__title">
                  <strong>{p.label}</strong> · {petName(p.pet_id)}
                </span>
                <span className={`passport-state passport-state--${p.state}`}>{STATE_WORD[p.state]}</span>
                <span className="passport-row__meta muted">
                  {p.state === "active" ? `Expires ${formatWhen(p.expires_at)}` : p.state === "revoked" ? `Revoked ${formatWhen(p.revoked_at)}` : `Expired ${formatWhen(p.expires_at)}`}
                  {" · "}
                  {p.facility_views} {p.facility_views === 1 ? "view" : "views"}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
