/**
 * The library's media: what the last linked WhatsApp folder gave (found / missing per kind,
 * `.mcrypt1` → Google Drive note) and a "Link WhatsApp folder" control to link one (again).
 * A picked folder is matched first; then the choice: `Link the folder` (where the folder came as
 * a handle: nothing is copied) or `Copy into this browser`, with what copying takes stated first.
 * Linking replaces an earlier link. `FolderAccessPrompt` asks for the linked folder again.
 */
import { useRef, useState } from 'preact/hooks';
import type { MediaFolderAccess, MediaLinkMode, MediaLinkReport, MediaMatch, Progress, WireError } from '../../worker/protocol';
import type { MediaReport } from '../../core/media/paths';
import { asWire, worker } from '../App';
import { errorText, formatBytes, formatCount } from '../messages';
import { FolderInput } from '../OpenExtras';

const BUCKET_LABEL: Record<keyof MediaLinkReport['byKind'], [string, string]> = {
  image: ['photo', 'photos'],
  video: ['video', 'videos'],
  audio: ['voice note or audio', 'voice notes and audio'],
  document: ['document', 'documents'],
  sticker: ['sticker', 'stickers'],
  gif: ['GIF', 'GIFs'],
  other: ['other file', 'other files'],
};

/** A match's or a link's report; a link's says how it was kept. */
export function MediaReportView({ report }: { report: MediaReport & Partial<MediaLinkReport> }) {
  const kinds = (Object.keys(report.byKind) as (keyof MediaLinkReport['byKind'])[]).filter(
    (k) => report.byKind[k].found + report.byKind[k].missing > 0,
  );
  return (
    <div class="media-report" aria-label="Media report" role="group">
      <p>
        <span class="media-found">{`${report.found.toLocaleString()} of ${report.total.toLocaleString()} media files found`}</span>
        {` · ${report.missing.toLocaleString()} missing`}
        {report.mode === 'folder' && ` · read from the folder ${report.folderName ?? ''}`}
        {report.copiedBytes !== undefined && report.copiedBytes > 0 && ` · ${formatBytes(report.copiedBytes)} copied`}
      </p>
      <ul class="media-kinds">
        {kinds.map((k) => (
          <li key={k} data-kind={k}>
            {`${BUCKET_LABEL[k][1]}: ${report.byKind[k].found} found, ${report.byKind[k].missing} missing`}
          </li>
        ))}
      </ul>
      {report.notDownloaded > 0 && <p class="hint">{`${formatCount(report.notDownloaded, 'file was', 'files were')} never downloaded on the phone.`}</p>}
      {report.googleDriveEncrypted && (
        <p class="hint media-gdrive">
          {`${formatCount(report.mcrypt1Files, 'file is', 'files are')} Google Drive’s encrypted media (.mcrypt1)`}
          {report.encrypted > 0 ? `, ${report.encrypted} of the missing among them` : ''}
          {'. Those cannot be opened offline: copy the WhatsApp folder from the phone itself instead of a Google Drive download.'}
        </p>
      )}
    </div>
  );
}

export function MediaLinkControl({
  libraryId,
  report,
  onLinked,
}: {
  libraryId: string;
  report: MediaLinkReport | undefined;
  onLinked: (r: MediaLinkReport) => void;
}) {
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<WireError | undefined>();
  /** A matched folder waiting for the choice. */
  const [match, setMatch] = useState<MediaMatch | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const busy = progress !== undefined;

  async function work<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const controller = new AbortController();
    abort.current = controller;
    setError(undefined);
    setProgress({ phase: 'linking-media', done: 0, total: 0 });
    try {
      return await call(controller.signal);
    } catch (e) {
      setError(asWire(e));
      return undefined;
    } finally {
      setProgress(undefined);
      abort.current = undefined;
    }
  }

  async function link(pending: MediaMatch, mode: MediaLinkMode) {
    const linked = await work((signal) => worker.call('linkMedia', { libraryId, token: pending.token, mode }, { signal, onProgress: setProgress }));
    if (!linked) return;
    setMatch(undefined);
    onLinked(linked);
  }

  return (
    <details class="media-link">
      <summary>{report ? `Media: ${report.found.toLocaleString()} of ${report.total.toLocaleString()} found` : 'Media: no WhatsApp folder linked'}</summary>
      {report && !match && <MediaReportView report={report} />}
      <div class="field">
        <label for="link-media-folder">Link WhatsApp folder</label>
        <FolderInput
          id="link-media-folder"
          disabled={busy}
          onPick={async (folder) => {
            if (!folder) return;
            setMatch(undefined);
            setMatch(await work((signal) => worker.call('matchMedia', { libraryId, folder }, { signal, onProgress: setProgress })));
          }}
        />
        {!match && <p class="hint">The folder’s files are matched to the chats first; then you choose to link the folder or copy them. Linking another folder replaces this link.</p>}
      </div>
      {match && (
        <div class="media-choice" role="group" aria-label="Link or copy">
          <MediaReportView report={match.report} />
          {match.linkable ? (
            <p>
              <button type="button" class="primary" disabled={busy} onClick={() => void link(match, 'folder')}>
                Link the folder
              </button>{' '}
              <span class="hint">{`Nothing is copied: the files are read from ${match.folderName} (after a reload the browser may ask to allow access again).`}</span>
            </p>
          ) : (
            <p class="hint">A folder picked this way cannot stay linked after a reload (the browser keeps no access to it): the files must be copied into this browser.</p>
          )}
          <p>
            <button type="button" class={match.linkable ? undefined : 'primary'} disabled={busy} onClick={() => void link(match, 'copy')}>
              Copy into this browser
            </button>{' '}
            <span class="media-copy-size">{`${formatCount(match.copyFiles, 'file', 'files')}, ${formatBytes(match.copyBytes)} will be copied`}</span>
          </p>
          <p>
            <button type="button" class="link-button" disabled={busy} onClick={() => setMatch(undefined)}>
              Not now
            </button>
          </p>
        </div>
      )}
      {progress && (
        <p aria-live="polite">
          <progress aria-label="Linking media" max={progress.total || undefined} value={progress.total ? progress.done : undefined} />{' '}
          {progress.total ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)}` : 'Matching files…'}
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {errorText(error)}
        </p>
      )}
    </details>
  );
}

/**
 * The linked folder when it cannot be read now: a button that asks the browser for access again
 * (`requestPermission` needs the click), or a note that the folder is gone or was moved.
 */
export function FolderAccessPrompt({ access, onChanged }: { access: MediaFolderAccess | undefined; onChanged: () => void }) {
  if (!access || access.state === 'none' || access.state === 'granted') return null;
  if (access.state === 'gone') {
    return (
      <p class="hint media-access">{`The linked folder ${access.name} is gone or was moved: its files show as not in the folder. Link it again under Media.`}</p>
    );
  }
  return (
    <p class="media-access">
      <button
        type="button"
        class="primary"
        onClick={() => {
          const asked = access.handle.requestPermission?.({ mode: 'read' });
          void asked?.then(onChanged, onChanged);
        }}
      >
        Allow access to the WhatsApp folder
      </button>{' '}
      <span class="hint">{`The browser asks again before Unseal reads ${access.name}; until then its files are not shown.`}</span>
    </p>
  );
}
