/**
 * The optional pickers next to a backup (ui-contract): `Contacts file` (wa.db, plain or
 * encrypted with the backup's key, or a .vcf) and `WhatsApp folder` (a directory picker; its
 * files are matched to the messages' media and copied into this browser's storage).
 */
import type { MediaFolder } from '../worker/protocol';
import { formatBytes, formatCount } from './messages';

export interface OpenExtras {
  contacts?: File;
  media?: MediaFolder;
}

/** The picked files with their paths relative to the picked folder. */
export function folderOf(list: FileList | null | undefined): MediaFolder | undefined {
  if (!list || list.length === 0) return undefined;
  const files = [...list];
  return { files, paths: files.map((f) => f.webkitRelativePath || f.name) };
}

/** A directory picker input: `webkitdirectory` is not in Preact's JSX types, so it is set here. */
export function FolderInput({ id, disabled, onPick }: { id: string; disabled?: boolean; onPick: (folder: MediaFolder | undefined) => void }) {
  return (
    <input
      id={id}
      type="file"
      multiple
      disabled={disabled}
      ref={(el) => {
        if (el && !el.webkitdirectory) el.webkitdirectory = true;
      }}
      onChange={(e) => onPick(folderOf((e.currentTarget as HTMLInputElement).files))}
    />
  );
}

export function ExtrasFields({ busy, value, onChange }: { busy: boolean; value: OpenExtras; onChange: (v: OpenExtras) => void }) {
  const bytes = value.media?.files.reduce((n, f) => n + f.size, 0) ?? 0;
  return (
    <fieldset class="open-extras">
      <legend>Optional: names and media</legend>
      <div class="field">
        <label for="contacts-file">Contacts file</label>
        <input
          id="contacts-file"
          type="file"
          disabled={busy}
          onChange={(e) => onChange({ ...value, contacts: (e.currentTarget as HTMLInputElement).files?.[0] })}
        />
        <p class="hint">
          {value.contacts
            ? `${value.contacts.name} · ${formatBytes(value.contacts.size)}`
            : 'wa.db (or wa.db.crypt15, opened with the same key) from WhatsApp/Databases, or contacts exported as a .vcf: people are shown by name instead of number.'}
        </p>
      </div>
      <div class="field">
        <label for="media-folder">WhatsApp folder</label>
        <FolderInput id="media-folder" disabled={busy} onPick={(media) => onChange({ ...value, media })} />
        <p class="hint">
          {value.media
            ? `${formatCount(value.media.files.length, 'file', 'files')} · ${formatBytes(bytes)}. The files the chats use are copied into this browser’s storage.`
            : 'The WhatsApp folder (or its Media folder) from the phone: photos, videos, voice notes and documents appear in the chats.'}
        </p>
      </div>
    </fieldset>
  );
}
