/**
 * Unseal's encrypted copy of a library (.unseal; docs/FORMATS.md): saving streams the stored
 * records (and, on request, the linked media files, read through `mediaFile`) through the core
 * archive writer into an output file; opening restores them into a new staged library (media as
 * OPFS copies), committed only after the last chunk verified and the record order checked.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { encodeRecordParts, mediaFileRecords } from '../core/archive/records';
import { readArchive } from '../core/archive/read';
import { kdfInWorker } from './kdf-remote';
import { sealArchive } from '../core/archive/stream';
import { FORMAT_VERSION_MEDIA, FORMAT_VERSION_NO_MEDIA, type FormatVersion } from '../core/archive/format';
import type { BucketRecord, IndexMeta } from '../core/search/index';
import { safeFileName } from '../core/export/bundle';
import { LibraryWriter, libraryRange, readPagesAhead, type ChatRecord, type MediaRecord, type PageRecord, type UnsealDb } from '../store/db';
import { writeBuckets, writeMeta, writeTexts } from '../store/search';
import { WritesInFlight } from '../store/in-flight';
import { fileSource } from './file-source';
import { asQuotaError, checkMediaSpace, fileChunks, mediaFile, MediaCopyRun, removeMediaDir, type StoredFileWriter } from './media';
import { writeOutputFile } from './output-file';
import type { LibrarySummary, MediaLinkReport, Progress } from './protocol';

/** Pages read per IndexedDB request while saving (the next request in flight: readPagesAhead). */
const PAGES_PER_READ = 8;
/** Messages per IndexedDB transaction while restoring. */
const BATCH_MESSAGES = 20_000;
/** Search buckets per IndexedDB request, reading (saving) and writing (restoring). */
const BUCKETS_PER_REQUEST = 64;

/** Media bytes that count as much as one page of messages in the save progress (a page encodes to roughly this). */
const MEDIA_BYTES_PER_PAGE_STEP = 256 * 1024;

/** A linked file to put in the copy: the message it belongs to and the file (a handle, not its bytes). */
interface MediaEntry {
  chatId: number;
  pos: number;
  file: File;
}

/** The library's linked files, in (chatId, pos) order, each read through `mediaFile`; a link whose file is gone is left out. */
async function linkedMedia(db: UnsealDb, libraryId: string, signal: AbortSignal): Promise<MediaEntry[]> {
  const keys = await db.getAllKeys('media', libraryRange(libraryId));
  const entries: MediaEntry[] = [];
  for (const [, chatId, pos] of keys) {
    throwIfAborted(signal);
    const file = await mediaFile(db, libraryId, chatId, pos);
    if (file) entries.push({ chatId, pos, file });
  }
  return entries;
}

/** A file's bytes as they are read, counted. */
async function* countedBytes(file: File, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of fileChunks(file)) {
    onBytes(chunk.length);
    yield chunk;
  }
}

async function* mediaSection(media: MediaEntry[], onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  yield* encodeRecordParts({ type: 'media', files: media.length, bytes: media.reduce((n, m) => n + m.file.size, 0) });
  for (const { chatId, pos, file } of media) {
    yield* mediaFileRecords({ chatId, pos, name: file.name, mime: file.type || undefined, size: file.size }, countedBytes(file, onBytes));
  }
}

async function* libraryRecords(
  db: UnsealDb,
  libraryId: string,
  media: MediaEntry[] | undefined,
  onPage: () => void,
  onMediaBytes: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  const stored = await db.get('libraries', libraryId);
  if (!stored || stored.state !== 'ready') throw new UnsealError('internal', 'This library is not in this browser any more.');
  const { state: _state, ...library } = stored;
  yield* encodeRecordParts({ type: 'library', library });
  // Key order: [libraryId, chatId] ascending, which is the order pages must follow.
  const chats = await db.getAll('chats', libraryRange(libraryId));
  for (const { libraryId: _l, ...chat } of chats) yield* encodeRecordParts({ type: 'chat', chat });
  let pages = 0;
  // Key order: the next batch is read while this one is encoded and sealed.
  for await (const batch of readPagesAhead(db, libraryId, chats, PAGES_PER_READ)) {
    for (const p of batch) {
      yield* encodeRecordParts({ type: 'page', chatId: p.chatId, page: p.page, messages: p.messages });
      pages++;
      onPage();
    }
  }
  let buckets = 0;
  const meta = await db.get('searchMeta', libraryId);
  if (meta) {
    const { libraryId: _l, ...index } = meta;
    yield* encodeRecordParts({ type: 'searchMeta', meta: index });
    const keys = await db.getAllKeys('searchBuckets', libraryRange(libraryId));
    for (let i = 0; i < keys.length; i += BUCKETS_PER_REQUEST) {
      const range = IDBKeyRange.bound(keys[i], keys[Math.min(keys.length, i + BUCKETS_PER_REQUEST) - 1]);
      for (const { libraryId: _b, ...bucket } of await db.getAll('searchBuckets', range)) {
        yield* encodeRecordParts({ type: 'searchBucket', bucket });
        buckets++;
      }
    }
  }
  if (media) yield* mediaSection(media, onMediaBytes);
  yield* encodeRecordParts({ type: 'end', chats: chats.length, pages, searchBuckets: buckets, ...(media && { mediaFiles: media.length }) });
}

/** A library sealed as the bytes of an .unseal file (with its linked media when asked), as they are made. */
export async function sealLibrary(
  db: UnsealDb,
  args: { libraryId: string; passphrase: string; includeMedia?: boolean },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<AsyncIterable<Uint8Array>> {
  // Deriving the key (Argon2id) comes first and shows as indeterminate progress.
  onProgress({ phase: 'sealing', done: 0, total: 0 });
  const chats = await db.getAll('chats', libraryRange(args.libraryId));
  // With media the copy is v2; without (not asked for, or none linked) it stays v1, which older
  // readers open (docs/FORMATS.md, "Versions").
  const linked = args.includeMedia ? await linkedMedia(db, args.libraryId, signal) : [];
  const media = linked.length > 0 ? linked : undefined;
  const version: FormatVersion = media ? FORMAT_VERSION_MEDIA : FORMAT_VERSION_NO_MEDIA;
  // Progress counts pages, and media bytes in page-sized steps.
  const pageTotal = chats.reduce((n, c) => n + c.pageCount, 0);
  const mediaBytes = (media ?? []).reduce((n, m) => n + m.file.size, 0);
  const total = pageTotal + Math.ceil(mediaBytes / MEDIA_BYTES_PER_PAGE_STEP);
  let pagesDone = 0;
  let bytesDone = 0;
  let reported = -1;
  const report = () => {
    const done = pagesDone + Math.floor(bytesDone / MEDIA_BYTES_PER_PAGE_STEP);
    if (done !== reported) onProgress({ phase: 'sealing', done, total });
    reported = done;
  };
  const records = libraryRecords(
    db,
    args.libraryId,
    media,
    () => {
      pagesDone++;
      report();
    },
    (n) => {
      bytesDone += n;
      report();
    },
  );
  return sealArchive(records, args.passphrase, { signal, version, deriveKey: kdfInWorker(signal) });
}

export async function saveArchive(
  db: UnsealDb,
  args: { libraryId: string; passphrase: string; includeMedia?: boolean },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<File> {
  const library = await db.get('libraries', args.libraryId);
  if (!library) throw new UnsealError('internal', 'This library is not in this browser any more.');
  const parts = await sealLibrary(db, args, signal, onProgress);
  const name = `${safeFileName(library.fileName.replace(/\.crypt1[245]$|\.db$/i, ''))} ${new Date().toISOString().slice(0, 10)}.unseal`;
  return writeOutputFile(name, parts, signal);
}

/**
 * Restores an .unseal file into a new library, all or nothing. Media files (v2) are written as
 * OPFS copies under `media/<new libraryId>/restore-…/` as they arrive; their links and report are
 * committed with the library. A failure or cancel removes the staged records and the copies.
 */
export async function restoreArchive(
  db: UnsealDb,
  file: File,
  passphrase: string,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<LibrarySummary> {
  let version = FORMAT_VERSION_NO_MEDIA as FormatVersion;
  const libraryId = crypto.randomUUID();
  let writer: LibraryWriter | undefined;
  let pages: PageRecord[] = [];
  let chats: ChatRecord[] = [];
  let buckets: BucketRecord[] = [];
  let meta: IndexMeta | undefined;
  let batched = 0;
  let messageCount = 0;
  let chatCount = 0;
  // Media (v2): the report the copy carries, the copies written, the file being written.
  let archivedReport: MediaLinkReport | undefined;
  let copies: MediaCopyRun | undefined;
  let mediaBytes = 0;
  const mediaRecords: MediaRecord[] = [];
  let current: { record: MediaRecord; writer: StoredFileWriter; owed: number } | undefined;
  // What phrase search verifies against (src/store/search.ts), kept with the index, not in the
  // copy: each batch's texts commit while the next batch is decoded.
  const texts = new WritesInFlight(1);
  const flushPages = async () => {
    throwIfAborted(signal);
    await writer!.writeBatch(pages, chats);
    if (pages.length > 0) await texts.add(writeTexts(db, libraryId, pages));
    pages = [];
    chats = [];
    batched = 0;
  };
  const flushBuckets = async () => {
    if (buckets.length > 0) await writeBuckets(db, libraryId, buckets);
    buckets = [];
  };
  const closeFile = async () => {
    current!.writer.close();
    mediaRecords.push(current!.record);
    current = undefined;
  };
  onProgress({ phase: 'reading-key', done: 0, total: 0 });
  try {
    const records = readArchive(fileSource(file), passphrase, {
      signal,
      deriveKey: kdfInWorker(signal),
      // The version is authenticated (the header MAC covers the magic line): a v2 copy cannot pass as v1.
      onHeader: (header) => (version = header.version),
      onProgress: (done, total) => onProgress({ phase: 'decrypting', done, total }),
    });
    for await (const record of records) {
      switch (record.type) {
        case 'library': {
          // The media report comes back only with the files themselves (v2); a v1 copy has none.
          const { media, ...archived } = record.library as unknown as LibrarySummary;
          if (version === FORMAT_VERSION_MEDIA) archivedReport = media;
          writer = await LibraryWriter.begin(db, { ...archived, id: libraryId, openedAt: Date.now(), chatCount: 0, messageCount: 0 });
          break;
        }
        case 'chat':
          chats.push({ ...(record.chat as ChatRecord), libraryId });
          chatCount++;
          break;
        case 'page':
          pages.push({ libraryId, chatId: record.chatId, page: record.page, messages: record.messages });
          batched += record.messages.length;
          messageCount += record.messages.length;
          if (batched >= BATCH_MESSAGES) await flushPages();
          break;
        case 'searchMeta':
          meta = record.meta;
          break;
        case 'searchBucket':
          buckets.push(record.bucket);
          if (buckets.length >= BUCKETS_PER_REQUEST) await flushBuckets();
          break;
        case 'media':
          // Before the first file: is there room for all of them?
          mediaBytes = record.bytes;
          await checkMediaSpace(mediaBytes);
          copies = await MediaCopyRun.create(libraryId, 'restore');
          break;
        case 'mediaFile': {
          throwIfAborted(signal);
          const { opfsPath, writer: fileWriter } = await copies!.add(record.name);
          const mime = record.mime?.split(';')[0]?.trim() || undefined;
          current = { record: { libraryId, chatId: record.chatId, pos: record.pos, opfsPath, mime, size: record.size }, writer: fileWriter, owed: record.size };
          if (record.size === 0) await closeFile();
          break;
        }
        case 'mediaData':
          current!.writer.write(record.bytes);
          current!.owed -= record.bytes.length;
          if (current!.owed === 0) await closeFile();
          break;
        case 'end':
          break;
      }
    }
    await flushPages();
    await texts.done();
    await flushBuckets();
    // The index's meta record goes last: a library has a usable index exactly when it exists.
    if (meta) await writeMeta(db, libraryId, meta);
    const media =
      version === FORMAT_VERSION_MEDIA
        ? {
            records: mediaRecords,
            report: archivedReport && { ...archivedReport, copiedFiles: mediaRecords.length, copiedBytes: mediaBytes },
          }
        : undefined;
    return await writer!.commit({ chatCount, messageCount }, media);
  } catch (e) {
    onProgress({ phase: 'cleaning-up', done: 0, total: 0 });
    try {
      current?.writer.close();
    } catch {
      // Its file goes with the library's media folder below.
    }
    await texts.settled(); // before the library's records are removed
    await writer?.abort();
    // The library is new: its whole media folder goes (missing is fine).
    await removeMediaDir(libraryId).catch(() => undefined);
    throw asQuotaError(e, mediaBytes);
  }
}
