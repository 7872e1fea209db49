/** PDF pages → images, with PDF.js. Loaded only when a PDF must be shown or saved for the door
 *  (it is the biggest piece of the app and never on the door's offline path: door-sync keeps
 *  PDF certificates as page images). */
import { getDocument, GlobalWorkerOptions } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export interface RenderedPdf {
  pages: Blob[];
  pageCount: number;
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => {
        if (!blob) return reject(new Error("could not encode page"));
        // Browsers without WebP encoding hand back PNG: fine, only larger.
        resolve(blob);
      },
      "image/webp",
      0.9,
    );
  });
}

export async function renderPdfPages(
  data: Blob,
  { maxPages = 4, targetWidth = 1600 }: { maxPages?: number; targetWidth?: number } = {},
): Promise<RenderedPdf> {
  const doc = await getDocument({
    data: new Uint8Array(await data.arrayBuffer()),
    isEvalSupported: false,
    disableFontFace: false,
  }).promise;
  try {
    const pages: Blob[] = [];
    for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: Math.min(4, targetWidth / base.width) });
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      const ctx = canvas.getContext("2d");
      if (!ctx) throw new Error("no 2d canvas");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvas, canvasContext: ctx, viewport }).promise;
      pages.push(await toBlob(canvas));
      page.cleanup();
    }
    return { pages, pageCount: doc.numPages };
  } finally {
    await doc.destroy();
  }
}
