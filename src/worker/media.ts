/**
 * Linking a picked WhatsApp folder to a stored library (ui-contract: `WhatsApp folder`).
 *
 * 1. `matchFolder`: every media message of the library (read from its stored pages) becomes a
 *    `MediaRef`; the folder's files become `FolderFile`s (path, size). A directory handle
 *    (`showDirectoryPicker`) is walked here, keeping only paths and sizes; picked files
 *    (`<input webkitdirectory>`, a drop) come with `webkitRelativePath`. core/media/paths.ts
 *    matches them by path, name and size; the few files it names (`needsHash`) are hashed with
 *    WebCrypto SHA-256 and matched by `file_hash`. The match waits here (one per library) for the
 *    choice, so the page can state what copying would take before anything is written.
 * 2. `linkMatched`, mode `folder` (only for a handle): the links are the files' paths relative to
 *    the folder, and the handle is kept in IndexedDB (`mediaFolders`) to read them again later;
 *    the browser may ask for permission again after a reload (`folderAccess`).
 *    Mode `copy`: each matched file is copied once into OPFS under `media/<libraryId>/<run>/`
 *    (`MediaCopyRun`, which restoring an encrypted copy with media uses too; streamed; a file used by several messages is copied once), so the library keeps its media
 *    after the folder is gone. The space needed is checked against the browser's estimate first
 *    (`quota`).
 * 3. The links (`[libraryId, chatId, pos]` → folder path or OPFS path, mime, size) replace the
 *    library's previous ones in one IndexedDB transaction, with the report and the handle (or its
 *    absence); the previous copies are then removed. Linking again therefore replaces the earlier
 *    link. A failure or cancel removes this run's copies and leaves the previous link as it was.
 *
 * `mediaFile` is the one way to read a message's file, whichever way it was linked.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { buildMediaIndex, matchByHash, matchMedia, mediaReport, type MatchResult, type MediaLink, type MediaRef } from '../core/media/paths';
import { copyPlan, folderPathSegments } from '../core/media/folder';
import { getMediaFolder, getMediaLink, libraryRange, replaceMediaLinks, type MediaRecord, type UnsealDb } from '../store/db';
import type { MediaFolderAccess, MediaLinkMode, MediaLinkReport, MediaMatch, PickedFolder, Progress } from './protocol';

const MEDIA_DIR = 'media';

/** Where a message's file came from: its chat, position and mime type. */
interface RefInfo {
  chatId: number;
  pos: number;
  mime?: string;
}

/** A matched folder waiting for the choice: file references or a handle, never file contents. */
interface PendingMatch {
  match: MediaMatch;
  source: { kind: 'files'; files: File[] } | { kind: 'handle'; handle: FileSystemDirectoryHandle };
  /** Each file's path: below the handle (`a/b.jpg`), or `webkitRelativePath` for picked files. */
  paths: string[];
  sizes: number[];
  result: MatchResult;
  info: RefInfo[];
}

/** The latest match per library, until it is linked or the library is deleted. */
const pending = new Map<string, PendingMatch>();
let nextToken = 1;

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

/** Errors that mean "this file cannot be read now" (gone, moved, no permission), not a fault. */
function isUnreadable(e: unknown): boolean {
  return (
    e instanceof DOMException &&
    ['NotFoundError', 'NotAllowedError', 'TypeMismatchError', 'NotReadableError', 'SecurityError', 'InvalidStateError'].includes(e.name)
  );
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

/** Drops a library's waiting match (the library is being deleted). */
export function forgetMediaMatch(libraryId: string): void {
  pending.delete(libraryId);
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

/** A file's bytes as the browser reads them, chunk by chunk (never the whole file); `signal` stops it. */
export async function* fileChunks(file: Blob, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      if (signal) throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Files copied into OPFS at the same time. */
const COPY_CONCURRENCY = 8;

/**
 * Writes one OPFS file through a sync access handle. A worker-only API, and far cheaper per file
 * than `createWritable` (which writes a swap file and moves it on close): copying 20,000 small
 * media files took ~5.7 ms a file with `createWritable`.
 */
export class StoredFileWriter {
  private at = 0;
  private closed = false;

  constructor(private readonly access: FileSystemSyncAccessHandle) {}

  write(bytes: Uint8Array): void {
    this.at += this.access.write(bytes, { at: this.at });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.access.flush();
    this.access.close();
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

  /** A new empty file named after `path` (a folder path or a file name): its stored path and a writer to fill it. */
  async add(path: string): Promise<{ opfsPath: string; writer: StoredFileWriter }> {
    const name = storedName(this.count++, path);
    const handle = await this.dir.getFileHandle(name, { create: true });
    return { opfsPath: `${MEDIA_DIR}/${this.libraryId}/${this.run}/${name}`, writer: new StoredFileWriter(await handle.createSyncAccessHandle()) };
  }

  /** Stores `file` as a new copy named after `path`, streamed; returns its stored path. */
  async copy(path: string, file: Blob, signal: AbortSignal): Promise<string> {
    const { opfsPath, writer } = await this.add(path);
    try {
      for await (const chunk of fileChunks(file, signal)) writer.write(chunk);
    } finally {
      writer.close();
    }
    return opfsPath;
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

/** The read permission of a kept handle; browsers without permissions on handles grant it. */
async function readPermission(handle: FileSystemHandle): Promise<PermissionState> {
  return handle.queryPermission ? handle.queryPermission({ mode: 'read' }) : 'granted';
}

/** The file at a folder-relative path below `root`. */
async function fileAt(root: FileSystemDirectoryHandle, path: string): Promise<File> {
  const parts = folderPathSegments(path);
  if (!parts) throw new DOMException(`Not a folder path: ${path}`, 'NotFoundError');
  let dir = root;
  for (const name of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(name);
  return (await dir.getFileHandle(parts[parts.length - 1]!)).getFile();
}

/**
 * Every file below `root` as a path and a size (files are opened only for their size, one at a
 * time, so memory holds the paths and sizes alone).
 */
async function walkFolder(
  root: FileSystemDirectoryHandle,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<{ paths: string[]; sizes: number[] }> {
  const paths: string[] = [];
  const sizes: number[] = [];
  const stack: [FileSystemDirectoryHandle, string][] = [[root, '']];
  while (stack.length > 0) {
    const [dir, prefix] = stack.pop()!;
    for await (const entry of dir.values()) {
      throwIfAborted(signal);
      const path = prefix + entry.name;
      if (entry.kind === 'directory') {
        stack.push([entry as FileSystemDirectoryHandle, `${path}/`]);
        continue;
      }
      paths.push(path);
      sizes.push((await (entry as FileSystemFileHandle).getFile()).size);
      if (paths.length % 500 === 0) onProgress({ phase: 'linking-media', done: 0, total: 0 });
    }
  }
  return { paths, sizes };
}

/** The library's media messages (from its stored pages) as the matcher's refs. */
async function mediaRefs(db: UnsealDb, libraryId: string, signal: AbortSignal): Promise<{ refs: MediaRef[]; info: RefInfo[] }> {
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
  return { refs, info };
}

/** File `f` of a picked folder (a handle's is opened by its path now). */
function fileOf({ source, paths }: Pick<PendingMatch, 'source' | 'paths'>, f: number): Promise<File> {
  return source.kind === 'files' ? Promise.resolve(source.files[f]!) : fileAt(source.handle, paths[f]!);
}

/** Matches a picked folder to the library's media messages and keeps the match for `linkMatched`. */
export async function matchFolder(
  db: UnsealDb,
  libraryId: string,
  folder: PickedFolder,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<MediaMatch> {
  onProgress({ phase: 'linking-media', done: 0, total: 0 });
  let p: Pick<PendingMatch, 'source' | 'paths' | 'sizes'>;
  let folderName: string;
  /** The paths the matcher sees: for a handle, below its name, the way `webkitRelativePath` gives them. */
  let matchPaths: string[];
  if ('handle' in folder) {
    const { paths, sizes } = await walkFolder(folder.handle, signal, onProgress);
    folderName = folder.handle.name;
    p = { source: { kind: 'handle', handle: folder.handle }, paths, sizes };
    matchPaths = paths.map((path) => `${folderName}/${path}`);
  } else {
    if (folder.files.length !== folder.paths.length) throw new UnsealError('internal', 'matchFolder: files and paths differ in length.');
    folderName = folder.paths[0]?.split('/')[0] ?? '';
    p = { source: { kind: 'files', files: folder.files }, paths: folder.paths, sizes: folder.files.map((f) => f.size) };
    matchPaths = folder.paths;
  }

  const { refs, info } = await mediaRefs(db, libraryId, signal);
  const index = buildMediaIndex(matchPaths.map((path, i) => ({ path, size: p.sizes[i]! })));
  let result = matchMedia(index, refs);
  if (result.needsHash.length > 0) {
    const hashes = new Map<number, string>();
    for (const f of result.needsHash) {
      throwIfAborted(signal);
      try {
        hashes.set(f, await sha256Base64(await fileOf(p, f)));
      } catch (e) {
        if (!isUnreadable(e)) throw e; // a file that vanished since the walk matches nothing
      }
    }
    result = matchByHash(result, hashes);
  }
  const plan = copyPlan(result.links, p.sizes);
  const match: MediaMatch = {
    token: nextToken++,
    report: mediaReport(index, refs, result),
    linkable: p.source.kind === 'handle',
    folderName,
    copyFiles: plan.files.length,
    copyBytes: plan.bytes,
  };
  pending.set(libraryId, { ...p, match, result, info });
  return match;
}

function recordBase(p: PendingMatch, libraryId: string, id: number, link: MediaLink) {
  const r = p.info[id]!;
  const picked = p.source.kind === 'files' ? p.source.files[link.file]!.type : '';
  return {
    libraryId,
    chatId: r.chatId,
    pos: r.pos,
    mime: r.mime?.split(';')[0]?.trim() || picked || mimeFromPath(p.paths[link.file]!),
    size: p.sizes[link.file]!,
  };
}

/** Stores the waiting match `token` as the library's media, linked (`folder`) or copied (`copy`). */
export async function linkMatched(
  db: UnsealDb,
  libraryId: string,
  token: number,
  mode: MediaLinkMode,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<MediaLinkReport> {
  const p = pending.get(libraryId);
  if (!p || p.match.token !== token) throw new UnsealError('internal', 'This folder match is no longer current: choose the folder again.');
  let report: MediaLinkReport;
  if (mode === 'folder') {
    if (p.source.kind !== 'handle') throw new UnsealError('internal', 'Only a folder chosen with the folder picker can stay linked.');
    const records: MediaRecord[] = [...p.result.links].map(([id, link]) => ({ ...recordBase(p, libraryId, id, link), folderPath: p.paths[link.file]! }));
    report = { ...p.match.report, linkedAt: Date.now(), mode: 'folder', folderName: p.match.folderName, copiedFiles: 0, copiedBytes: 0 };
    const folder = { libraryId, handle: p.source.handle, name: p.match.folderName, linkedAt: report.linkedAt };
    await replaceMediaLinks(db, libraryId, records, report, folder);
    // Earlier copies are no longer referenced.
    await removeMediaDir(libraryId);
  } else {
    report = await copyIntoOpfs(db, libraryId, p, signal, onProgress);
  }
  pending.delete(libraryId);
  return report;
}

async function copyIntoOpfs(
  db: UnsealDb,
  libraryId: string,
  p: PendingMatch,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<MediaLinkReport> {
  const { files: used, bytes } = copyPlan(p.result.links, p.sizes);
  await checkMediaSpace(bytes);
  const stored = new Map<number, string>();
  let done = 0;
  onProgress({ phase: 'linking-media', done, total: bytes });
  let copies: MediaCopyRun | undefined;
  try {
    const run = (copies = await MediaCopyRun.create(libraryId, 'link'));
    // Several files at a time: each copy mostly waits on the browser (opening the picked file,
    // creating the OPFS file), not on this thread. Progress at most every 100 ms.
    let next = 0;
    let reported = 0;
    const copyNext = async (): Promise<void> => {
      while (next < used.length) {
        throwIfAborted(signal);
        const f = used[next++]!;
        const file = await fileOf(p, f);
        stored.set(f, await run.copy(p.paths[f]!, file, signal));
        done += p.sizes[f]!;
        if (Date.now() - reported >= 100) {
          reported = Date.now();
          onProgress({ phase: 'linking-media', done, total: bytes });
        }
      }
    };
    await Promise.all(Array.from({ length: COPY_CONCURRENCY }, copyNext));
    throwIfAborted(signal);
    const records: MediaRecord[] = [...p.result.links].map(([id, link]) => ({ ...recordBase(p, libraryId, id, link), opfsPath: stored.get(link.file)! }));
    const report: MediaLinkReport = { ...p.match.report, linkedAt: Date.now(), mode: 'copy', copiedFiles: used.length, copiedBytes: bytes };
    await replaceMediaLinks(db, libraryId, records, report);
    // The previous runs' copies are no longer referenced.
    const parent = await dirAt([MEDIA_DIR, libraryId], false);
    const old: string[] = [];
    for await (const name of parent.keys()) if (name !== copies.run) old.push(name);
    for (const name of old) await parent.removeEntry(name, { recursive: true });
    return report;
  } catch (e) {
    await copies?.discard().catch(() => undefined);
    throw asQuotaError(e, bytes);
  }
}

/**
 * Matches and stores in one go, as opening a backup with a folder does: a handle is linked,
 * picked files are copied (they cannot be read again after a reload).
 */
export async function linkMedia(
  db: UnsealDb,
  libraryId: string,
  folder: PickedFolder,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<MediaLinkReport> {
  const match = await matchFolder(db, libraryId, folder, signal, onProgress);
  return linkMatched(db, libraryId, match.token, match.linkable ? 'folder' : 'copy', signal, onProgress);
}

/** Whether the library's linked folder can be read now: permission, and whether it is still there. */
export async function folderAccess(db: UnsealDb, libraryId: string): Promise<MediaFolderAccess> {
  const folder = await getMediaFolder(db, libraryId);
  if (!folder) return { state: 'none' };
  const known = { name: folder.name, handle: folder.handle };
  const state = await readPermission(folder.handle);
  if (state !== 'granted') return { state, ...known };
  try {
    await folder.handle.values().next();
    return { state: 'granted', ...known };
  } catch (e) {
    if (isUnreadable(e)) return { state: 'gone', ...known };
    throw e;
  }
}

/**
 * The one way to get a message's file: from the linked folder (through the kept handle) or from
 * its OPFS copy, typed with its mime type. Undefined when none was linked, and when the file
 * cannot be read now (folder gone or moved, permission not granted): the page shows "not in the
 * folder" for it.
 */
export async function mediaFile(db: UnsealDb, libraryId: string, chatId: number, pos: number): Promise<File | undefined> {
  const link = await getMediaLink(db, libraryId, chatId, pos);
  if (!link) return undefined;
  try {
    if (link.folderPath !== undefined) {
      const folder = await getMediaFolder(db, libraryId);
      if (!folder || (await readPermission(folder.handle)) !== 'granted') return undefined;
      const file = await fileAt(folder.handle, link.folderPath);
      return new File([file], file.name, { type: link.mime ?? file.type });
    }
    const parts = link.opfsPath.split('/');
    const name = parts.pop()!;
    const file = await (await dirAt(parts, false)).getFileHandle(name).then((h) => h.getFile());
    return new File([file], name.replace(/^\d+-/, ''), { type: link.mime ?? '' });
  } catch (e) {
    if (isUnreadable(e)) return undefined;
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
