/** Quick Show: the certificate full screen, large and high-contrast, one swipe per record
 *  (the pick first, then Rabies), readable with no network ("saved <time>"). */
import { useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { asStatus, StatusBadge } from "@/components/status-badge";
import { ChevronLeft, ChevronRight, CloseIcon, OfflineIcon, PinIcon } from "@/components/icons";
import { Spinner } from "@/components/spinner";
import { describeExpiry, formatDate, formatSavedAt } from "@/lib/dates";
import { useDoor } from "../hooks/use-door";
import { Certificate } from "./certificate";

function useWakeLock() {
  useEffect(() => {
    let lock: { release(): Promise<void> } | null = null;
    const nav = navigator as Navigator & {
      wakeLock?: { request(type: "screen"): Promise<{ release(): Promise<void> }> };
    };
    const acquire = () => {
      if (document.visibilityState !== "visible" || !nav.wakeLock) return;
      nav.wakeLock.request("screen").then(
        (l) => (lock = l),
        () => undefined,
      );
    };
    acquire();
    document.addEventListener("visibilitychange", acquire);
    return () => {
      document.removeEventListener("visibilitychange", acquire);
      void lock?.release().catch(() => undefined);
    };
  }, []);
}

export function DoorView({ petId }: { petId: string | null }) {
  const door = useDoor(petId);
  const track = useRef<HTMLOListElement>(null);
  const [index, setIndex] = useState(0);
  useWakeLock();

  // A new pet, or a new first certificate (the server's pick arrived): back to the start.
  const firstId = door.docs[0]?.id;
  useEffect(() => {
    setIndex(0);
    track.current?.scrollTo({ left: 0 });
  }, [door.pet?.id, firstId]);

  useEffect(() => {
    document.title = door.pet ? `${door.pet.name} · Quick Show` : "Quick Show · Petshots";
  }, [door.pet]);

  const onScroll = () => {
    const el = track.current;
    if (!el) return;
    const i = Math.round(el.scrollLeft / Math.max(1, el.clientWidth));
    if (i !== index) setIndex(i);
  };
  const go = (delta: number) => {
    const el = track.current;
    if (!el) return;
    const next = Math.max(0, Math.min(door.docs.length - 1, index + delta));
    el.scrollTo({ left: next * el.clientWidth, behavior: "smooth" });
    setIndex(next);
  };

  const current = door.docs[index] ?? door.docs[0];

  return (
    <div className="door" onKeyDown={(e) => {
      if (e.key === "ArrowRight") go(1);
      if (e.key === "ArrowLeft") go(-1);
    }}>
      <header className="door__bar">
        <Link href="/" className="door__close" aria-label="Close Quick Show">
          <CloseIcon size={26} />
        </Link>
        <div className="door__who">
          <h1 className="door__pet">{door.pet?.name ?? "Quick Show"}</h1>
          {door.offline && door.savedAt ? (
            <p className="door__saved" role="status">
              <OfflineIcon size={16} /> Offline · saved {formatSavedAt(door.savedAt)}
            </p>
          ) : door.offline ? (
            <p className="door__saved" role="status">
              <OfflineIcon size={16} /> Offline
            </p>
          ) : null}
        </div>
      </header>

      {door.pets.length > 1 && (
        <nav className="door__pets" aria-label="Pets">
          {door.pets.map((p) => (
            <Link
              key={p.id}
              href={`/show/${p.id}`}
              className="door__pet-tab"
              aria-current={p.id === door.pet?.id ? "page" : undefined}
            >
              {p.name}
            </Link>
          ))}
        </nav>
      )}

      <main className="door__main" id="main">
        {door.phase === "loading" && (
          <div className="door__message" role="status">
            <Spinner label="Loading Quick Show…" />
          </div>
        )}
        {door.phase === "nothing" && (
          <div className="door__message">
            <p>No certificate to show yet.</p>
            <Link href="/" className="button">
              Add a record
            </Link>
          </div>
        )}
        {door.phase === "offline-empty" && (
          <div className="door__message" role="alert">
            <p>You're offline, and no certificates are saved on this device yet.</p>
            <p className="muted">Open Petshots once with a connection and they will be.</p>
          </div>
        )}
        {door.phase === "error" && (
          <div className="door__message" role="alert">
            <p>{door.error ?? "Could not load Quick Show."}</p>
          </div>
        )}
        {door.phase === "ready" && current && (
          <>
            <section
              className="door__facts"
              aria-live="polite"
              aria-label={`${current.label} certificate details`}
            >
              <p className="door__label">
                {current.label}
                {current.pinned && (
                  <span className="door__pinned" title="Pinned for Quick Show">
                    <PinIcon size={16} /> <span className="visually-hidden">Pinned</span>
                  </span>
                )}
              </p>
              <StatusBadge status={asStatus(current.status)} size="lg" />
              <p className="door__expiry">
                {current.expires_on ? (
                  <>
                    Expires <strong>{formatDate(current.expires_on)}</strong>
                    <span className="muted"> · {describeExpiry(current.days_to_expiry)}</span>
                  </>
                ) : (
                  "No expiry date"
                )}
              </p>
            </section>
            <ol
              className="door__track"
              ref={track}
              onScroll={onScroll}
              aria-roledescription="carousel"
              aria-label={`${door.pet?.name ?? ""} certificates`}
              tabIndex={0}
            >
              {door.docs.map((d, i) => (
                <li
                  key={d.id}
                  className="door__slide"
                  aria-roledescription="slide"
                  aria-label={`${i + 1} of ${door.docs.length}: ${d.label}`}
                  tabIndex={0}
                >
                  <Certificate
                    docId={d.id}
                    label={d.label}
                    contentType={d.content_type}
                    live={door.liveBlobs.get(d.id)}
                    primary={i === 0}
                    savedAt={door.savedAt}
                  />
                </li>
              ))}
            </ol>
            {door.docs.length > 1 && (
              <div className="door__pager">
                <button type="button" className="icon-button" onClick={() => go(-1)} disabled={index === 0} aria-label="Previous certificate">
                  <ChevronLeft size={26} />
                </button>
                <span aria-live="polite">
                  {index + 1} / {door.docs.length}
                </span>
                <button type="button" className="icon-button" onClick={() => go(1)} disabled={index >= door.docs.length - 1} aria-label="Next certificate">
                  <ChevronRight size={26} />
                </button>
              </div>
            )}
          </>
        )}
      </main>
    </div>
  );
}
