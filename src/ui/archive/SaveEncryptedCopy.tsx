import { useState } from 'preact/hooks';
import type { MediaLinkReport } from '../../worker/protocol';
import { worker } from '../App';
import { formatBytes, formatCount } from '../messages';
import { download } from '../download';
import { DialogActions, JobStatus, useModal, useWorkerJob } from '../job';
import { NewPassphraseFields, passphraseReady, progressText } from './NewPassphrase';

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
  const job = useWorkerJob('sealing');
  const dialog = useModal(open);

  async function save(e: Event) {
    e.preventDefault();
    if (!passphraseReady(passphrase, confirm)) return;
    const file = await job.run((signal, onProgress) =>
      worker.call('saveArchive', { libraryId, passphrase, includeMedia: hasMedia && includeMedia }, { signal, onProgress }),
    );
    if (!file) return;
    download(file);
    setOpen(false);
    setPassphrase('');
    setConfirm('');
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
          <JobStatus job={job} label="Save progress" text={progressText} />
          <DialogActions disabled={job.progress !== undefined || !passphraseReady(passphrase, confirm)} onClose={() => setOpen(false)}>
            Save
          </DialogActions>
        </form>
      </dialog>
    </>
  );
}
