import { useEffect, useState } from 'preact/hooks';
import type { WireError } from '../worker/protocol';
import { asWire, worker } from './App';
import { errorText, formatBytes } from './messages';
import { appCacheName } from './sw-bridge';
import './pwa.css';

/** Set once the "keep my libraries" suggestion was answered (the only thing in localStorage). */
const SUGGESTED_KEY = 'unseal.persist-suggested';

interface Usage {
  total: number;
  quota: number;
  /** Chromium's breakdown, where available. */
  libraries?: number;
  app?: number;
  temporary?: number;
}

async function estimateUsage(): Promise<Usage | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  const estimate = (await navigator.storage.estimate()) as StorageEstimate & {
    usageDetails?: { indexedDB?: number; caches?: number; serviceWorkerRegistrations?: number; fileSystem?: number };
  };
  const details = estimate.usageDetails;
  return {
    total: estimate.usage ?? 0,
    quota: estimate.quota ?? 0,
    libraries: details?.indexedDB,
    app: details ? (details.caches ?? 0) + (details.serviceWorkerRegistrations ?? 0) : undefined,
    temporary: details?.fileSystem,
  };
}

type Persisted = 'unsupported' | 'yes' | 'no' | 'refused';

async function persistedState(): Promise<Persisted> {
  if (!navigator.storage?.persisted) return 'unsupported';
  return (await navigator.storage.persisted()) ? 'yes' : 'no';
}

/** Asks the browser to keep this site's storage; Chromium decides without a prompt, Firefox asks. */
async function askToPersist(): Promise<Persisted> {
  if (!navigator.storage?.persist) return 'unsupported';
  return (await navigator.storage.persist()) ? 'yes' : 'refused';
}

function rememberSuggested(): void {
  try {
    localStorage.setItem(SUGGESTED_KEY, '1');
  } catch {
    // Storage blocked: the suggestion may show again, which is harmless.
  }
}

function wasSuggested(): boolean {
  try {
    return localStorage.getItem(SUGGESTED_KEY) !== null;
  } catch {
    return true;
  }
}

/** Deletes every library and OPFS file (in the worker), then this origin's other storage. */
async function deleteEverything(): Promise<void> {
  await worker.deleteEverything();
  if ('caches' in globalThis) {
    // Cache Storage holds only Unseal's own files. The running version's cache stays, or the app
    // would stop working offline; any other (an older version's) goes.
    const keep = await appCacheName();
    for (const name of await caches.keys()) if (name !== keep) await caches.delete(name);
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // Nothing stored there, or blocked.
  }
}

const PERSIST_TEXT: Record<Persisted, string> = {
  unsupported: 'This browser cannot be asked to keep storage.',
  yes: 'The browser keeps Unseal’s storage until you delete it.',
  no: 'The browser may clear Unseal’s storage when the disk runs low.',
  refused: 'The browser did not agree to keep it (browsers decide this themselves, for example once a site is installed or bookmarked). Try again later, or install Unseal.',
};

export function PrivacyPage({ onBack }: { onBack: () => void }) {
  const [usage, setUsage] = useState<Usage | undefined>();
  const [persisted, setPersisted] = useState<Persisted | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [error, setError] = useState<WireError | undefined>();

  const refresh = () => {
    void estimateUsage().then(setUsage, () => setUsage(undefined));
    void persistedState().then(setPersisted, () => setPersisted('unsupported'));
  };
  useEffect(refresh, []);

  async function confirmDelete() {
    setDeleting(true);
    setError(undefined);
    try {
      await deleteEverything();
      setDeleted(true);
    } catch (e) {
      setError(asWire(e));
    } finally {
      setDeleting(false);
      setConfirming(false);
      refresh();
    }
  }

  return (
    <main class="open-screen privacy-page">
      <header class="brand">
        <button type="button" onClick={onBack}>
          ← Back
        </button>
        <h1>Privacy</h1>
        <p class="tagline">
          Unseal works only in this browser, on this device. It has no server: your backup, your key and your chats are
          never sent anywhere, and the app makes no request to any other site.
        </p>
      </header>

      <section class="card" aria-labelledby="stored-heading">
        <h2 id="stored-heading">What is stored, and where</h2>
        <dl>
          <dt>Your libraries (the restored chats and their search index)</dt>
          <dd>
            In this browser’s IndexedDB, in a database named “unseal” that only this site can read. They stay until
            you delete them.
          </dd>
          <dt>Locked libraries</dt>
          <dd>
            Only as an encrypted file (Argon2id and AES-256-GCM, the same as “Save encrypted copy”) in this site’s
            private file system (OPFS); nothing readable of them is kept. Their passphrase is never stored.
          </dd>
          <dt>Photos and other media from a WhatsApp folder</dt>
          <dd>
            A linked folder stays where it is: IndexedDB keeps the browser’s handle to it and the paths of the files the
            chats use, and Unseal reads them there (the browser may ask you to allow that again). If you choose to copy
            them instead, or pick the folder in a browser that cannot keep it linked, the files the chats use are
            copied into this site’s private file system (OPFS). Deleting the library removes the handle or the copies.
          </dd>
          <dt>The decrypted backup, while it is being read</dt>
          <dd>
            In this site’s private file system (OPFS), for the length of one import. It is deleted as soon as the
            import ends, whether it worked, failed or was cancelled.
          </dd>
          <dt>The app itself</dt>
          <dd>
            Unseal’s own files (its page, scripts, the SQLite engine, icons and the demo backup) are kept in Cache
            Storage so it opens without a network. Nothing of yours is ever put there.
          </dd>
          <dt>Never stored</dt>
          <dd>
            Your key (it is used inside one import and dropped) and your backup file (Unseal reads it where you picked
            it). The only other thing kept is a note that you answered the “keep my libraries” question.
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="space-heading">
        <h2 id="space-heading">Space and keeping it</h2>
        <p>
          {usage === undefined
            ? 'This browser does not say how much space Unseal uses.'
            : usage.libraries !== undefined
              ? `Your libraries use ${formatBytes(usage.libraries)}; the app’s own files ${formatBytes(usage.app ?? 0)}` +
                (usage.temporary ? `; files of an import in progress ${formatBytes(usage.temporary)}` : '') +
                `. In all, Unseal uses ${formatBytes(usage.total)} of the ${formatBytes(usage.quota)} this browser allows it.`
              : `Unseal uses ${formatBytes(usage.total)} (libraries and the app’s own files) of the ${formatBytes(usage.quota)} this browser allows it.`}
        </p>
        <p>
          Browsers may clear a site’s storage without asking when the disk runs low. You can ask this browser to keep
          Unseal’s storage until you delete it yourself.
        </p>
        {persisted && <p class="hint">{PERSIST_TEXT[persisted]}</p>}
        {persisted !== 'yes' && persisted !== 'unsupported' && (
          <button
            type="button"
            onClick={async () => {
              rememberSuggested();
              setPersisted(await askToPersist().catch((): Persisted => 'refused'));
            }}
          >
            Keep my libraries
          </button>
        )}
      </section>

      <section class="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete everything</h2>
        <p>
          This deletes every library and all of Unseal’s data in this browser: the restored chats, their search index
          and any leftover import files. The app itself stays, so it keeps working offline. It cannot be undone; your
          backup files are not touched.
        </p>
        {confirming ? (
          <div class="confirm" role="group" aria-label="Delete everything?">
            <span>Delete every library and all of Unseal’s data from this browser?</span>
            <button type="button" class="danger" disabled={deleting} onClick={() => void confirmDelete()}>
              Yes, delete everything
            </button>
            <button type="button" disabled={deleting} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        ) : (
          <button
            type="button"
            class="danger"
            onClick={() => {
              setDeleted(false);
              setConfirming(true);
            }}
          >
            Delete everything
          </button>
        )}
        {deleted && (
          <p role="status" class="done">
            Everything was deleted.
          </p>
        )}
        {error && (
          <p role="alert" class="error">
            {errorText(error)}
          </p>
        )}
      </section>

      <section class="card" aria-labelledby="limits-heading">
        <h2 id="limits-heading">What Unseal cannot protect against</h2>
        <ul>
          <li>
            Anyone who can use this browser profile (your computer account, someone you lend an unlocked device to,
            malware, or a browser extension allowed to read every site) can read the restored chats, because they are
            stored readable so that opening them is instant.
          </li>
          <li>Backups, keys and exports you saved yourself are files like any other, outside Unseal’s care.</li>
        </ul>
        <p>
          Delete libraries you no longer need. To keep one without leaving it readable here, lock it (“Lock this
          library”): only its encrypted form stays in this browser and its passphrase opens it again. Or save it as a
          passphrase-protected file (“Save encrypted copy”) and delete it from the browser.
        </p>
      </section>
    </main>
  );
}

/**
 * A one-time suggestion, after a library has been stored, to ask the browser to keep it. Not a
 * `status`: the library's summary is the screen's status.
 */
export function PersistSuggestion({ onPrivacy }: { onPrivacy: () => void }) {
  const [show, setShow] = useState(false);

  useEffect(() => {
    if (wasSuggested()) return;
    let live = true;
    void persistedState().then((state) => live && setShow(state === 'no'), () => undefined);
    return () => {
      live = false;
    };
  }, []);

  if (!show) return null;
  const answer = (persist: boolean) => {
    rememberSuggested();
    setShow(false);
    if (persist) void askToPersist().catch(() => undefined);
  };
  return (
    <aside class="persist-suggestion" aria-label="Keep your libraries">
      <p>
        Your chats are stored in this browser. Ask it to keep them, so they are not cleared when the disk runs low?{' '}
        <button type="button" class="link-button" onClick={onPrivacy}>
          More about storage
        </button>
      </p>
      <button type="button" class="primary" onClick={() => answer(true)}>
        Keep them
      </button>
      <button type="button" onClick={() => answer(false)}>
        Not now
      </button>
    </aside>
  );
}
