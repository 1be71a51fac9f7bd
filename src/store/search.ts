/**
 * The search index in IndexedDB: the `IndexStorage` the core engine reads through, and the
 * writes the indexing job makes. Record shapes and costs are described in
 * src/core/search/engine.ts.
 */
import type { DocRef, IndexStorage } from '../core/search/engine';
import type { BucketRecord, IndexMeta } from '../core/search/index';
import { searchableText } from '../core/search/fold';
import { previewText } from '../core/msgstore/describe';
import type { Message } from '../core/msgstore/model';
import { libraryRange, PAGE_SIZE, type PageRecord, type SearchTextsRecord, type UnsealDb } from './db';

export function indexStorage(db: UnsealDb, libraryId: string): IndexStorage {
  // Kept from getMeta: the meta record is megabytes (per-message arrays, the vocabulary), so it
  // is read once per engine, never again per query.
  let bucketCount: number | undefined;
  return {
    async getMeta(): Promise<IndexMeta | undefined> {
      const meta = await db.get('searchMeta', libraryId);
      bucketCount = meta?.bucketCount;
      return meta;
    },
    async getBuckets(ids: readonly number[]): Promise<BucketRecord[]> {
      const store = db.transaction('searchBuckets').store;
      // Many buckets: one range read of the whole index beats many small ones (~0.02 ms vs
      // ~0.15 ms per record here).
      if (bucketCount !== undefined && ids.length > bucketCount / 4) {
        const wanted = new Set(ids);
        return (await store.getAll(libraryRange(libraryId))).filter((r) => wanted.has(r.bucket));
      }
      const parts = await Promise.all(
        ids.map((id) => store.getAll(IDBKeyRange.bound([libraryId, id], [libraryId, id, []]))),
      );
      return parts.flat();
    },
    async getTexts(refs: readonly DocRef[]): Promise<Map<number, string>> {
      const read = pageTexts(db, libraryId);
      const texts = new Map<number, string>();
      await Promise.all(
        refs.map(async (ref) => {
          const text = (await read.texts(ref.chatId, ref.pos))?.texts[ref.pos % PAGE_SIZE];
          if (text !== undefined) {
            texts.set(ref.docId, text);
            return;
          }
          // Indexed before the texts were kept (IndexedDB v3 and older): the messages themselves.
          const message = await read.message(ref.chatId, ref.pos);
          if (message) texts.set(ref.docId, searchableText(message));
        }),
      );
      return texts;
    },
  };
}

/**
 * Reads, in one transaction, the `searchTexts` record and (only when asked) the page of messages a
 * position sits on, each page once however many positions ask: what phrase verification and the
 * search results read.
 */
function pageTexts(db: UnsealDb, libraryId: string) {
  const tx = db.transaction(['searchTexts', 'pages']);
  const texts = new Map<number, Map<number, Promise<SearchTextsRecord | undefined>>>();
  const pages = new Map<number, Map<number, Promise<PageRecord | undefined>>>();
  function once<T>(cache: Map<number, Map<number, Promise<T>>>, chatId: number, page: number, read: () => Promise<T>): Promise<T> {
    let byPage = cache.get(chatId);
    if (!byPage) cache.set(chatId, (byPage = new Map()));
    let reading = byPage.get(page);
    if (!reading) byPage.set(page, (reading = read()));
    return reading;
  }
  return {
    texts(chatId: number, pos: number): Promise<SearchTextsRecord | undefined> {
      const page = Math.floor(pos / PAGE_SIZE);
      return once(texts, chatId, page, () => tx.objectStore('searchTexts').get([libraryId, chatId, page]));
    },
    async message(chatId: number, pos: number): Promise<Message | undefined> {
      const page = Math.floor(pos / PAGE_SIZE);
      const record = await once(pages, chatId, page, () => tx.objectStore('pages').get([libraryId, chatId, page]));
      return record?.messages[pos % PAGE_SIZE];
    },
  };
}

export async function clearIndex(db: UnsealDb, libraryId: string): Promise<void> {
  const tx = db.transaction(['searchMeta', 'searchBuckets', 'searchTexts'], 'readwrite');
  await Promise.all([
    tx.objectStore('searchMeta').delete(libraryId),
    tx.objectStore('searchBuckets').delete(libraryRange(libraryId)),
    tx.objectStore('searchTexts').delete(libraryRange(libraryId)),
    tx.done,
  ]);
}

/** Who wrote `m`, as a search result shows it: 'You', the sender's title, or '' (the chat's partner). */
export function resultSender(m: Message): string {
  return m.fromMe ? 'You' : (m.sender?.title ?? '');
}

/**
 * Stores each page's searchable texts and senders: what phrase verification and the search
 * results read, a few strings per message instead of whole pages of messages.
 */
export async function writeTexts(db: UnsealDb, libraryId: string, pages: readonly PageRecord[]): Promise<void> {
  const tx = db.transaction('searchTexts', 'readwrite', { durability: 'relaxed' });
  for (const p of pages) {
    void tx.store.put({ libraryId, chatId: p.chatId, page: p.page, texts: p.messages.map(searchableText), senders: p.messages.map(resultSender) });
  }
  await tx.done;
}

/** What a search result shows of one message. */
export interface ResultText {
  text: string;
  sender: string;
}

/**
 * The text and sender of each message at `refs` (chat, position), read from the pages' search
 * texts. A message with no searchable text (a request with filters and no words can find one,
 * e.g. a photo without a caption) shows its preview; pages indexed before senders were kept
 * are read whole.
 */
export async function resultTexts(db: UnsealDb, libraryId: string, refs: readonly { chatId: number; pos: number }[]): Promise<ResultText[]> {
  const read = pageTexts(db, libraryId);
  return Promise.all(
    refs.map(async ({ chatId, pos }) => {
      const stored = await read.texts(chatId, pos);
      const i = pos % PAGE_SIZE;
      if (stored?.senders && stored.texts[i]) return { text: stored.texts[i], sender: stored.senders[i] ?? '' };
      const message = await read.message(chatId, pos);
      return message ? { text: searchableText(message) || previewText(message), sender: resultSender(message) } : { text: '', sender: '' };
    }),
  );
}

export async function writeBuckets(db: UnsealDb, libraryId: string, buckets: BucketRecord[]): Promise<void> {
  const tx = db.transaction('searchBuckets', 'readwrite', { durability: 'relaxed' });
  for (const b of buckets) void tx.store.put({ ...b, libraryId });
  await tx.done;
}

/** Written last: a library has a usable index exactly when its meta record exists. */
export async function writeMeta(db: UnsealDb, libraryId: string, meta: IndexMeta): Promise<void> {
  await db.put('searchMeta', { ...meta, libraryId });
}
