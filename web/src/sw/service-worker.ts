/// <reference lib="webworker" />
/** Petshots' service worker: the app shell from the device, so the app, and Quick Show with
 *  its saved certificates (IndexedDB, see lib/door-store.ts), open with no network.
 *
 *  - install: precache the build (index.html, the JS/CSS chunks, icons, manifest);
 *  - navigations: the cached shell first (instant, offline), except passport pages (/p/…) and
 *    API paths, which always go to the network;
 *  - hashed assets: cache first; ones not precached (the PDF renderer) are kept once fetched;
 *  - /door/file/<id>: Quick Show's saved certificate images, from Cache Storage only;
 *  - API and storage requests are never touched: the door keeps its own copy, and it and the
 *    session are wiped on logout. */
import { DOOR_FILE_CACHE, DOOR_FILE_PATH, RUNTIME_CACHE, SHELL_CACHE_PREFIX } from "../lib/door-keys";

declare const __PRECACHE__: string[];
declare const __BUILD_ID__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `${SHELL_CACHE_PREFIX}${__BUILD_ID__}`;
const NETWORK_ONLY = /^\/(api|auth|p)(\/|$)/;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(__PRECACHE__.map((url) => new Request(url, { cache: "reload" })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SHELL_CACHE_PREFIX) && name !== SHELL) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

async function shellResponse(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL);
  const cached = await cache.match("/");
  if (cached) return cached;
  return fetch(request);
}

async function cacheFirst(request: Request): Promise<Response> {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith("/assets/")) {
    const copy = response.clone();
    void caches.open(RUNTIME_CACHE).then((c) => c.put(request, copy));
  }
  return response;
}

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith(DOOR_FILE_PATH)) {
    // Quick Show's saved certificates (lib/door-store.ts publishPicks): device only.
    event.respondWith(
      caches
        .open(DOOR_FILE_CACHE)
        .then((c) => c.match(url.pathname))
        .then((hit) => hit ?? new Response("Not saved on this device", { status: 404 })),
    );
    return;
  }
  if (NETWORK_ONLY.test(url.pathname) || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(shellResponse(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

sw.addEventListener("message", (event) => {
  const data: unknown = event.data;
  if (data && typeof data === "object" && (data as { type?: string }).type === "logout") {
    event.waitUntil(caches.delete(RUNTIME_CACHE));
  }
});
