/** Images the boot script painted before the app loaded, handed to the door's components so
 *  the certificate stays on screen (same object URL, already decoded) when React takes over. */

export function peekBootFile(docId: string) {
  return window.__petshotsBoot?.files[docId] ?? null;
}

export function takeBootImage(docId: string) {
  const boot = window.__petshotsBoot;
  const url = boot?.urls[docId];
  if (!boot || !url) return null;
  return { url, file: boot.files[docId] ?? null };
}

export function isBootUrl(url: string | undefined): boolean {
  const boot = window.__petshotsBoot;
  return !!url && !!boot && Object.values(boot.urls).includes(url);
}
