import { useEffect, useRef, useState } from 'preact/hooks';
import type { LibrarySummary, Progress } from '../../worker/protocol';
import { asWire, worker } from '../App';
import { errorText } from '../messages';
import { NewPassphraseFields, passphraseReady } from './NewPassphrase';

function progressText(progress: Progress): string {
  if (progress.total === 0) return 'Deriving the key…';
  const percent = `${Math.floor((progress.done / progress.total) * 100)}%`;
  if (progress.phase === 'verifying') return `Checking the encrypted copy… ${percent}`;
  if (progress.phase === 'sealing') return `Encrypting… ${percent}`;
  return percent;
}

/** A modal `<dialog>` that is open while `open` is true. */
function useModal(open: boolean) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return dialog;
}

/**
 * `Lock this library`: keeps the library in this browser only as an encrypted copy (the worker
 * checks the copy opens before it deletes the readable chats). `onLocked` gets the locked summary.
 */
export function LockLibrary({ library, onLocked }: { library: LibrarySummary; onLocked: (locked: LibrarySummary) => void }) {
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const dialog = useModal(open);
  const controller = useRef<AbortController | undefined>(undefined);
  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : undefined;

  async function lock(e: Event) {
    e.preventDefault();
    if (!passphraseReady(passphrase, confirm)) return;
    controller.current = new AbortController();
    setError(undefined);
    setProgress({ phase: 'sealing', done: 0, total: 0 });
    try {
      const locked = await worker.call('lockLibrary', { libraryId: library.id, passphrase }, { signal: controller.current.signal, onProgress: setProgress });
      setOpen(false);
      onLocked(locked);
    } catch (err) {
      const wire = asWire(err);
      if (wire.code !== 'cancelled') setError(errorText(wire));
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Lock this library
      </button>
      <dialog ref={dialog} aria-labelledby="lock-title" class="export-dialog" onClose={() => setOpen(false)}>
        <form onSubmit={lock}>
          <h2 id="lock-title">Lock this library</h2>
          <p class="hint">
            Unseal keeps this library (with its media files) in this browser only in encrypted form (Argon2id and
            AES-256-GCM) and deletes the readable chats. To read it again, unlock it with the passphrase. Nobody can
            recover a forgotten passphrase.
          </p>
          <NewPassphraseFields id="lock" passphrase={passphrase} confirm={confirm} onPassphrase={setPassphrase} onConfirm={setConfirm} />
          {progress && (
            <p class="export-progress">
              <progress aria-label="Lock progress" max={100} value={percent} />
              <span>{progressText(progress)}</span>
              <button type="button" onClick={() => controller.current?.abort()}>
                Cancel
              </button>
            </p>
          )}
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={progress !== undefined || !passphraseReady(passphrase, confirm)}>
              Lock
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** The `Unlock` dialog of a locked library; `onUnlocked` gets the restored library. */
export function UnlockLibrary({
  library,
  onClose,
  onUnlocked,
}: {
  library: LibrarySummary;
  onClose: () => void;
  onUnlocked: (library: LibrarySummary) => void;
}) {
  const [passphrase, setPassphrase] = useState('');
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const dialog = useModal(true);
  const controller = useRef<AbortController | undefined>(undefined);
  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : undefined;

  async function unlock(e: Event) {
    e.preventDefault();
    if (passphrase === '') return;
    controller.current = new AbortController();
    setError(undefined);
    setProgress({ phase: 'reading-key', done: 0, total: 0 });
    try {
      const unlocked = await worker.call('unlockLibrary', { libraryId: library.id, passphrase }, { signal: controller.current.signal, onProgress: setProgress });
      onUnlocked(unlocked);
    } catch (err) {
      const wire = asWire(err);
      if (wire.code !== 'cancelled') setError(errorText(wire));
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <dialog ref={dialog} aria-labelledby="unlock-title" class="export-dialog" onClose={onClose}>
      <form onSubmit={unlock}>
        <h2 id="unlock-title">Unlock {library.fileName}</h2>
        <p class="hint">This library is locked: only its encrypted form is kept in this browser. Its passphrase opens it.</p>
        <label class="field">
          Passphrase
          <input
            type="password"
            autocomplete="current-password"
            value={passphrase}
            onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        {progress && (
          <p class="export-progress">
            <progress aria-label="Unlock progress" max={100} value={percent} />
            <span>{progress.total > 0 ? `${percent}%` : 'Deriving the key…'}</span>
            <button type="button" onClick={() => controller.current?.abort()}>
              Cancel
            </button>
          </p>
        )}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={progress !== undefined || passphrase === ''}>
            Unlock
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
