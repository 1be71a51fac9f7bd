/**
 * The page's side of the service worker (src/sw/sw.ts), squoosh-style: register it in production
 * builds only, and when a new version has installed while an older one controls the page, tell
 * the caller; the new version takes over only when the user accepts (`skip-waiting`), and the
 * page reloads once it has.
 */

/** Registers the service worker; `onUpdateReady` gets a function that applies the update. */
export function registerServiceWorker(onUpdateReady: (apply: () => void) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;

  const offer = (waiting: ServiceWorker) =>
    onUpdateReady(() => {
      container.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage({ type: 'skip-waiting' });
    });

  container
    .register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
    .then((registration) => {
      // An update already waiting from an earlier visit.
      if (registration.waiting && container.controller) offer(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          // With no controller this is the first install, not an update: nothing to ask.
          if (installing.state === 'installed' && container.controller) offer(installing);
        });
      });
    })
    .catch(() => {
      // No service worker (private mode, unsupported): the app still works online.
    });
}

/** The name of the cache holding the running version's app files, if a service worker controls the page. */
export function appCacheName(): Promise<string | undefined> {
  const controller = typeof navigator !== 'undefined' ? navigator.serviceWorker?.controller : null;
  if (!controller) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(undefined), 2000);
    channel.port1.onmessage = (event: MessageEvent<string>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    controller.postMessage({ type: 'cache-name' }, [channel.port2]);
  });
}
