/** One passport: QR (full screen for the front desk), copy/share the link, revoke, view log. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { Dialog } from "@/components/dialog";
import { QrIcon } from "@/components/icons";
import { PageError } from "@/components/page-error";
import { PageLoading } from "@/components/spinner";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import { passportQrUrl, passportQuery, passportViewsQuery, revokePassport } from "../api/passports";
import "./passports.css";

const DEVICE: Record<string, string> = {
  mobile: "Phone",
  tablet: "Tablet",
  desktop: "Computer",
  bot: "Automated",
  unknown: "Unknown device",
};

export default function PassportPage({ id }: { id: string }) {
  const passport = useQuery(passportQuery(id));
  const views = useQuery(passportViewsQuery(id));
  const [qr, setQr] = useState<string | null>(null);
  const [full, setFull] = useState(false);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();
  const p = passport.data;
  useTitle(p ? `Passport · ${p.label}` : "Passport");

  useEffect(() => {
    if (!p || p.state !== "active") return;
    let url: string | null = null;
    let cancelled = false;
    passportQrUrl(p.id)
      .then((u) => {
        if (cancelled) URL.revokeObjectURL(u);
        else setQr((url = u));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [p?.id, p?.state]);

  if (passport.isPending) {
    return <PageLoading />;
  }
  if (!p) {
    return <PageError error={passport.error} backHref="/passports" backLabel="Passports" />;
  }

  async function copy() {
    if (!p?.url) return;
    try {
      await navigator.clipboard.writeText(p.url);
      setNote("Link copied.");
    } catch {
      setNote("Couldn't copy; select the link and copy it.");
    }
  }

  async function share() {
    if (!p?.url) return;
    try {
      await navigator.share({ title: `${p.label} · pet passport`, url: p.url });
    } catch {
      // cancelled by the owner
    }
  }

  async function revoke() {
    setError(null);
    try {
      await revokePassport(id);
      setConfirmRevoke(false);
      void qc.invalidateQueries({ queryKey: ["passports"] });
      void qc.invalidateQueries({ queryKey: ["passport", id] });
      setQr(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const canShare = typeof navigator.share === "function";
  return (
    <section className="page">
      <Link href="/passports" className="back-link">← Passports</Link>
      <div className="page-header">
        <h1>{p.label}</h1>
        <span className={`passport-state passport-state--${p.state}`}>{p.state === "active" ? "Active" : p.state === "revoked" ? "Revoked" : "Expired"}</span>
      </div>
      {p.state === "active" && p.url ? (
        <div className="card stack passport-share">
          {qr ? (
            <button type="button" className="qr-button" onClick={() => setFull(true)} aria-label="Show the QR code full screen">
              <img src={qr} alt={`QR code for the passport link`} width={220} height={220} />
            </button>
          ) : (
            <div className="qr-placeholder" role="status">Loading QR…</div>
          )}
          <p className="passport-url">
            <a href={p.url} target="_blank" rel="noopener noreferrer" data-testid="passport-url">
              {p.url}
            </a>
          </p>
          <div className="row">
            <button type="button" className="button" onClick={() => setFull(true)}>
              <QrIcon size={20} /> Show QR full screen
            </button>
            <button type="button" className="button button--ghost" onClick={() => void copy()}>
              Copy link
            </button>
            {canShare && (
              <button type="button" className="button button--ghost" onClick={() => void share()}>
                Share…
              </button>
            )}
            <button type="button" className="button button--ghost" onClick={() => setConfirmRevoke(true)}>
              Revoke
            </button>
          </div>
          {note && <p role="status">{note}</p>}
          <p className="muted">
            {p.expires_at
              ? `Works until ${new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(p.expires_at))}.`
              : "Works until you revoke it."}
          </p>
        </div>
      ) : (
        <p className="muted">This link no longer works{p.state === "revoked" ? ": you revoked it" : ": it expired"}.</p>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}

      <section className="stack" aria-labelledby="views-title">
        <h2 id="views-title">Who opened it</h2>
        <p className="muted">
          {p.facility_views} {p.facility_views === 1 ? "view" : "views"}
          {p.link_previews ? ` · ${p.link_previews} link previews (chat apps)` : ""}
        </p>
        {views.data && views.data.views.length > 0 ? (
          <ul className="view-log">
            {views.data.views.map((v, i) => (
              <li key={`${v.viewed_at}-${i}`}>
                <span>{new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(v.viewed_at))}</span>
                <span className="muted">
                  {v.agent_class === "link_preview" ? "Link preview" : DEVICE[v.device] ?? v.device}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Not opened yet.</p>
        )}
      </section>

      <Dialog open={full} onClose={() => setFull(false)} title="Passport QR code" className="dialog--full">
        <div className="qr-full">
          {qr && <img src={qr} alt="QR code for the passport link" />}
          <p className="qr-full__label">{p.label}</p>
          <button type="button" className="button" onClick={() => setFull(false)} autoFocus>
            Close
          </button>
        </div>
      </Dialog>

      <Dialog open={confirmRevoke} onClose={() => setConfirmRevoke(false)} title="Revoke this passport?">
        <div className="stack">
          <h2>Revoke this passport?</h2>
          <p>The link and QR code stop working immediately. You can create a new passport later.</p>
          <div className="row">
            <button type="button" className="button button--danger" onClick={() => void revoke()}>
              Revoke link
            </button>
            <button type="button" className="button button--ghost" onClick={() => setConfirmRevoke(false)}>
              Keep it
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
