/**
 * Unseal's encrypted copy of a library (.unseal; docs/FORMATS.md): saving streams the stored
 * records through the core archive writer into an output file; opening restores them into a new
 * staged library, committed only after the last chunk verified and the record order checked.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { decodeRecords, encodeRecord, RecordChecker } from '../core/archive/records';
import { openArchive, sealArchive } from '../core/archive/stream';
import type { BucketRecord, IndexMeta } from '../core/search/index';
import { safeFileName } from '../core/export/bundle';
import { LibraryWriter, type ChatRecord, type PageRecord, type UnsealDb } from '../store/db';
import { writeBuckets, writeMeta } from '../store/search';
import { fileSource } from './import';
import { writeOutputFile } from './output-file';
import type { LibrarySummary, Progress } from './protocol';

/** Pages read per IndexedDB request while saving. */
const PAGES_PER_READ = 20;
/** Messages per IndexedDB transaction while restoring. */
const BATCH_MESSAGES = 20_000;
const BUCKETS_PER_WRITE = 256;

function libraryRange(libraryId: string): IDBKeyRange {
  return IDBKeyRange.bound([libraryId], [libraryId, []]);
}

/** A ready library's records, encoded in archive order (docs/FORMATS.md); `onPage` after each page. */
export async function* libraryRecords(db: UnsealDb, libraryId: string, onPage: () => void): AsyncGenerator<Uint8Array> {
  const stored = await db.get('libraries', libraryId);
  if (!stored || stored.state !== 'ready') throw new UnsealError('internal', 'This library is not in this browser any more.');
  const { state: _state, ...library } = stored;
  yield encodeRecord({ type: 'library', library });
  // Key order: [libraryId, chatId] ascending, which is the order pages must follow.
  const chats = await db.getAll('chats', libraryRange(libraryId));
  for (const { libraryId: _l, ...chat } of chats) yield encodeRecord({ type: 'chat', chat });
  let pages = 0;
  for (const chat of chats) {
    for (let first = 0; first < chat.pageCount; first += PAGES_PER_READ) {
      const last = Math.min(chat.pageCount, first + PAGES_PER_READ) - 1;
      const batch = await db.getAll('pages', IDBKeyRange.bound([libraryId, chat.id, first], [libraryId, chat.id, last]));
      for (const p of batch) {
        yield encodeRecord({ type: 'page', chatId: p.chatId, page: p.page, messages: p.messages });
        pages++;
        onPage();
      }
    }
  }
  let buckets = 0;
  const meta = await db.get('searchMeta', libraryId);
  if (meta) {
    const { libraryId: _l, ...index } = meta;
    yield encodeRecord({ type: 'searchMeta', meta: index });
    const keys = await db.getAllKeys('searchBuckets', libraryRange(libraryId));
    for (let i = 0; i < keys.length; i += BUCKETS_PER_WRITE) {
      const range = IDBKeyRange.bound(keys[i], keys[Math.min(keys.length, i + BUCKETS_PER_WRITE) - 1]);
      for (const { libraryId: _b, ...bucket } of await db.getAll('searchBuckets', range)) {
        yield encodeRecord({ type: 'searchBucket', bucket });
        buckets++;
      }
    }
  }
  yield encodeRecord({ type: 'end', chats: chats.length, pages, searchBuckets: buckets });
}

export async function saveArchive(
  db: UnsealDb,
  args: { libraryId: string; passphrase: string },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<File> {
  const library = await db.get('libraries', args.libraryId);
  if (!library) throw new UnsealError('internal', 'This library is not in this browser any more.');
  const chats = await db.getAll('chats', libraryRange(args.libraryId));
  const total = chats.reduce((n, c) => n + c.pageCount, 0);
  let done = 0;
  // Deriving the key (Argon2id) comes first and shows as indeterminate progress.
  onProgress({ phase: 'sealing', done: 0, total: 0 });
  const records = libraryRecords(db, args.libraryId, () => onProgress({ phase: 'sealing', done: ++done, total }));
  const parts = sealArchive(records, args.passphrase, { signal });
  const name = `${safeFileName(library.fileName.replace(/\.crypt1[245]$|\.db$/i, ''))} ${new Date().toISOString().slice(0, 10)}.unseal`;
  return writeOutputFile(name, parts, signal);
}

/** Restores an .unseal file into a new library, all or nothing. */
export async function restoreArchive(
  db: UnsealDb,
  file: File,
  passphrase: string,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<LibrarySummary> {
  const checker = new RecordChecker();
  const libraryId = crypto.randomUUID();
  let writer: LibraryWriter | undefined;
  let pages: PageRecord[] = [];
  let chats: ChatRecord[] = [];
  let buckets: BucketRecord[] = [];
  let meta: IndexMeta | undefined;
  let batched = 0;
  let messageCount = 0;
  let chatCount = 0;
  const flushPages = async () => {
    throwIfAborted(signal);
    await writer!.writeBatch(pages, chats);
    pages = [];
    chats = [];
    batched = 0;
  };
  const flushBuckets = async () => {
    if (buckets.length > 0) await writeBuckets(db, libraryId, buckets);
    buckets = [];
  };
  onProgress({ phase: 'reading-key', done: 0, total: 0 });
  try {
    const payload = openArchive(fileSource(file), passphrase, {
      signal,
      onProgress: (done, total) => onProgress({ phase: 'decrypting', done, total }),
    });
    for await (const record of decodeRecords(payload)) {
      checker.accept(record);
      switch (record.type) {
        case 'library': {
          // Linked media files are not in the copy (only IndexedDB records are), so neither is their report.
          const { media: _media, ...archived } = record.library as unknown as LibrarySummary;
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
          if (buckets.length >= BUCKETS_PER_WRITE) await flushBuckets();
          break;
        case 'end':
          break;
      }
    }
    checker.finish();
    await flushPages();
    await flushBuckets();
    // The index's meta record goes last: a library has a usable index exactly when it exists.
    if (meta) await writeMeta(db, libraryId, meta);
    return await writer!.commit({ chatCount, messageCount });
  } catch (e) {
    onProgress({ phase: 'cleaning-up', done: 0, total: 0 });
    await writer?.abort();
    throw e;
  }
}
