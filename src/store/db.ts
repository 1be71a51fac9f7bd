/**
 * IndexedDB storage for restored libraries (through idb). Only the worker opens it.
 *
 * Layout (see docs/ARCHITECTURE.md): one `libraries` record per opened backup; one `chats`
 * record per chat; messages in `pages` of PAGE_SIZE, keyed [libraryId, chatId, page], because
 * IndexedDB costs per record, not per byte (shared/bench §5: pages of 500 move ~266k
 * messages/s, one record per message ~5k/s).
 *
 * An import is all or nothing: the library record is written first with `state: 'staging'`,
 * then chats and pages, and flipped to `ready` last. Anything still staging at start-up is the
 * remains of a crashed or interrupted import and is deleted.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatSummary, LibrarySummary, MessagePage } from '../worker/protocol';
import type { Message } from '../core/msgstore/model';
import type { BucketRecord, IndexMeta } from '../core/search/index';
import { WritesInFlight } from './in-flight';

export const DB_NAME = 'unseal';
export const DB_VERSION = 4;
export const PAGE_SIZE = 500;

/** `locked`: only the encrypted copy is kept (src/worker/lock.ts); no chats, pages or index. */
export interface LibraryRecord extends LibrarySummary {
  state: 'staging' | 'ready' | 'locked';
}

export interface ChatRecord extends ChatSummary {
  libraryId: string;
}

export interface PageRecord {
  libraryId: string;
  chatId: number;
  page: number;
  messages: Message[];
}

interface MediaRecordBase {
  libraryId: string;
  chatId: number;
  pos: number;
  mime?: string;
  size: number;
}

/** One message's media file copied into this browser (v2): OPFS path `media/<libraryId>/…`. */
export interface MediaCopyRecord extends MediaRecordBase {
  opfsPath: string;
  folderPath?: undefined;
}

/**
 * One message's media file in the library's linked WhatsApp folder (v3): `folderPath` is
 * `/`-separated and relative to the folder's root handle (`mediaFolders`).
 */
export interface MediaFolderLinkRecord extends MediaRecordBase {
  folderPath: string;
  opfsPath?: undefined;
}

/** One message's media file: a copy in OPFS or a path in the linked folder (`mediaFile` reads both). */
export type MediaRecord = MediaCopyRecord | MediaFolderLinkRecord;

/** A library's linked WhatsApp folder (v3): the picked directory's handle, kept to read it again. */
export interface MediaFolderRecord {
  libraryId: string;
  handle: FileSystemDirectoryHandle;
  /** The folder's name as picked, for the UI. */
  name: string;
  linkedAt: number;
}

export type SearchMetaRecord = IndexMeta & { libraryId: string };
/**
 * A page's searchable texts (v4), written by the indexing job: `texts[i]` is
 * `searchableText` of message `i` of that page. Quoted phrases are verified against these,
 * so a query reads a few strings per page instead of whole pages of messages.
 */
export interface SearchTextsRecord {
  libraryId: string;
  chatId: number;
  page: number;
  texts: string[];
  /**
   * `senders[i]`: who wrote message `i` as a search result names them ('You', the sender's
   * title, or '' for the chat's partner). Absent in records written before it was kept.
   */
  senders?: string[];
}
export type SearchBucketRecord = BucketRecord & { libraryId: string };

interface UnsealSchema extends DBSchema {
  libraries: { key: string; value: LibraryRecord };
  chats: { key: [string, number]; value: ChatRecord };
  pages: { key: [string, number, number]; value: PageRecord };
  /** The search index of a library (src/core/search): one meta record, bucketed postings. */
  searchMeta: { key: string; value: SearchMetaRecord };
  searchBuckets: { key: [string, number, number]; value: SearchBucketRecord };
  /** Linked media files (v2), keyed [libraryId, chatId, pos]. */
  media: { key: [string, number, number]; value: MediaRecord };
  /** The linked WhatsApp folder's handle (v3), keyed by libraryId; none when the media was copied. */
  mediaFolders: { key: string; value: MediaFolderRecord };
  /** Each page's searchable texts (v4), keyed [libraryId, chatId, page]; part of the search index. */
  searchTexts: { key: [string, number, number]; value: SearchTextsRecord };
}

const LIBRARY_STORES = ['libraries', 'chats', 'pages', 'searchMeta', 'searchBuckets', 'searchTexts', 'media', 'mediaFolders'] as const;

export type UnsealDb = IDBPDatabase<UnsealSchema>;

/**
 * Opens (and migrates) the database. `onBlocking` runs when another tab needs a newer version:
 * this connection is closed first, so that tab's upgrade is not held up; the caller must open
 * again for its next request.
 */
export function openStore(onBlocking?: () => void): Promise<UnsealDb> {
  const opening = openDB<UnsealSchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Each step migrates from the version before it; add `if (oldVersion < 5)` below.
      if (oldVersion < 1) {
        db.createObjectStore('libraries', { keyPath: 'id' });
        db.createObjectStore('chats', { keyPath: ['libraryId', 'id'] });
        db.createObjectStore('pages', { keyPath: ['libraryId', 'chatId', 'page'] });
        db.createObjectStore('searchMeta', { keyPath: 'libraryId' });
        db.createObjectStore('searchBuckets', { keyPath: ['libraryId', 'bucket', 'segment'] });
      }
      if (oldVersion < 2) {
        db.createObjectStore('media', { keyPath: ['libraryId', 'chatId', 'pos'] });
      }
      if (oldVersion < 3) {
        // v2's media records are all OPFS copies and stay valid as they are.
        db.createObjectStore('mediaFolders', { keyPath: 'libraryId' });
      }
      if (oldVersion < 4) {
        // Libraries indexed before have no texts: phrases are then verified against their pages.
        db.createObjectStore('searchTexts', { keyPath: ['libraryId', 'chatId', 'page'] });
      }
    },
    blocking() {
      void opening.then((db) => db.close());
      onBlocking?.();
    },
  });
  return opening;
}

/** Every key of a library in a store keyed by [libraryId, …]. */
export function libraryRange(libraryId: string): IDBKeyRange {
  return IDBKeyRange.bound([libraryId], [libraryId, []]);
}

export async function listLibraries(db: UnsealDb): Promise<LibrarySummary[]> {
  const all = await db.getAll('libraries');
  return all
    .filter((l) => l.state !== 'staging')
    .map(({ state: _state, ...summary }) => summary)
    .sort((a, b) => b.openedAt - a.openedAt);
}

/** Deletes a library and everything of it: chats, pages, its search index and media links (the OPFS copies are the caller's). */
export async function deleteLibrary(db: UnsealDb, libraryId: string): Promise<void> {
  const tx = db.transaction(LIBRARY_STORES, 'readwrite');
  await Promise.all([
    tx.objectStore('libraries').delete(libraryId),
    tx.objectStore('chats').delete(libraryRange(libraryId)),
    tx.objectStore('pages').delete(libraryRange(libraryId)),
    tx.objectStore('searchMeta').delete(libraryId),
    tx.objectStore('searchBuckets').delete(libraryRange(libraryId)),
    tx.objectStore('searchTexts').delete(libraryRange(libraryId)),
    tx.objectStore('media').delete(libraryRange(libraryId)),
    tx.objectStore('mediaFolders').delete(libraryId),
    tx.done,
  ]);
}

/**
 * Locks a library in one transaction: its chats, pages, search index, media links and linked
 * folder go, and its record stays with `state: 'locked'` and what the UI shows of it.
 */
export async function markLibraryLocked(db: UnsealDb, libraryId: string, locked: NonNullable<LibrarySummary['locked']>): Promise<LibrarySummary> {
  const tx = db.transaction(LIBRARY_STORES, 'readwrite');
  const libraries = tx.objectStore('libraries');
  const library = await libraries.get(libraryId);
  if (!library || library.state !== 'ready') {
    tx.abort();
    throw new Error(`markLibraryLocked: library ${libraryId} is not ready`);
  }
  const { media: _media, ...rest } = library;
  const record: LibraryRecord = { ...rest, state: 'locked', locked };
  void libraries.put(record);
  void tx.objectStore('chats').delete(libraryRange(libraryId));
  void tx.objectStore('pages').delete(libraryRange(libraryId));
  void tx.objectStore('searchMeta').delete(libraryId);
  void tx.objectStore('searchBuckets').delete(libraryRange(libraryId));
  void tx.objectStore('searchTexts').delete(libraryRange(libraryId));
  void tx.objectStore('media').delete(libraryRange(libraryId));
  void tx.objectStore('mediaFolders').delete(libraryId);
  await tx.done;
  const { state: _state, ...summary } = record;
  return summary;
}

/**
 * Replaces a library's media links (copies already in OPFS, or paths in `folder`) and stores the
 * report with it. `folder` is the linked folder's handle; without it any earlier one is dropped.
 */
export async function replaceMediaLinks(
  db: UnsealDb,
  libraryId: string,
  records: MediaRecord[],
  report: LibrarySummary['media'],
  folder?: MediaFolderRecord,
): Promise<void> {
  const tx = db.transaction(['media', 'mediaFolders', 'libraries'], 'readwrite');
  const media = tx.objectStore('media');
  void media.delete(libraryRange(libraryId));
  for (const r of records) void media.put(r);
  const folders = tx.objectStore('mediaFolders');
  void (folder ? folders.put(folder) : folders.delete(libraryId));
  const libraries = tx.objectStore('libraries');
  const library = await libraries.get(libraryId);
  if (library) void libraries.put({ ...library, media: report });
  await tx.done;
}

export function getMediaLink(db: UnsealDb, libraryId: string, chatId: number, pos: number): Promise<MediaRecord | undefined> {
  return db.get('media', [libraryId, chatId, pos]);
}

export function getMediaFolder(db: UnsealDb, libraryId: string): Promise<MediaFolderRecord | undefined> {
  return db.get('mediaFolders', libraryId);
}

/**
 * Deletes the records of imports and restores that never committed. Returns their library ids:
 * the caller removes their media copies (OPFS, `media/<libraryId>`) too.
 */
export async function deleteStaleStaging(db: UnsealDb): Promise<string[]> {
  const stale = (await db.getAll('libraries')).filter((l) => l.state === 'staging');
  for (const l of stale) await deleteLibrary(db, l.id);
  return stale.map((l) => l.id);
}

export async function listChats(db: UnsealDb, libraryId: string): Promise<ChatSummary[]> {
  const records = await db.getAll('chats', libraryRange(libraryId));
  return records
    .map(({ libraryId: _l, ...chat }) => chat)
    .sort((a, b) => b.lastActivity - a.lastActivity);
}

export async function readPage(
  db: UnsealDb,
  libraryId: string,
  chatId: number,
  page: number,
): Promise<MessagePage> {
  const record = await db.get('pages', [libraryId, chatId, page]);
  return { chatId, page, messages: record?.messages ?? [] };
}

/**
 * Every stored page of the given chats, in key order, `pagesPerRead` pages per request, the next
 * request in flight while the caller works on the current batch (IndexedDB reads in the
 * browser's storage process meanwhile).
 */
export async function* readPagesAhead(
  db: UnsealDb,
  libraryId: string,
  chats: readonly { id: number; pageCount: number }[],
  pagesPerRead: number,
): AsyncGenerator<PageRecord[], void, undefined> {
  const ranges: IDBKeyRange[] = [];
  for (const chat of chats) {
    for (let first = 0; first < chat.pageCount; first += pagesPerRead) {
      const last = Math.min(chat.pageCount, first + pagesPerRead) - 1;
      ranges.push(IDBKeyRange.bound([libraryId, chat.id, first], [libraryId, chat.id, last]));
    }
  }
  const read = (i: number) => {
    const pending = db.getAll('pages', ranges[i]);
    pending.catch(() => undefined); // awaited below, unless the caller stops first
    return pending;
  };
  let next = ranges.length > 0 ? read(0) : undefined;
  for (let i = 0; i < ranges.length; i++) {
    const batch = await next!;
    next = i + 1 < ranges.length ? read(i + 1) : undefined;
    yield batch;
  }
}

/** Batch transactions of a LibraryWriter that may be committing while the caller prepares the next batch. */
const WRITES_IN_FLIGHT = 2;

/**
 * Writes one import. Callers add pages in batches (`writeBatch`) while reading the database,
 * then `commit` flips the library to ready; `abort` removes everything written so far.
 */
export class LibraryWriter {
  private readonly writes = new WritesInFlight(WRITES_IN_FLIGHT);

  private constructor(
    private readonly db: UnsealDb,
    readonly library: LibraryRecord,
  ) {}

  static async begin(db: UnsealDb, library: LibrarySummary): Promise<LibraryWriter> {
    const record: LibraryRecord = { ...library, state: 'staging' };
    await db.put('libraries', record);
    return new LibraryWriter(db, record);
  }

  /**
   * Queues one transaction with these pages and chats. It returns once all but the last
   * WRITES_IN_FLIGHT batches are durable, so the caller reads the next batch from SQLite while
   * those commit (IndexedDB works in the browser process; the worker thread stays free).
   */
  async writeBatch(pages: PageRecord[], chats: ChatRecord[]): Promise<void> {
    const tx = this.db.transaction(['pages', 'chats'], 'readwrite', { durability: 'relaxed' });
    const pageStore = tx.objectStore('pages');
    const chatStore = tx.objectStore('chats');
    for (const p of pages) void pageStore.put(p);
    for (const c of chats) void chatStore.put(c);
    await this.writes.add(tx.done);
  }

  /**
   * Flips the library to ready. `media` (a restored encrypted copy's links, their files already
   * in OPFS) goes in the same transaction, so the library appears with its media or not at all.
   */
  async commit(
    counts: { chatCount: number; messageCount: number },
    media?: { records: MediaRecord[]; report: LibrarySummary['media'] },
  ): Promise<LibrarySummary> {
    await this.writes.done();
    const ready: LibraryRecord = { ...this.library, ...counts, ...(media && { media: media.report }), state: 'ready' };
    const tx = this.db.transaction(['libraries', 'media'], 'readwrite');
    const mediaStore = tx.objectStore('media');
    for (const r of media?.records ?? []) void mediaStore.put(r);
    void tx.objectStore('libraries').put(ready);
    await tx.done;
    const { state: _state, ...summary } = ready;
    return summary;
  }

  async abort(): Promise<void> {
    await this.writes.settled();
    await deleteLibrary(this.db, this.library.id);
  }
}
