import { useState } from 'preact/hooks';
import type { LibrarySummary } from '../../worker/protocol';
import { worker } from '../App';
import { DialogActions, JobStatus, useModal, useWorkerJob } from '../job';
import { NewPassphraseFields, passphraseReady, progressText } from './NewPassphrase';

/**
 * `Lock this library`: keeps the library in this browser only as an encrypted copy (the worker
 * checks the copy opens before it deletes the readable chats). `onLocked` gets the locked summary.
 */
export function LockLibrary({ library, onLocked }: { library: LibrarySummary; onLocked: (locked: LibrarySummary) => void }) {
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const job = useWorkerJob('sealing');
  const dialog = useModal(open);

  async function lock(e: Event) {
    e.preventDefault();
    if (!passphraseReady(passphrase, confirm)) return;
    const locked = await job.run((signal, onProgress) => worker.call('lockLibrary', { libraryId: library.id, passphrase }, { signal, onProgress }));
    if (!locked) return;
    setOpen(false);
    onLocked(locked);
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
          <JobStatus job={job} label="Lock progress" text={progressText} />
          <DialogActions disabled={job.progress !== undefined || !passphraseReady(passphrase, confirm)} onClose={() => setOpen(false)}>
            Lock
          </DialogActions>
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
  const job = useWorkerJob('reading-key');
  const dialog = useModal(true);

  async function unlock(e: Event) {
    e.preventDefault();
    if (passphrase === '') return;
    const unlocked = await job.run((signal, onProgress) => worker.call('unlockLibrary', { libraryId: library.id, passphrase }, { signal, onProgress }));
    if (unlocked) onUnlocked(unlocked);
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
        <JobStatus job={job} label="Unlock progress" text={progressText} />
        <DialogActions disabled={job.progress !== undefined || passphrase === ''} onClose={onClose}>
          Unlock
        </DialogActions>
      </form>
    </dialog>
  );
}
