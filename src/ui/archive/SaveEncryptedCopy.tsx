import { useEffect, useRef, useState } from 'preact/hooks';
import type { MediaLinkReport, Progress } from '../../worker/protocol';
import { asWire, worker } from '../App';
import { errorText, formatBytes, formatCount } from '../messages';
import { download } from '../download';
import { NewPassphraseFields, passphraseReady } from './NewPassphrase';

/**
 * `Save encrypted copy`: the library as one .unseal file only the passphrase opens; with
 * `Include media files` (offered when media is linked) the linked files go in it too.
 */
export function SaveEncryptedCopy({ libraryId, media }: { libraryId: string; media?: MediaLinkReport }) {
  const [open, setOpen] = useState(false);
  const [includeMedia, setIncludeMedia] = useState(false);
  const hasMedia = media !== undefined && media.filesUsed > 0;
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : undefined;

  async function save(e: Event) {
    e.preventDefault();
    if (!passphraseReady(passphrase, confirm)) return;
    controller.current = new AbortController();
    setError(undefined);
    setProgress({ phase: 'sealing', done: 0, total: 0 });
    try {
      const file = await worker.call('saveArchive', { libraryId, passphrase, includeMedia: hasMedia && includeMedia }, { signal: controller.current.signal, onProgress: setProgress });
      download(file);
      setOpen(false);
      setPassphrase('');
      setConfirm('');
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
        Save encrypted copy
      </button>
      <dialog ref={dialog} aria-labelledby="save-copy-title" class="export-dialog" onClose={() => setOpen(false)}>
        <form onSubmit={save}>
          <h2 id="save-copy-title">Save encrypted copy</h2>
          <p class="hint">
            One .unseal file with this library’s chats and search index, encrypted with your passphrase (Argon2id and
            AES-256-GCM). Open it later in Unseal on any device, offline. Without the passphrase nobody can read it —
            and nobody can recover it for you.
          </p>
          <NewPassphraseFields id="save-copy" passphrase={passphrase} confirm={confirm} onPassphrase={setPassphrase} onConfirm={setConfirm} />
          {hasMedia && (
            <div class="field">
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={includeMedia}
                  aria-describedby="include-media-hint"
                  onChange={(e) => setIncludeMedia((e.currentTarget as HTMLInputElement).checked)}
                />{' '}
                Include media files
              </label>
              <p id="include-media-hint" class="hint">
                {`${formatCount(media.filesUsed, 'linked file', 'linked files')}${media.copiedBytes > 0 ? `, ${formatBytes(media.copiedBytes)}` : ''}: the copy grows by about their size. Without them it keeps the chats and thumbnails only.`}
              </p>
            </div>
          )}
          {progress && (
            <p class="export-progress">
              <progress aria-label="Save progress" max={100} value={percent} />
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
            <button type="submit" class="primary" disabled={progress !== undefined || !passphraseReady(passphrase, confirm)}>
              Save
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
