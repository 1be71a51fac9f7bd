/**
 * Linking a picked WhatsApp folder to a stored library (ui-contract: `WhatsApp folder`).
 *
 * 1. Every media message of the library (read from its stored pages) becomes a `MediaRef`;
 *    the picked files become `FolderFile`s (`webkitRelativePath`, size). core/media/paths.ts
 *    matches them by path, name and size; the few files it names (`needsHash`) are hashed with
 *    WebCrypto SHA-256 and matched by `file_hash`.
 * 2. Each matched file is copied once into OPFS under `media/<libraryId>/<run>/` (`MediaCopyRun`,
 *    which restoring an encrypted copy with media uses too; streamed; a file used
 *    by several messages is copied once), so the library keeps its media after the folder is
 *    gone. The space needed is checked against the browser's estimate first (`quota`).
 * 3. The links (`[libraryId, chatId, pos]` → OPFS path, mime, size) replace the library's previous
 *    ones in one IndexedDB transaction, with the report; the previous copies are then removed.
 *    Linking again (another folder) therefore replaces the earlier link.
 * A failure or cancel removes this run's copies and leaves the previous link as it was.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { buildMediaIndex, matchByHash, matchMedia, mediaReport, type MediaRef } from '../core/media/paths';
import { getMediaLink, replaceMediaLinks, type MediaRecord, type UnsealDb } from '../store/db';
import type { MediaFolder, MediaLinkReport, Progress } from './protocol';

const MEDIA_DIR = 'media';

/** Where a message's file came from: its chat, position and mime type. */
interface RefInfo {
  chatId: number;
  pos: number;
  mime?: string;
}

function libraryRange(libraryId: string): IDBKeyRange {
  return IDBKeyRange.bound([libraryId], [libraryId, []]);
}

async function sha256Base64(file: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  return btoa(s);
}

async function dirAt(path: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory();
  for (const name of path) dir = await dir.getDirectoryHandle(name, { create });
  return dir;
}

/** Removes `media/<libraryId>` (or one run's folder below it); missing is fine. */
export async function removeMediaDir(libraryId: string, run?: string): Promise<void> {
  try {
    const parent = await dirAt(run ? [MEDIA_DIR, libraryId] : [MEDIA_DIR], false);
    await parent.removeEntry(run ?? libraryId, { recursive: true });
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
  }
}

/** A file name that is safe and unique within one run's folder. */
function storedName(n: number, path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const safe = base.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(-80);
  return `${n}-${safe || 'file'}`;
}

/** Throws `quota` (saying how much is needed) when the browser's estimate leaves less than `bytes`. */
export async function checkMediaSpace(bytes: number): Promise<void> {
  const estimate = await navigator.storage.estimate?.();
  if (estimate?.quota !== undefined && estimate.usage !== undefined && bytes > estimate.quota - estimate.usage) {
    throw new UnsealError('quota', 'Not enough storage space for the media files.', { needed: bytes });
  }
}

/**
 * One run's folder of OPFS copies, `media/<libraryId>/<run>/`: linking a WhatsApp folder and
 * restoring an encrypted copy with media both store their files through it, named and placed
 * the same way. `discard` removes the run's folder (on failure or cancel).
 */
export class MediaCopyRun {
  private count = 0;

  private constructor(
    readonly libraryId: string,
    readonly run: string,
    private readonly dir: FileSystemDirectoryHandle,
  ) {}

  static async create(libraryId: string, kind: 'link' | 'restore'): Promise<MediaCopyRun> {
    const run = `${kind}-${Date.now().toString(36)}`;
    return new MediaCopyRun(libraryId, run, await dirAt([MEDIA_DIR, libraryId, run], true));
  }

  /** A new empty file named after `path` (a folder path or a file name): its stored path and a stream to fill it. */
  async add(path: string): Promise<{ opfsPath: string; writable: FileSystemWritableFileStream }> {
    const name = storedName(this.count++, path);
    const handle = await this.dir.getFileHandle(name, { create: true });
    return { opfsPath: `${MEDIA_DIR}/${this.libraryId}/${this.run}/${name}`, writable: await handle.createWritable() };
  }

  discard(): Promise<void> {
    return removeMediaDir(this.libraryId, this.run);
  }
}

/** A browser QuotaExceededError as Unseal's `quota`, saying how much was needed; anything else as it is. */
export function asQuotaError(e: unknown, needed: number): unknown {
  if (e instanceof DOMException && e.name === 'QuotaExceededError') {
    return new UnsealError('quota', 'The browser ran out of storage space for the media files.', { needed });
  }
  return e;
}

function mimeFromPath(path: string): string | undefined {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const map: Record<string, string> = {
    jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
    mp4: 'video/mp4', '3gp': 'video/3gpp', webm: 'video/webm', mov: 'video/quicktime',
    opus: 'audio/ogg', ogg: 'audio/ogg', m4a: 'audio/mp4', aac: 'audio/aac', mp3: 'audio/mpeg', wav: 'audio/wav', amr: 'audio/amr',
    pdf: 'application/pdf',
  };
  return map[ext];
}

export async function linkMedia(
  db: UnsealDb,
  libraryId: string,
  folder: MediaFolder,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<MediaLinkReport> {
  const { files, paths } = folder;
  if (files.length !== paths.length) throw new UnsealError('internal', 'linkMedia: files and paths differ in length.');
  onProgress({ phase: 'linking-media', done: 0, total: 0 });

  // 1. The library's media messages.
  const refs: MediaRef[] = [];
  const info: RefInfo[] = [];
  const chats = await db.getAll('chats', libraryRange(libraryId));
  for (const chat of chats) {
    for (let page = 0; page < chat.pageCount; page++) {
      throwIfAborted(signal);
      const record = await db.get('pages', [libraryId, chat.id, page]);
      for (const m of record?.messages ?? []) {
        const md = m.media;
        if (!md || m.kind === 'view-once' || m.kind === 'deleted' || m.deleted) continue;
        if (!md.filePath && !md.size && !md.fileHash) continue;
        refs.push({ id: refs.length, kind: m.kind, filePath: md.filePath, size: md.size, fileHash: md.fileHash });
        info.push({ chatId: chat.id, pos: m.pos, mime: md.mime });
      }
    }
  }

  // 2. Match; hash only the files the matcher names.
  const index = buildMediaIndex(paths.map((path, i) => ({ path, size: files[i]!.size })));
  let result = matchMedia(index, refs);
  if (result.needsHash.length > 0) {
    const hashes = new Map<number, string>();
    for (const f of result.needsHash) {
      throwIfAborted(signal);
      hashes.set(f, await sha256Base64(files[f]!));
    }
    result = matchByHash(result, hashes);
  }
  const report = mediaReport(index, refs, result);

  // 3. Copy each used file once.
  const used = [...new Set([...result.links.values()].map((l) => l.file))].sort((a, b) => a - b);
  const bytes = used.reduce((n, f) => n + files[f]!.size, 0);
  await checkMediaSpace(bytes);
  const stored = new Map<number, string>();
  let done = 0;
  onProgress({ phase: 'linking-media', done, total: bytes });
  let copies: MediaCopyRun | undefined;
  try {
    copies = await MediaCopyRun.create(libraryId, 'link');
    for (const f of used) {
      throwIfAborted(signal);
      const { opfsPath, writable } = await copies.add(paths[f]!);
      await files[f]!.stream().pipeTo(writable, { signal });
      stored.set(f, opfsPath);
      done += files[f]!.size;
      onProgress({ phase: 'linking-media', done, total: bytes });
    }
    throwIfAborted(signal);
    const records: MediaRecord[] = [];
    for (const [id, link] of result.links) {
      const r = info[id]!;
      const file = files[link.file]!;
      records.push({
        libraryId,
        chatId: r.chatId,
        pos: r.pos,
        opfsPath: stored.get(link.file)!,
        mime: r.mime?.split(';')[0]?.trim() || file.type || mimeFromPath(paths[link.file]!),
        size: file.size,
      });
    }
    const full: MediaLinkReport = { ...report, linkedAt: Date.now(), copiedFiles: used.length, copiedBytes: bytes };
    await replaceMediaLinks(db, libraryId, records, full);
    // The previous runs' copies are no longer referenced.
    const parent = await dirAt([MEDIA_DIR, libraryId], false);
    const old: string[] = [];
    for await (const name of parent.keys()) if (name !== copies.run) old.push(name);
    for (const name of old) await parent.removeEntry(name, { recursive: true });
    return full;
  } catch (e) {
    await copies?.discard().catch(() => undefined);
    throw asQuotaError(e, bytes);
  }
}

/** The OPFS copy of one message's file, typed with its mime type; undefined when not linked. */
export async function mediaFile(db: UnsealDb, libraryId: string, chatId: number, pos: number): Promise<File | undefined> {
  const link = await getMediaLink(db, libraryId, chatId, pos);
  if (!link) return undefined;
  const parts = link.opfsPath.split('/');
  const name = parts.pop()!;
  try {
    const file = await (await dirAt(parts, false)).getFileHandle(name).then((h) => h.getFile());
    return new File([file], name.replace(/^\d+-/, ''), { type: link.mime ?? '' });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotFoundError') return undefined;
    throw e;
  }
}

/**
 * The positions of a chat's messages that have a linked file, with the linked size, oldest
 * first (keys only from the `media` store; the files themselves come from `mediaFile`).
 */
export async function linkedPositions(db: UnsealDb, libraryId: string, chatId: number): Promise<{ pos: number; size: number }[]> {
  const records = await db.getAll('media', IDBKeyRange.bound([libraryId, chatId], [libraryId, chatId, []]));
  return records.map((r) => ({ pos: r.pos, size: r.size }));
}
