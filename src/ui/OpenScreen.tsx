import { useEffect, useRef, useState } from 'preact/hooks';
import { parseKeyText } from '../core/backup/key';
import { sniffBackup, type BackupKind } from '../core/backup/sniff';
import type { KeyInput, LibrarySummary, Progress, WireError } from '../worker/protocol';
import { DEMO_BACKUP_URL, DEMO_KEY } from '../demo';
import { asWire, worker } from './App';
import { errorText, formatBytes, formatCount } from './messages';
import { onLaunchFiles } from './launch';
import { ExtrasFields, type OpenExtras } from './OpenExtras';
import { UnlockLibrary } from './archive/LockLibrary';

interface Props {
  libraries: LibrarySummary[] | undefined;
  onOpened: (library: LibrarySummary) => void;
  onShow: (library: LibrarySummary) => void;
  onDeleted: () => void;
  /** Shows the privacy page (storage, deleting everything). */
  onPrivacy?: () => void;
}

const PHASE_LABEL: Record<Progress['phase'], string> = {
  'reading-key': 'Reading the key…',
  decrypting: 'Decrypting…',
  'reading-database': 'Reading the chats…',
  storing: 'Storing the chats on this device…',
  'cleaning-up': 'Cleaning up…',
  exporting: 'Exporting…',
  sealing: 'Encrypting…',
  verifying: 'Checking the encrypted copy…',
  'linking-media': 'Linking the media files…',
};

/** What the picked file looks like, from its first bytes (the worker checks again). */
async function describeFile(file: File): Promise<BackupKind> {
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  return sniffBackup(head, file.size).kind;
}

function kindNote(kind: BackupKind): string {
  switch (kind) {
    case 'crypt15':
      return 'An end-to-end encrypted backup (crypt15): it needs the 64-digit key or the encrypted_backup.key file.';
    case 'crypt14':
    case 'crypt12':
      return `A ${kind} backup: it needs the legacy key file named “key” from the phone.`;
    case 'unseal-archive':
      return 'An Unseal encrypted copy: it needs the passphrase it was saved with.';
    case 'sqlite':
      return 'An already decrypted database: no key needed.';
    default:
      return '';
  }
}

export function OpenScreen({ libraries, onOpened, onShow, onDeleted, onPrivacy }: Props) {
  const [file, setFile] = useState<File | undefined>();
  const [fileKind, setFileKind] = useState<BackupKind | undefined>();
  const [keyText, setKeyText] = useState('');
  const [keyFile, setKeyFile] = useState<File | undefined>();
  const [extras, setExtras] = useState<OpenExtras>({});
  const [progress, setProgress] = useState<Progress | undefined>();
  const [unlocking, setUnlocking] = useState<LibrarySummary | undefined>();
  const [error, setError] = useState<WireError | undefined>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | undefined>();
  const abortRef = useRef<AbortController | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  const keyCheck = keyText.trim() === '' ? undefined : parseKeyText(keyText);
  // Length is only an error once the user has typed too much; until then it is a count.
  const keyProblem =
    keyCheck && !keyCheck.ok && (keyCheck.problem === 'non-hex' || digitCount(keyText) > 64) ? keyCheck.message : undefined;
  const isArchive = fileKind === 'unseal-archive';
  const needsKey = fileKind !== 'sqlite' && !isArchive;
  const [passphrase, setPassphrase] = useState('');

  useEffect(() => {
    if (!file) return setFileKind(undefined);
    let live = true;
    void describeFile(file).then((k) => live && setFileKind(k));
    return () => {
      live = false;
    };
  }, [file]);

  // A backup opened with the installed app (file handlers) arrives like a picked file.
  useEffect(
    () =>
      onLaunchFiles((launched) => {
        setFile(launched);
        setError(undefined);
      }),
    [],
  );

  // The whole page accepts a dropped backup.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) {
        e.preventDefault();
        setDragging(true);
      }
    };
    const leave = () => setDragging(false);
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const dropped = e.dataTransfer?.files[0];
      if (dropped) {
        setFile(dropped);
        setError(undefined);
      }
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  async function start(backup: File, key: KeyInput) {
    const controller = new AbortController();
    abortRef.current = controller;
    setBusy(true);
    setError(undefined);
    setProgress({ phase: 'reading-key', done: 0, total: 0 });
    try {
      const { library } = await worker.call(
        'open',
        { file: backup, key, contacts: extras.contacts, media: extras.media },
        { signal: controller.signal, onProgress: setProgress },
      );
      onOpened(library);
    } catch (e) {
      setError(asWire(e));
    } finally {
      setBusy(false);
      setProgress(undefined);
      abortRef.current = undefined;
    }
  }

  async function onSubmit(e: Event) {
    e.preventDefault();
    if (!file) {
      setError({ code: 'not-a-backup', message: '', detail: {} });
      return;
    }
    let key: KeyInput = { kind: 'none' };
    if (isArchive) key = { kind: 'passphrase', text: passphrase };
    else if (keyFile) key = { kind: 'file', bytes: new Uint8Array(await keyFile.arrayBuffer()) };
    else if (keyText.trim() !== '') {
      const parsed = parseKeyText(keyText);
      if (!parsed.ok) {
        setError({ code: 'bad-key', message: parsed.message, detail: {} });
        return;
      }
      key = { kind: 'text', text: keyText };
    }
    await start(file, key);
  }

  async function openDemo() {
    const response = await fetch(DEMO_BACKUP_URL);
    const blob = await response.blob();
    await start(new File([blob], 'msgstore.db.crypt15 (demo)'), { kind: 'text', text: DEMO_KEY });
  }

  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : undefined;

  return (
    <main class={`open-screen${dragging ? ' dragging' : ''}`}>
      <header class="brand">
        <h1>Unseal</h1>
        <p class="tagline">Open your WhatsApp backup on this device. Nothing leaves it: no server, no upload, no tracking.</p>
      </header>

      <section class="card" aria-labelledby="open-heading">
        <h2 id="open-heading">Open a backup</h2>
        <form onSubmit={onSubmit} aria-busy={busy}>
          <div class="field">
            <label for="backup-file">Backup file</label>
            <input
              id="backup-file"
              ref={fileInput}
              type="file"
              disabled={busy}
              onChange={(e) => {
                setFile((e.currentTarget as HTMLInputElement).files?.[0]);
                setError(undefined);
              }}
            />
            <p class="hint">
              {file
                ? `${file.name} · ${formatBytes(file.size)}${fileKind ? ` · ${kindNote(fileKind)}` : ''}`
                : 'msgstore.db.crypt15 (or .crypt14, .crypt12, or a plain msgstore.db) from WhatsApp/Databases. You can also drop it onto this page.'}
            </p>
          </div>

          {isArchive && (
            <div class="field">
              <label for="archive-passphrase">Passphrase</label>
              <input
                id="archive-passphrase"
                type="password"
                autocomplete="current-password"
                disabled={busy}
                value={passphrase}
                onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
          )}

          {needsKey && (
            <>
              <div class="field">
                <label for="key-text">64-digit key</label>
                <textarea
                  id="key-text"
                  rows={2}
                  spellcheck={false}
                  autocomplete="off"
                  autocapitalize="off"
                  disabled={busy || keyFile !== undefined}
                  value={keyText}
                  aria-invalid={keyProblem !== undefined}
                  aria-describedby="key-hint"
                  placeholder="1a2b 3c4d 5e6f …"
                  onInput={(e) => setKeyText((e.currentTarget as HTMLTextAreaElement).value)}
                />
                <p id="key-hint" class={keyProblem ? 'hint problem' : 'hint'}>
                  {keyProblem ??
                    (keyText.trim() === ''
                      ? 'As WhatsApp showed it: 64 digits and letters a–f, in any grouping.'
                      : keyCheck?.ok
                        ? 'All 64 digits are there.'
                        : `${digitCount(keyText)} of 64 digits.`)}
                </p>
              </div>
              <div class="field">
                <label for="key-file">Key file</label>
                <input
                  id="key-file"
                  type="file"
                  disabled={busy}
                  onChange={(e) => setKeyFile((e.currentTarget as HTMLInputElement).files?.[0])}
                />
                <p class="hint">Or the key file instead: encrypted_backup.key (crypt15) or key (crypt12/14).</p>
              </div>
            </>
          )}

          {!isArchive && <ExtrasFields busy={busy} value={extras} onChange={setExtras} />}

          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Open
            </button>
            {busy && (
              <button type="button" onClick={() => abortRef.current?.abort()}>
                Cancel
              </button>
            )}
          </div>

          {progress && (
            <div class="progress">
              <progress
                aria-label="Import progress"
                max={progress.total > 0 ? 100 : undefined}
                value={percent}
                aria-valuenow={percent}
                aria-valuemin={0}
                aria-valuemax={progress.total > 0 ? 100 : undefined}
              />
              <p aria-live="polite">
                {PHASE_LABEL[progress.phase]}
                {percent !== undefined ? ` ${percent}%` : ''}
                {progress.phase === 'decrypting' && progress.total > 0
                  ? ` (${formatBytes(progress.done)} of ${formatBytes(progress.total)})`
                  : ''}
              </p>
            </div>
          )}

          {error && (
            <p role="alert" class="error">
              {errorText(error)}
            </p>
          )}
        </form>

        <details class="password-help">
          <summary>I only have my backup password</summary>
          <p>
            A password cannot open the backup file offline. With a password, WhatsApp keeps your backup’s real key in
            its own secure key vault, and only the WhatsApp app can unlock it from there. No tool can work around that,
            and you should never type your WhatsApp password into a website.
          </p>
          <p>
            If you still have WhatsApp with these chats: open <strong>Settings › Chats › Chat backup › End-to-end
            encrypted backup</strong>, turn it off and on again choosing <strong>Use 64-digit encryption key instead</strong>,
            write the key down, make a new backup, and open that backup here with the key.
          </p>
        </details>
      </section>

      <section class="card demo" aria-labelledby="demo-heading">
        <h2 id="demo-heading">Try it first</h2>
        <p>A small made-up backup ships with Unseal. Its key is published on purpose:</p>
        <p class="demo-key" translate={false}>
          <code>{DEMO_KEY}</code>
        </p>
        <button type="button" onClick={() => void openDemo()} disabled={busy}>
          Open the demo backup
        </button>
      </section>

      {libraries && libraries.length > 0 && (
        <section class="card" aria-labelledby="libraries-heading">
          <h2 id="libraries-heading">On this device</h2>
          <ul aria-label="Libraries" class="libraries">
            {libraries.map((lib) => (
              <li key={lib.id}>
                <button type="button" class="library-open" onClick={() => (lib.locked ? setUnlocking(lib) : onShow(lib))}>
                  <span class="library-name">
                    {lib.locked && <span aria-hidden="true">🔒 </span>}
                    {lib.fileName}
                  </span>
                  <span class="library-facts">
                    {lib.locked ? `Locked ${new Date(lib.locked.at).toLocaleDateString()} · ` : ''}
                    {formatCount(lib.chatCount, 'chat', 'chats')} · {formatCount(lib.messageCount, 'message', 'messages')} ·
                    opened {new Date(lib.openedAt).toLocaleDateString()}
                  </span>
                </button>
                {confirmDelete === lib.id ? (
                  <span class="confirm" role="group" aria-label={`Delete ${lib.fileName}?`}>
                    <span>Delete it and all its chats from this device?</span>
                    <button
                      type="button"
                      class="danger"
                      onClick={async () => {
                        await worker.call('deleteLibrary', { libraryId: lib.id });
                        setConfirmDelete(undefined);
                        onDeleted();
                      }}
                    >
                      Yes, delete
                    </button>
                    <button type="button" onClick={() => setConfirmDelete(undefined)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    class="danger"
                    aria-label="Delete library"
                    title={`Delete ${lib.fileName} from this device`}
                    onClick={() => setConfirmDelete(lib.id)}
                  >
                    Delete
                  </button>
                )}
              </li>
            ))}
          </ul>
          {unlocking && (
            <UnlockLibrary
              library={unlocking}
              onClose={() => setUnlocking(undefined)}
              onUnlocked={(library) => {
                setUnlocking(undefined);
                onShow(library);
              }}
            />
          )}
        </section>
      )}

      <footer class="privacy-note">
        <p>
          Everything happens in this browser tab. Your backup, your key and your chats never leave this device; the
          restored chats are kept in this browser’s storage until you delete them.
        </p>
        {onPrivacy && (
          <p>
            <button type="button" class="link-button" onClick={onPrivacy}>
              Privacy and storage
            </button>
          </p>
        )}
      </footer>
    </main>
  );
}

function digitCount(text: string): number {
  return text.replace(/[\s\-:]/g, '').length;
}
