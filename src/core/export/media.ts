/**
 * Media files travelling with an export (the zip's `chats/NNN <title> media/` folders): which
 * messages carry a file, the file's name in the folder (the original name where possible, made
 * safe and unique), and how a writer refers to it. Pure: the worker reads the bytes.
 *
 * The writers (html.ts, txt.ts, json.ts) take an optional {@link MediaHref}: for a message it
 * gives the file's path relative to the chat's own file, or undefined when no file is included
 * (the writer then does what it does without media: a thumbnail, `<Media omitted>`).
 */
import type { Message } from '../msgstore/model';
import { safeFileName } from './names';

/** An included file, as the chat's writers refer to it. */
export interface MediaFileRef {
  /** Relative to the chat's file, `/`-separated, not URL-encoded (e.g. `001 Family media/IMG-1.jpg`). */
  path: string;
  mime?: string;
}

export type MediaHref = (m: Message) => MediaFileRef | undefined;

const FILE_KINDS = new Set(['image', 'video', 'gif', 'audio', 'voice', 'video-note', 'sticker', 'document']);

/** Whether a message is one whose file an export can include (not deleted, not view-once). */
export function carriesFile(m: Message): boolean {
  return FILE_KINDS.has(m.kind) && !m.deleted;
}

const EXT_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif',
  'video/mp4': 'mp4', 'video/3gpp': '3gp', 'video/webm': 'webm', 'video/quicktime': 'mov',
  'audio/ogg': 'opus', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/mpeg': 'mp3', 'audio/wav': 'wav', 'audio/amr': 'amr',
  'application/pdf': 'pdf',
};

// Names Windows refuses for a file whatever the extension.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A safe file name for a message's file: the base name of its `filePath` (WhatsApp's own name,
 * e.g. `IMG-20210428-WA0001.jpg`), else of its `fileName`, else `<kind>-<pos>`; with the
 * characters `safeFileName` replaces replaced, the extension kept (or taken from the mime type).
 */
export function mediaFileName(m: Message, mime?: string): string {
  const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const original = baseName(m.media?.filePath ?? '') || baseName(m.media?.fileName ?? '');
  const dot = original.lastIndexOf('.');
  let stem = dot > 0 ? original.slice(0, dot) : original;
  let ext = dot > 0 ? original.slice(dot + 1).replace(/[^\p{L}\p{N}]/gu, '').slice(0, 10) : '';
  if (!ext) ext = EXT_BY_MIME[(mime ?? m.media?.mime ?? '').split(';')[0]!.trim().toLowerCase()] ?? '';
  stem = safeFileName(stem, 80, '');
  if (!stem) stem = `${m.kind}-${m.pos}`;
  if (RESERVED.test(stem)) stem = `_${stem}`;
  return ext ? `${stem}.${ext}` : stem;
}

/**
 * Hands out file names that are unique within one folder, case-insensitively (as on Windows and
 * macOS): the second `a.jpg` becomes `a (2).jpg`.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
