/**
 * The service worker: keeps the app itself (HTML, JS, CSS, WASM, icons, manifest and the demo
 * backup) in one versioned cache so Unseal opens with the network off.
 *
 * It is never in the data path: it answers only same-origin GET requests for files in the build's
 * precache list, from that list's cache. Everything else (other origins, other methods, any URL
 * not built into `dist/`) goes past it untouched, and nothing it did not precache is ever stored.
 * User data lives in IndexedDB and OPFS, which this worker never touches.
 *
 * A new version installs in the background and then waits: the page asks the user, and only on
 * their click posts `skip-waiting` (see src/ui/sw-bridge.ts). Old caches go on activate.
 *
 * `VERSION` and `PRECACHE` are filled in at build time by the `unseal-service-worker` plugin in
 * vite.config.ts (a hash of every precached file, and their paths relative to this worker).
 */
/// <reference lib="webworker" />
export type {};
declare const self: ServiceWorkerGlobalScope;

const VERSION: string = '__UNSEAL_SW_VERSION__';
const PRECACHE: readonly string[] = ['__UNSEAL_SW_PRECACHE__'];

/** Every cache this origin has is the app's own; this one is the current build's. */
const CACHE = `unseal-app-${VERSION}`;

/** Absolute URLs (no query, no fragment) of the precached files. */
const PRECACHED = new Set(PRECACHE.map((path) => new URL(path, self.registration.scope).href));

/** Messages the page may send (src/ui/sw-bridge.ts). */
type FromPage = { type: 'skip-waiting' } | { type: 'cache-name' };

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: bypass the HTTP cache so a new version never mixes in stale files.
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) await caches.delete(name);
      }
      // Take the page on first install (there is no older version to displace). An update only
      // activates after the user accepted it, or once every tab of the old version has closed.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  url.search = '';
  url.hash = '';
  if (!PRECACHED.has(url.href)) return;
  event.respondWith(fromCache(url.href, request));
});

async function fromCache(key: string, request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  return (await cache.match(key)) ?? fetch(request);
}

self.addEventListener('message', (event) => {
  const message = event.data as FromPage;
  if (message?.type === 'skip-waiting') void self.skipWaiting();
  else if (message?.type === 'cache-name') event.ports[0]?.postMessage(CACHE);
});
