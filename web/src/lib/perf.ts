/** The door moment, measured where it happens: the certificate's first page has been decoded
 *  and a frame with it has been presented. bench/door_moment.py and the e2e suite read these. */

export const PAINTED_MARK = "petshots:certificate-painted";

let marked = false;

export function markCertificatePainted(img: HTMLImageElement, docId: string): void {
  const done = () => {
    // Two frames: the first commits the decoded image, the second runs after it was painted.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        document.documentElement.dataset.certificate = docId;
        // The boot script may have painted (and marked) this certificate already.
        if (marked || performance.getEntriesByName(PAINTED_MARK).length) return;
        marked = true;
        performance.mark(PAINTED_MARK, { detail: { docId } });
      }),
    );
  };
  if (typeof img.decode === "function") img.decode().then(done, done);
  else done();
}
