/** Home: one tap to Quick Show, what needs attention (most urgent first), pets ringed in their
 *  status colour, and the add-pet tile that explains the plan's limit. */
import { Link } from "wouter";
import { PetAvatar } from "@/components/pet-avatar";
import { asStatus, StatusBadge } from "@/components/status-badge";
import { PlusIcon, ShieldIcon } from "@/components/icons";
import { PageLoading } from "@/components/spinner";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import { describeExpiry, formatDate, formatSavedAt } from "@/lib/dates";
import { STATUS_WORD } from "@/lib/status";
import { useDashboard } from "../api/dashboard";
import "./dashboard.css";

export default function DashboardPage() {
  const { data, error, isPending, refetch } = useDashboard();
  useTitle("Your pets");

  if (isPending) {
    return <PageLoading label="Loading your pets…" />;
  }
  if (error || !data) {
    return (
      <section className="page">
        <h1>Your pets</h1>
        <p role="alert" className="form-error">{errorMessage(error)}</p>
        <button type="button" className="button" onClick={() => void refetch()}>
          Try again
        </button>
        <Link href="/show" className="button button--ghost">
          Open Quick Show
        </Link>
      </section>
    );
  }

  const atLimit = data.pets.length >= data.pet_limit;
  const hasRecords = data.pets.some((p) => p.record_count > 0);

  return (
    <section className="page dashboard">
      <div className="dashboard__head">
        <h1>Your pets</h1>
        {data.savedAt && (
          <p className="muted" role="status">
            Saved on this device {formatSavedAt(data.savedAt)}
          </p>
        )}
      </div>

      {hasRecords && (
        <Link href="/show" className="quick-show-button" data-testid="quick-show">
          <ShieldIcon size={30} />
          <span>
            <strong>Quick Show</strong>
            <span className="quick-show-button__sub">Proof of vaccination, full screen</span>
          </span>
        </Link>
      )}

      {data.attention.length > 0 && (
        <section className="attention" aria-labelledby="attention-title">
          <h2 id="attention-title">Needs attention</h2>
          <ul>
            {data.attention.map((a) => (
              <li key={a.doc_id} className={`attention__item attention__item--${a.status}`}>
                <Link href={data.savedAt ? `/show/${a.pet_id}` : `/records/${a.doc_id}`} className="attention__link">
                  <StatusBadge status={asStatus(a.status)} />
                  <span className="attention__text">
                    <strong>{a.pet_name}</strong> · {a.label}
                    <span className="muted">
                      {" "}
                      · {a.expires_on ? `${formatDate(a.expires_on)}, ` : ""}
                      {describeExpiry(a.days_to_expiry)}
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <ul className="pet-grid" aria-label="Pets">
        {data.pets.map((p) => (
          <li key={p.id}>
            <Link href={`/pets/${p.id}`} className="pet-card" data-status={p.status}>
              <PetAvatar petId={p.id} name={p.name} photoUrl={p.photo_url} status={asStatus(p.status)} size={104} />
              <span className="pet-card__name">{p.name}</span>
              <span className={`pet-card__status status--text-${p.status}`}>
                {STATUS_WORD[asStatus(p.status)]}
                <span className="muted">
                  {" "}
                  · {p.record_count} {p.record_count === 1 ? "record" : "records"}
                </span>
              </span>
            </Link>
          </li>
        ))}
        <li>
          {atLimit ? (
            <div className="pet-card pet-card--limit" aria-live="polite">
              <span className="pet-card__plus" aria-hidden="true">
                <PlusIcon size={30} />
              </span>
              <span className="pet-card__name">Pet limit reached</span>
              <span className="muted">
                The free plan holds {data.pet_limit} pets. Remove one to add another.
              </span>
            </div>
          ) : (
            <Link href="/pets/new" className="pet-card pet-card--add">
              <span className="pet-card__plus" aria-hidden="true">
                <PlusIcon size={30} />
              </span>
              <span className="pet-card__name">Add a pet</span>
              <span className="muted">
                {data.pets.length} of {data.pet_limit} on the free plan
              </span>
            </Link>
          )}
        </li>
      </ul>

      {data.pets.length === 0 && (
        <p className="muted">Add your first pet, then upload a vaccination certificate.</p>
      )}
    </section>
  );
}
