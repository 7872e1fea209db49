/** Records deleted with an undo window still open: hidden everywhere until the window ends. */
const pending = new Set<string>();
const listeners = new Set<() => void>();

export function isPendingDelete(id: string): boolean {
  return pending.has(id);
}

export function setPendingDelete(id: string, on: boolean): void {
  if (on) pending.add(id);
  else pending.delete(id);
  for (const l of listeners) l();
}

export function subscribePendingDeletes(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
