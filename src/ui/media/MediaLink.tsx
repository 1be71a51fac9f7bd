/**
 * The library's media: what the last linked WhatsApp folder gave (found / missing per kind,
 * `.mcrypt1` → Google Drive note) and a "Link WhatsApp folder" control to link one (again).
 * Linking copies the matched files into this browser's storage and replaces an earlier link.
 */
import { useRef, useState } from 'preact/hooks';
import type { MediaLinkReport, Progress, WireError } from '../../worker/protocol';
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

export function MediaReportView({ report }: { report: MediaLinkReport }) {
  const kinds = (Object.keys(report.byKind) as (keyof MediaLinkReport['byKind'])[]).filter(
    (k) => report.byKind[k].found + report.byKind[k].missing > 0,
  );
  return (
    <div class="media-report" aria-label="Media report" role="group">
      <p>
        <span class="media-found">{`${report.found.toLocaleString()} of ${report.total.toLocaleString()} media files found`}</span>
        {` · ${report.missing.toLocaleString()} missing`}
        {report.copiedBytes > 0 && ` · ${formatBytes(report.copiedBytes)} copied`}
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
  const abort = useRef<AbortController | undefined>(undefined);
  const busy = progress !== undefined;

  return (
    <details class="media-link">
      <summary>{report ? `Media: ${report.found.toLocaleString()} of ${report.total.toLocaleString()} found` : 'Media: no WhatsApp folder linked'}</summary>
      {report && <MediaReportView report={report} />}
      <div class="field">
        <label for="link-media-folder">Link WhatsApp folder</label>
        <FolderInput
          id="link-media-folder"
          disabled={busy}
          onPick={async (folder) => {
            if (!folder) return;
            const controller = new AbortController();
            abort.current = controller;
            setError(undefined);
            setProgress({ phase: 'linking-media', done: 0, total: 0 });
            try {
              onLinked(await worker.call('linkMedia', { libraryId, ...folder }, { signal: controller.signal, onProgress: setProgress }));
            } catch (e) {
              setError(asWire(e));
            } finally {
              setProgress(undefined);
              abort.current = undefined;
            }
          }}
        />
        <p class="hint">The files the chats use are copied into this browser’s storage; linking another folder replaces this link.</p>
      </div>
      {progress && (
        <p aria-live="polite">
          <progress aria-label="Copying media" max={progress.total || undefined} value={progress.total ? progress.done : undefined} />{' '}
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
