/** Toasts with an optional action (Undo). One live region for all of them. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

export interface ToastInput {
  message: string;
  actionLabel?: string;
  onAction?: () => void;
  /** Runs when the toast goes away without its action (e.g. the real delete). */
  onExpire?: () => void;
  durationMs?: number;
}

interface Toast extends ToastInput {
  id: number;
}

const ToastContext = createContext<(t: ToastInput) => void>(() => undefined);

export function useToast() {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number, acted: boolean) => {
    setToasts((all) => {
      const t = all.find((x) => x.id === id);
      if (t) {
        if (acted) t.onAction?.();
        else t.onExpire?.();
      }
      return all.filter((x) => x.id !== id);
    });
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const show = useCallback(
    (input: ToastInput) => {
      const id = next.current++;
      setToasts((all) => [...all, { ...input, id }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id, false), input.durationMs ?? 6000),
      );
    },
    [dismiss],
  );

  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            <span>{t.message}</span>
            {t.actionLabel && (
              <button type="button" className="toast__action" onClick={() => dismiss(t.id, true)}>
                {t.actionLabel}
              </button>
            )}
            <button
              type="button"
              className="toast__close"
              aria-label="Dismiss"
              onClick={() => dismiss(t.id, false)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
