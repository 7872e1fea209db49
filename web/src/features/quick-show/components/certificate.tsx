/** One certificate, drawn from what the device saved or from this visit's download. */
import { useEffect, useState } from "react";
import { Spinner } from "@/components/spinner";
import { readFile, type DoorFile } from "@/lib/door-store";
import { markCertificatePainted } from "@/lib/perf";
import { isBootUrl, peekBootFile, takeBootImage } from "../api/boot-images";

interface Props {
  docId: string;
  label: string;
  contentType: string;
  /** A download started this visit (first visit on this device, or a brand-new record). */
  live?: Promise<Blob> | undefined;
  /** The first slide: eager, and the one whose paint is the door moment. */
  primary: boolean;
  /** When the device's copy was last refreshed: a file missing before may be there now. */
  savedAt: number | null;
}

type Shown =
  | { kind: "loading" }
  | { kind: "images"; urls: string[]; pageCount: number; pdfUrl: string | null }
  | { kind: "unsupported"; url: string | null }
  | { kind: "missing" };

function useObjectUrls(docId: string, file: DoorFile | null, liveBlob: Blob | null): Shown {
  // The boot script's image of this record, already decoded on screen: keep showing it.
  const [shown, setShown] = useState<Shown>(() => {
    const boot = takeBootImage(docId);
    return boot ? { kind: "images", urls: [boot.url], pageCount: boot.file?.pageCount ?? 1, pdfUrl: null } : { kind: "loading" };
  });
  useEffect(() => {
    let cancelled = false;
    const urls: string[] = [];
    const url = (b: Blob) => {
      const u = URL.createObjectURL(b);
      urls.push(u);
      return u;
    };
    (async () => {
      if (file && shown.kind === "images" && isBootUrl(shown.urls[0])) {
        return; // already showing this file, painted by the boot script
      }
      if (file) {
        if (file.pages.length) {
          setShown({
            kind: "images",
            urls: file.pages.map(url),
            pageCount: file.pageCount,
            pdfUrl: file.blob ? url(file.blob) : null,
          });
        } else if (file.blob) {
          setShown({ kind: "images", urls: [url(file.blob)], pageCount: 1, pdfUrl: null });
        } else setShown({ kind: "missing" });
        return;
      }
      if (liveBlob) {
        if (liveBlob.type === "application/pdf" || liveBlob.type === "binary/octet-stream") {
          const { renderPdfPages } = await import("@/lib/pdf-render");
          try {
            const { pages, pageCount } = await renderPdfPages(liveBlob, { maxPages: 4 });
            if (!cancelled) {
              setShown({ kind: "images", urls: pages.map(url), pageCount, pdfUrl: url(liveBlob) });
            }
          } catch {
            if (!cancelled) setShown({ kind: "unsupported", url: url(liveBlob) });
          }
          return;
        }
        setShown({ kind: "images", urls: [url(liveBlob)], pageCount: 1, pdfUrl: null });
      }
    })();
    return () => {
      cancelled = true;
      for (const u of urls) URL.revokeObjectURL(u);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, liveBlob]);
  return shown;
}

export function Certificate({ docId, label, contentType, live, primary, savedAt }: Props) {
  const [file, setFile] = useState<DoorFile | null>(() => peekBootFile(docId));
  const [liveBlob, setLiveBlob] = useState<Blob | null>(null);
  const [failed, setFailed] = useState(false);
  const [broken, setBroken] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setFailed(false);
    readFile(docId)
      .catch(() => null)
      .then(async (saved) => {
        if (cancelled) return;
        if (saved) {
          // Same file as shown already (a record's file never changes): keep the image.
          setFile((shown) => (shown && shown.savedAt === saved.savedAt ? shown : saved));
          return;
        }
        if (!live) return setFailed(true);
        try {
          const blob = await live;
          // Storage may label the bytes generically; the record knows what they are.
          const typed = blob.type === contentType ? blob : new Blob([blob], { type: contentType });
          if (!cancelled) setLiveBlob(typed);
        } catch {
          if (!cancelled) setFailed(true);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [docId, live, contentType, savedAt]);

  const shown = useObjectUrls(docId, file, liveBlob);

  const bootShown = shown.kind === "images" && isBootUrl(shown.urls[0]);
  if ((failed || shown.kind === "missing") && !bootShown) {
    return (
      <div className="cert cert--empty" role="status">
        <p>This certificate isn't saved on this device yet.</p>
        <p className="muted">It will be the next time the app is online.</p>
      </div>
    );
  }
  if (shown.kind === "loading") {
    return (
      <div className="cert cert--loading" role="status" aria-live="polite">
        <Spinner label="Loading certificate…" />
      </div>
    );
  }
  if (shown.kind === "unsupported" || broken) {
    const href = shown.kind === "unsupported" ? shown.url : null;
    return (
      <div className="cert cert--empty" role="status">
        <p>This browser can't display this file ({contentType.replace(/^\w+\//, "").toUpperCase()}).</p>
        {href && (
          <a className="button" href={href} download>
            Open the file
          </a>
        )}
      </div>
    );
  }
  return (
    <div className="cert">
      {shown.urls.map((u, i) => (
        <img
          key={u}
          src={u}
          alt={i === 0 ? `${label} certificate` : `${label} certificate, page ${i + 1}`}
          className="cert__image"
          decoding={primary && i === 0 ? "sync" : "async"}
          loading={primary ? "eager" : "lazy"}
          {...(primary && i === 0 ? { elementtiming: "certificate", fetchPriority: "high" as const } : {})}
          onLoad={primary && i === 0 ? (e) => markCertificatePainted(e.currentTarget, docId) : undefined}
          onError={() => setBroken(true)}
        />
      ))}
      {shown.pageCount > shown.urls.length && shown.pdfUrl && (
        <a className="button button--ghost cert__more" href={shown.pdfUrl} target="_blank" rel="noopener">
          Open all {shown.pageCount} pages
        </a>
      )}
    </div>
  );
}
