/**
 * Building a library's search index (run in a worker of its own: indexing.worker.ts). It reads
 * the stored pages back, feeds the core IndexBuilder, and writes the meta record last, so a
 * half-built index is never used.
 */
import { IndexBuilder } from '../core/search/index';
import { listChats, readPagesAhead, type UnsealDb } from '../store/db';
import { clearIndex, writeBuckets, writeMeta, writeTexts } from '../store/search';
import { WritesInFlight } from '../store/in-flight';

/** Messages indexed so far, of all the library's messages. */
export interface IndexProgress {
  done: number;
  total: number;
}

export interface IndexArgs {
  libraryId: string;
}

/**
 * Pages read per IndexedDB request (500 messages each). The next request is in flight while a
 * batch is indexed, and a batch's writes commit while the next one is indexed: waiting on each
 * request in turn left the indexing worker idle half the time (1M messages, CPU profile).
 */
const PAGES_PER_READ = 8;

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
  // The partner of a 1:1 chat: what the index files its messages under (IndexBuilder.add).
  const peers = new Map(chats.map((c) => [c.id, c.kind === 'person' ? c.jid : undefined]));
  // A batch's writes commit while the next batch is indexed.
  const writes = new WritesInFlight(1);
  try {
    for await (const pages of readPagesAhead(db, libraryId, chats, PAGES_PER_READ)) {
      signal.throwIfAborted();
      for (const page of pages) {
        builder.add(page.chatId, page.messages, peers.get(page.chatId));
        done += page.messages.length;
      }
      await writes.add(writeTexts(db, libraryId, pages));
      if (builder.needsFlush) await writes.add(writeBuckets(db, libraryId, builder.flush()));
      if (done - reported >= PROGRESS_EVERY) {
        reported = done;
        onProgress({ done, total });
      }
    }
    await writes.done();
  } finally {
    // Nothing may land after the build has stopped (a deleted library's records are gone by then).
    await writes.settled();
  }
  const { meta, buckets } = builder.finish();
  await writeBuckets(db, libraryId, buckets);
  signal.throwIfAborted();
  // A library deleted meanwhile keeps no index.
  if ((await db.getKey('libraries', libraryId)) === undefined) return;
  await writeMeta(db, libraryId, meta);
  onProgress({ done: total, total });
}
