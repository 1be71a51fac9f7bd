/**
 * Building a library's search index (run in a worker of its own: indexing.worker.ts). It reads
 * the stored pages back, feeds the core IndexBuilder, and writes the meta record last, so a
 * half-built index is never used.
 */
import { IndexBuilder } from '../core/search/index';
import { listChats, type UnsealDb } from '../store/db';
import { clearIndex, writeBuckets, writeMeta, writeTexts } from '../store/search';

/** Messages indexed so far, of all the library's messages. */
export interface IndexProgress {
  done: number;
  total: number;
}

export interface IndexArgs {
  libraryId: string;
}

/**
 * Pages read per IndexedDB request while indexing (500 messages each). Small, so progress is
 * reported often and a cancellation waits for at most one batch.
 */
const PAGES_PER_READ = 4;

/** Progress is posted at most this often (in messages indexed). */
const PROGRESS_EVERY = 5_000;

export async function buildIndex(
  db: UnsealDb,
  { libraryId }: IndexArgs,
  signal: AbortSignal,
  onProgress: (p: IndexProgress) => void,
): Promise<void> {
  await clearIndex(db, libraryId);
  const chats = await listChats(db, libraryId);
  const total = chats.reduce((n, c) => n + c.messageCount, 0);
  let done = 0;
  let reported = 0;
  onProgress({ done, total });
  const builder = new IndexBuilder();
  for (const chat of chats) {
    const peer = chat.kind === 'person' ? chat.jid : undefined;
    for (let first = 0; first < chat.pageCount; first += PAGES_PER_READ) {
      signal.throwIfAborted();
      const last = Math.min(chat.pageCount, first + PAGES_PER_READ) - 1;
      const pages = await db.getAll('pages', IDBKeyRange.bound([libraryId, chat.id, first], [libraryId, chat.id, last]));
      for (const page of pages) {
        builder.add(chat.id, page.messages, peer);
        done += page.messages.length;
      }
      await writeTexts(db, libraryId, pages);
      if (builder.needsFlush) await writeBuckets(db, libraryId, builder.flush());
      if (done - reported >= PROGRESS_EVERY) {
        reported = done;
        onProgress({ done, total });
      }
    }
  }
  const { meta, buckets } = builder.finish();
  await writeBuckets(db, libraryId, buckets);
  signal.throwIfAborted();
  // A library deleted meanwhile keeps no index.
  if ((await db.getKey('libraries', libraryId)) === undefined) return;
  await writeMeta(db, libraryId, meta);
  onProgress({ done: total, total });
}
