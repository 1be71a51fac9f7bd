/**
 * Search indexing starts right after an import commits (the chats are readable at once) and
 * whenever a library without an index is searched (an import interrupted between the commit and
 * the index, or a library from an older version). It runs in a worker of its own
 * (indexing.worker.ts, index-build.ts), terminated when done. One job per library; deleting the
 * library aborts it. Searching (the engines) happens here, in the worker.
 */
import { SearchEngine } from '../core/search/engine';
import type { UnsealDb } from '../store/db';
import { indexStorage } from '../store/search';
import type { IndexArgs, IndexProgress } from './index-build';
import { runInOwnWorker } from './own-worker';
import type { IndexStatus } from './protocol';

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
      await runInOwnWorker<IndexArgs, IndexProgress, void>(
        () => new Worker(new URL('./indexing.worker.ts', import.meta.url), { type: 'module', name: 'unseal-indexing' }),
        'indexing',
        { libraryId },
        controller.signal,
        (p) => {
          job.done = p.done;
          job.total = p.total;
        },
      );
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
