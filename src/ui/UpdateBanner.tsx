import { useEffect, useState } from 'preact/hooks';
import { registerServiceWorker } from './sw-bridge';
import { worker } from './App';
import './pwa.css';

/**
 * Registers the service worker (production builds only) and, when a new version is ready,
 * offers it. Nothing changes until the user presses Reload: an import in progress is never cut
 * short by an update.
 */
export function UpdateBanner() {
  const [apply, setApply] = useState<(() => void) | undefined>();
  const [waiting, setWaiting] = useState(false);

  useEffect(() => registerServiceWorker((applyUpdate) => setApply(() => applyUpdate)), []);

  if (!apply) return null;
  return (
    <div role="status" class="update-banner">
      <span>{waiting ? 'The new version loads as soon as the current work finishes…' : 'A new version is ready.'}</span>
      <button
        type="button"
        class="primary"
        disabled={waiting}
        onClick={() => {
          // Never mid-import: a running import, export or encrypted copy finishes first.
          if (!worker.busy) return apply();
          setWaiting(true);
          const timer = setInterval(() => {
            if (worker.busy) return;
            clearInterval(timer);
            apply();
          }, 500);
        }}
      >
        Reload
      </button>
    </div>
  );
}
