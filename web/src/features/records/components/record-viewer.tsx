/** The certificate itself: an image as is, a PDF as page images (PDF.js, loaded on demand). */
import { useEffect, useState } from "react";
import { PageLoading } from "@/components/spinner";
import { fetchBlob } from "@/lib/door-sync";

export function RecordViewer({
  fileUrl,
  contentType,
  label,
}: {
  fileUrl: string;
  contentType: string;
  label: string;
}) {
  const [pages, setPages] = useState<string[] | null>(null);
  const [failed, setFailed] = useState(false);
  const isPdf = contentType === "application/pdf";

  useEffect(() => {
    if (!isPdf) return;
    let cancelled = false;
    const urls: string[] = [];
    (async () => {
      try {
        const blob = await fetchBlob(fileUrl);
        const { renderPdfPages } = await import("@/lib/pdf-render");
        const out = await renderPdfPages(blob, { maxPages: 10 });
        if (cancelled) return;
        for (const p of out.pages) urls.push(URL.createObjectURL(p));
        setPages(urls);
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      for (const u of urls) URL.revokeObjectURL(u);
    };
  }, [fileUrl, isPdf]);

  if (!isPdf) {
    return failed ? (
      <p className="muted">
        This browser can't display this image. <a href={fileUrl}>Download it</a>.
      </p>
    ) : (
      <img className="viewer__page" src={fileUrl} alt={`${label} certificate`} onError={() => setFailed(true)} />
    );
  }
  if (failed) {
    return (
      <p className="muted">
        The PDF couldn't be shown here. <a href={fileUrl} target="_blank" rel="noopener">Open the PDF</a>.
      </p>
    );
  }
  if (!pages) {
    return <PageLoading label="Loading certificate…" />;
  }
  return (
    <div className="viewer">
      {pages.map((u, i) => (
        <img key={u} className="viewer__page" src={u} alt={`${label} certificate, page ${i + 1} of ${pages.length}`} />
      ))}
    </div>
  );
}
