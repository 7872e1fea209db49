/** Client-side image resizing: pet photos become small portraits, and big certificate photos
 *  become a sharp, light JPEG that opens fast at the door on a weak signal. */

export interface ResizeResult {
  blob: Blob;
  width: number;
  height: number;
  type: "image/jpeg" | "image/webp" | "image/png";
}

/** Scale (w, h) to fit within maxSide on its longer side, never enlarging. */
export function fitWithin(width: number, height: number, maxSide: number): [number, number] {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return [width, height];
  const scale = maxSide / longest;
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

function canvasToBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode failed"))), type, quality),
  );
}

/** Decode, fit within maxSide and re-encode; null when the browser cannot decode the file
 *  (HEIC outside Safari): the caller keeps the original then. */
export async function resizeImage(
  file: Blob,
  maxSide: number,
  type: "image/jpeg" | "image/webp" = "image/jpeg",
  quality = 0.86,
): Promise<ResizeResult | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
  try {
    const [w, h] = fitWithin(bitmap.width, bitmap.height, maxSide);
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    if (type === "image/jpeg") {
      ctx.fillStyle = "#fff"; // transparent PNGs would turn black in a JPEG
      ctx.fillRect(0, 0, w, h);
    }
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, w, h);
    const blob = await canvasToBlob(canvas, type, quality);
    return { blob, width: w, height: h, type: blob.type as ResizeResult["type"] };
  } finally {
    bitmap.close();
  }
}

/** Certificate photos: 1600 px on the long side (an A4 page at ~190 dpi: every line of a
 *  certificate stays legible, pinch-zoom included) at JPEG quality 0.82. A 12-megapixel
 *  camera shot of 3-4 MB becomes ~200-300 KB, which is what lets Quick Show open in about a
 *  second on a weak signal. Kept when it would not save real bytes. */
export async function optimiseCertificatePhoto(
  file: File,
): Promise<{ blob: Blob; type: "image/jpeg"; filename: string } | null> {
  if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) && !/\.(heic|heif)$/i.test(file.name)) {
    return null;
  }
  const result = await resizeImage(file, 1600, "image/jpeg", 0.82);
  if (!result) return null;
  if (result.blob.size >= file.size * 0.9 && file.type === "image/jpeg") return null;
  const base = file.name.replace(/\.[^.]+$/, "") || "certificate";
  return { blob: result.blob, type: "image/jpeg", filename: `${base}.jpg` };
}
