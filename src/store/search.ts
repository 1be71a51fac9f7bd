/**
 * The search index in IndexedDB: the `IndexStorage` the core engine reads through, and the
 * writes the indexing job makes. Record shapes and costs are described in
 * src/core/search/engine.ts.
 */
import type { DocRef, IndexStorage } from '../core/search/engine';
import type { BucketRecord, IndexMeta } from '../core/search/index';
import { searchableText } from '../core/search/fold';
import { PAGE_SIZE, type UnsealDb } from './db';

function libraryRange(libraryId: string): IDBKeyRange {
  return IDBKeyRange.bound([libraryId], [libraryId, []]);
}

export function indexStorage(db: UnsealDb, libraryId: string): IndexStorage {
  return {
    async getMeta(): Promise<IndexMeta | undefined> {
      return db.get('searchMeta', libraryId);
    },
    async getBuckets(ids: readonly number[]): Promise<BucketRecord[]> {
      const meta = await db.get('searchMeta', libraryId);
      const store = db.transaction('searchBuckets').store;
      // Many buckets: one range read of the whole index beats many small ones (~0.02 ms vs
      // ~0.15 ms per record here).
      if (meta && ids.length > meta.bucketCount / 4) {
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

/** Stores pages' searchable texts (what phrase verification reads); `texts[i]` is message i's. */
export async function writeTexts(db: UnsealDb, libraryId: string, pages: { chatId: number; page: number; texts: string[] }[]): Promise<void> {
  const tx = db.transaction('searchTexts', 'readwrite', { durability: 'relaxed' });
  for (const p of pages) void tx.store.put({ ...p, libraryId });
  await tx.done;
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
