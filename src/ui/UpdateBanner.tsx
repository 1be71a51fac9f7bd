import { useEffect, useState } from 'preact/hooks';
import { registerServiceWorker } from './sw-bridge';
import './pwa.css';

/**
 * Registers the service worker (production builds only) and, when a new version is ready,
 * offers it. Nothing changes until the user presses Reload: an import in progress is never cut
 * short by an update.
 */
export function UpdateBanner() {
  const [apply, setApply] = useState<(() => void) | undefined>();

  useEffect(() => registerServiceWorker((applyUpdate) => setApply(() => applyUpdate)), []);

  if (!apply) return null;
  return (
    <div role="status" class="update-banner">
      <span>A new version is ready.</span>
      <button type="button" class="primary" onClick={apply}>
        Reload
      </button>
    </div>
  );
}
