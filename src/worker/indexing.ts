/**
 * Search indexing runs in the worker right after an import commits (the chats are readable at
 * once) and whenever a library without an index is searched (an import interrupted between the
 * commit and the index, or a library from an older version). It reads the stored pages back,
 * feeds the core IndexBuilder, and writes the meta record last, so a half-built index is never
 * used. One job per library; deleting the library aborts it.
 */
import { IndexBuilder } from '../core/search/index';
import { SearchEngine } from '../core/search/engine';
import { listChats, type UnsealDb } from '../store/db';
import { clearIndex, indexStorage, writeBuckets, writeMeta, writeTexts } from '../store/search';
import type { IndexStatus } from './protocol';

/**
 * Pages read per IndexedDB request while indexing (500 messages each). Small, so the worker
 * returns to its message queue often: a chat opened during indexing waits for at most one batch.
 */
const PAGES_PER_READ = 4;

interface Job {
  controller: AbortController;
  done: number;
  total: number;
  finished: Promise<void>;
}

const jobs = new Map<string, Job>();
const engines = new Map<string, SearchEngine>();

export function engineFor(db: UnsealDb, libraryId: string): SearchEngine {
  let engine = engines.get(libraryId);
  if (!engine) {
    engine = new SearchEngine(indexStorage(db, libraryId));
    engines.set(libraryId, engine);
  }
  return engine;
}

export async function indexStatus(db: UnsealDb, libraryId: string): Promise<IndexStatus> {
  const job = jobs.get(libraryId);
  if (job) return { state: 'indexing', done: job.done, total: job.total };
  const meta = await db.getKey('searchMeta', libraryId);
  if (meta !== undefined) return { state: 'ready', done: 0, total: 0 };
  ensureIndexed(db, libraryId);
  return { state: 'indexing', done: 0, total: 0 };
}

/** Starts indexing unless the library has an index or a job is already running. */
export function ensureIndexed(db: UnsealDb, libraryId: string): void {
  if (jobs.has(libraryId)) return;
  const controller = new AbortController();
  const job: Job = { controller, done: 0, total: 0, finished: Promise.resolve() };
  jobs.set(libraryId, job);
  job.finished = (async () => {
    try {
      if ((await db.getKey('searchMeta', libraryId)) !== undefined) return;
      await buildIndex(db, libraryId, job);
      engines.get(libraryId)?.invalidate();
    } catch (e) {
      // A deleted library aborts its job; anything else leaves no meta, so the next search retries.
      if (!controller.signal.aborted) console.error('Indexing failed', e instanceof Error ? e.message : e);
    } finally {
      jobs.delete(libraryId);
    }
  })();
}

/** Stops a library's indexing job (before the library is deleted) and forgets its engine. */
export async function forgetLibrary(libraryId: string): Promise<void> {
  const job = jobs.get(libraryId);
  if (job) {
    job.controller.abort();
    await job.finished;
  }
  engines.delete(libraryId);
}

async function buildIndex(db: UnsealDb, libraryId: string, job: Job): Promise<void> {
  const signal = job.controller.signal;
  await clearIndex(db, libraryId);
  const chats = await listChats(db, libraryId);
  job.total = chats.reduce((n, c) => n + c.messageCount, 0);
  const builder = new IndexBuilder();
  for (const chat of chats) {
    const peer = chat.kind === 'person' ? chat.jid : undefined;
    for (let first = 0; first < chat.pageCount; first += PAGES_PER_READ) {
      signal.throwIfAborted();
      const last = Math.min(chat.pageCount, first + PAGES_PER_READ) - 1;
      const pages = await db.getAll('pages', IDBKeyRange.bound([libraryId, chat.id, first], [libraryId, chat.id, last]));
      for (const page of pages) {
        builder.add(chat.id, page.messages, peer);
        job.done += page.messages.length;
      }
      await writeTexts(db, libraryId, pages);
      if (builder.needsFlush) await writeBuckets(db, libraryId, builder.flush());
    }
  }
  const { meta, buckets } = builder.finish();
  await writeBuckets(db, libraryId, buckets);
  signal.throwIfAborted();
  if ((await db.getKey('libraries', libraryId)) === undefined) return;
  await writeMeta(db, libraryId, meta);
}
