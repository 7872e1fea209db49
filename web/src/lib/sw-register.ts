/** Registers the service worker once the first screen is up: on the door path only after the
 *  certificate has been painted, so its precache never competes with the door moment. */
import { PAINTED_MARK } from "./perf";

function whenIdle(fn: () => void): void {
  const ric = (window as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => void })
    .requestIdleCallback;
  if (ric) ric(fn, { timeout: 4000 });
  else setTimeout(fn, 1500);
}

function certificatePaintedOrTimeout(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(PAINTED_MARK).length) return resolve();
    const timer = setTimeout(resolve, ms);
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(PAINTED_MARK).length) {
        clearTimeout(timer);
        observer.disconnect();
        resolve();
      }
    });
    try {
      observer.observe({ type: "mark", buffered: true });
    } catch {
      resolve();
    }
  });
}

/** Run `fn` when the first screen is done (on the door: its certificate painted) and idle. */
export function afterFirstScreen(isDoorPath: boolean, fn: () => void): void {
  const afterLoad = () => {
    if (isDoorPath) void certificatePaintedOrTimeout(6000).then(() => whenIdle(fn));
    else whenIdle(fn);
  };
  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad, { once: true });
}

export function registerServiceWorker(isDoorPath: boolean): void {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  afterFirstScreen(isDoorPath, () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  });
}
