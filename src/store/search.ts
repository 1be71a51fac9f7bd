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
import { PAGE_SIZE, type PageRecord, type SearchTextsRecord, type UnsealDb } from './db';

function libraryRange(libraryId: string): IDBKeyRange {
  return IDBKeyRange.bound([libraryId], [libraryId, []]);
}

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
      const byPage = new Map<string, DocRef[]>();
      for (const ref of refs) {
        const key = `${ref.chatId}:${Math.floor(ref.pos / PAGE_SIZE)}`;
        const list = byPage.get(key);
        if (list) list.push(ref);
        else byPage.set(key, [ref]);
      }
      const tx = db.transaction(['searchTexts', 'pages']);
      const texts = new Map<number, string>();
      await Promise.all(
        [...byPage.values()].map(async (group) => {
          const key: [string, number, number] = [libraryId, group[0].chatId, Math.floor(group[0].pos / PAGE_SIZE)];
          const stored = await tx.objectStore('searchTexts').get(key);
          if (stored) {
            for (const ref of group) {
              const text = stored.texts[ref.pos % PAGE_SIZE];
              if (text !== undefined) texts.set(ref.docId, text);
            }
            return;
          }
          // Indexed before the texts were kept (IndexedDB v3 and older): the messages themselves.
          const page = await tx.objectStore('pages').get(key);
          if (!page) return;
          for (const ref of group) {
            const message = page.messages[ref.pos % PAGE_SIZE];
            if (message) texts.set(ref.docId, searchableText(message));
          }
        }),
      );
      return texts;
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
  const tx = db.transaction(['searchTexts', 'pages']);
  const texts = new Map<string, Promise<SearchTextsRecord | undefined>>();
  const pages = new Map<string, Promise<PageRecord | undefined>>();
  const once = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>): Promise<T> => {
    if (!cache.has(id)) cache.set(id, read());
    return cache.get(id)!;
  };
  return Promise.all(
    refs.map(async ({ chatId, pos }) => {
      const key: [string, number, number] = [libraryId, chatId, Math.floor(pos / PAGE_SIZE)];
      const id = `${chatId}:${key[2]}`;
      const i = pos % PAGE_SIZE;
      const stored = await once(texts, id, () => tx.objectStore('searchTexts').get(key));
      if (stored?.senders && stored.texts[i]) return { text: stored.texts[i], sender: stored.senders[i] ?? '' };
      const message = (await once(pages, id, () => tx.objectStore('pages').get(key)))?.messages[i];
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
