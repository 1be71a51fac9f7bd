import { useEffect, useRef, useState } from 'preact/hooks';
import { memo } from 'preact/compat';
import type { ChatSummary, MediaLinkReport } from '../../worker/protocol';
import { worker } from '../App';
import { formatBytes, formatCount } from '../messages';
import { DialogActions, JobProgress, useModal, useWorkerJob } from '../job';
import { download } from '../download';
import './export.css';

function dateRange(from: string, to: string): { from?: number; to?: number } | undefined {
  const at = (v: string) => {
    const [y, m, d] = v.split('-').map(Number);
    return new Date(y, m - 1, d).getTime();
  };
  if (!from && !to) return undefined;
  return { from: from ? at(from) : undefined, to: to ? at(to) + 86_400_000 : undefined };
}

/** `Export chat` (one click, a plain .html) and its options: a date range and a password. */
export function ExportChatButton({ libraryId, chat }: { libraryId: string; chat: ChatSummary }) {
  const job = useWorkerJob('exporting');
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const dialog = useModal(optionsOpen);

  const exportNow = async (opts: { password?: string; from?: string; to?: string }) => {
    const file = await job.run((signal, onProgress) =>
      worker.call(
        'exportChat',
        {
          libraryId,
          chatId: chat.id,
          password: opts.password || undefined,
          dateRange: dateRange(opts.from ?? '', opts.to ?? ''),
        },
        { signal, onProgress },
      ),
    );
    if (file) download(file);
  };

  return (
    <span class="export-controls">
      {job.progress ? (
        <JobProgress progress={job.progress} label="Export progress" cancelLabel="Cancel export" onCancel={job.cancel} />
      ) : (
        <>
          <button type="button" onClick={() => void exportNow({})}>
            Export chat
          </button>
          <button type="button" aria-label="Export options" title="Export options" onClick={() => setOptionsOpen(true)}>
            ⋯
          </button>
        </>
      )}
      {job.error && (
        <span role="alert" class="error">
          {job.error}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby="export-options-title" class="export-dialog" onClose={() => setOptionsOpen(false)}>
        <form
          method="dialog"
          onSubmit={async (e) => {
            e.preventDefault();
            setOptionsOpen(false);
            await exportNow({ password, from, to });
            setPassword('');
          }}
        >
          <h2 id="export-options-title">Export “{chat.title}”</h2>
          <p class="hint">One .html file that opens in any browser, offline, now and in twenty years.</p>
          <div class="field-row">
            <label>
              From
              <input type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label>
              To
              <input type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
            </label>
          </div>
          <label class="field">
            Password (optional)
            <input
              type="password"
              autocomplete="new-password"
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <p class="hint">
            With a password the file holds only ciphertext; it asks for the password when opened and decrypts itself,
            offline. Without the password nobody can read it, including you.
          </p>
          <DialogActions onClose={() => setOptionsOpen(false)}>
            Export
          </DialogActions>
        </form>
      </dialog>
    </span>
  );
}

/**
 * `Export chats`: pick several or all chats, optionally a date range and the media files; one
 * .zip. Memoized, and its list of every chat is only built while the dialog is open: a library
 * can hold thousands of chats, and the library view re-renders on every chat opened.
 */
export const ExportChatsButton = memo(function ExportChatsButton({
  libraryId,
  chats,
  media,
}: {
  libraryId: string;
  chats: ChatSummary[];
  /** The library's linked WhatsApp folder, if any: `Include media files` needs one. */
  media?: MediaLinkReport;
}) {
  const job = useWorkerJob('exporting');
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [includeMedia, setIncludeMedia] = useState(false);
  const hasMedia = (media?.found ?? 0) > 0;
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (open) {
      setSelected(new Set(chats.map((c) => c.id)));
      dialog.current?.showModal();
    } else dialog.current?.close();
  }, [open]);

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <>
      {job.progress ? (
        <JobProgress progress={job.progress} label="Export progress" cancelLabel="Cancel export" onCancel={job.cancel} />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Export chats
        </button>
      )}
      {job.error && (
        <p role="alert" class="error">
          {job.error}
        </p>
      )}
      <dialog ref={dialog} aria-labelledby="export-chats-title" class="export-dialog" onClose={() => setOpen(false)}>
        <form
          method="dialog"
          onSubmit={async (e) => {
            e.preventDefault();
            const chatIds = chats.filter((c) => selected.has(c.id)).map((c) => c.id);
            setOpen(false);
            const file = await job.run((signal, onProgress) =>
              worker.call(
                'exportChats',
                { libraryId, chatIds, dateRange: dateRange(from, to), includeMedia: hasMedia && includeMedia },
                { signal, onProgress },
              ),
            );
            if (file) download(file);
          }}
        >
          <h2 id="export-chats-title">Export chats</h2>
          <p class="hint">
            One .zip: an index.html linking every chat as its own .html file, plus each chat as WhatsApp-style .txt and
            as .json.
          </p>
          <div class="actions">
            <button type="button" onClick={() => setSelected(new Set(chats.map((c) => c.id)))}>
              Select all
            </button>
            <button type="button" onClick={() => setSelected(new Set())}>
              Select none
            </button>
          </div>
          <fieldset class="export-chat-list">
            <legend>Chats</legend>
            {open && chats.map((c) => (
              <label key={c.id} class="export-chat">
                <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                <span dir="auto">{c.title}</span>
                <span class="hint">{formatCount(c.messageCount, 'message', 'messages')}</span>
              </label>
            ))}
          </fieldset>
          <div class="field-row">
            <label>
              From
              <input type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label>
              To
              <input type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
            </label>
          </div>
          <label class="field-check">
            <input
              type="checkbox"
              checked={hasMedia && includeMedia}
              disabled={!hasMedia}
              aria-describedby="export-media-hint"
              onChange={(e) => setIncludeMedia((e.currentTarget as HTMLInputElement).checked)}
            />
            Include media files
          </label>
          <p class="hint" id="export-media-hint">
            {hasMedia && media
              ? `Each chat's photos, videos, voice notes and documents in a folder next to it (${formatCount(media.found, 'linked file', 'linked files')} in this library${media.copiedBytes > 0 ? `, ${formatBytes(media.copiedBytes)}` : ''}).`
              : 'Link a WhatsApp folder to this library to include its media files.'}
          </p>
          <DialogActions disabled={selected.size === 0} onClose={() => setOpen(false)}>
            Export {formatCount(selected.size, 'chat', 'chats')}
          </DialogActions>
        </form>
      </dialog>
    </>
  );
});
