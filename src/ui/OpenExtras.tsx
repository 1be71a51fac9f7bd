/**
 * The optional pickers next to a backup (ui-contract): `Contacts file` (wa.db, plain or
 * encrypted with the backup's key, or a .vcf) and `WhatsApp folder` (a directory picker; its
 * files are matched to the messages' media). A folder chosen with `showDirectoryPicker`
 * (Chromium) stays linked; picked or dropped files are copied into this browser's storage.
 */
import type { MediaFolder, PickedFolder } from '../worker/protocol';
import { formatBytes, formatCount } from './messages';

export interface OpenExtras {
  contacts?: File;
  media?: PickedFolder;
}

/** The picked files with their paths relative to the picked folder. */
export function folderOf(list: FileList | null | undefined): MediaFolder | undefined {
  if (!list || list.length === 0) return undefined;
  const files = [...list];
  return { files, paths: files.map((f) => f.webkitRelativePath || f.name) };
}

/**
 * A directory picker input (`webkitdirectory` is not in Preact's JSX types, so it is set here).
 * Where `showDirectoryPicker` exists, activating it opens that instead, so the folder's handle
 * can be kept; files set on it otherwise (a drop onto it, a test's `setInputFiles`) still arrive.
 */
export function FolderInput({ id, disabled, onPick }: { id: string; disabled?: boolean; onPick: (folder: PickedFolder | undefined) => void }) {
  return (
    <input
      id={id}
      type="file"
      multiple
      disabled={disabled}
      ref={(el) => {
        if (el && !el.webkitdirectory) el.webkitdirectory = true;
      }}
      onClick={(e) => {
        if (!window.showDirectoryPicker) return;
        e.preventDefault();
        window.showDirectoryPicker({ id: 'whatsapp-folder', mode: 'read' }).then(
          (handle) => onPick({ handle }),
          () => undefined, // dismissed (AbortError), or a folder the browser refuses: it said why itself
        );
      }}
      onChange={(e) => onPick(folderOf((e.currentTarget as HTMLInputElement).files))}
    />
  );
}

/** One line on a picked folder: what it is and what will happen to its files. */
export function pickedFolderNote(folder: PickedFolder): string {
  if ('handle' in folder) {
    return `${folder.handle.name}: the folder is linked; its files stay there and are read from it (after a reload the browser may ask to allow access again).`;
  }
  const bytes = folder.files.reduce((n, f) => n + f.size, 0);
  return `${formatCount(folder.files.length, 'file', 'files')} · ${formatBytes(bytes)}. A folder picked this way cannot stay linked: the files the chats use (at most ${formatBytes(bytes)}) are copied into this browser’s storage.`;
}

export function ExtrasFields({ busy, value, onChange }: { busy: boolean; value: OpenExtras; onChange: (v: OpenExtras) => void }) {
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
            ? pickedFolderNote(value.media)
            : 'The WhatsApp folder (or its Media folder) from the phone: photos, videos, voice notes and documents appear in the chats.'}
        </p>
      </div>
    </fieldset>
  );
}
