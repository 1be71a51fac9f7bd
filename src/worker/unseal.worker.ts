/// <reference lib="webworker" />
/**
 * The worker: owns decryption, SQLite, IndexedDB. Requests arrive as typed messages
 * (protocol.ts); each gets its own AbortController so `cancel` stops it between steps.
 */
import { UnsealError } from '../core/errors';
import { deleteLibrary, deleteStaleStaging, listChats, listLibraries, openStore, readPage, type UnsealDb } from '../store/db';
import { importBackup } from './import';
import { engineFor, ensureIndexed, forgetLibrary, indexStatus } from './indexing';
import { PAGE_SIZE } from '../store/db';
import type { FromWorker, MessagePage, Op, RequestMessage, ToWorker, WireError, WorkerApi } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let storePromise: Promise<UnsealDb> | undefined;
function store(): Promise<UnsealDb> {
  storePromise ??= openStore().then(async (db) => {
    await deleteStaleStaging(db);
    return db;
  });
  return storePromise;
}

const jobs = new Map<number, AbortController>();

function post(message: FromWorker): void {
  self.postMessage(message);
}

function toWire(e: unknown): WireError {
  if (e instanceof UnsealError) return { code: e.code, message: e.message, detail: e.detail };
  if (e instanceof DOMException && e.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled', detail: {} };
  if (e instanceof DOMException && e.name === 'QuotaExceededError') {
    return { code: 'quota', message: 'The browser ran out of storage space.', detail: {} };
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 'internal', message: what, detail: {} };
}

type Handlers = {
  [K in Op]: (
    args: WorkerApi[K]['args'],
    job: { id: number; signal: AbortSignal },
  ) => Promise<WorkerApi[K]['result']>;
};

const handlers: Handlers = {
  async open({ file, key }, job) {
    const db = await store();
    const library = await importBackup(db, file, key, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
    ensureIndexed(db, library.id);
    return { library };
  },
  async listLibraries() {
    return listLibraries(await store());
  },
  async deleteLibrary({ libraryId }) {
    await forgetLibrary(libraryId);
    await deleteLibrary(await store(), libraryId);
  },
  async listChats({ libraryId }) {
    return listChats(await store(), libraryId);
  },
  async readPage({ libraryId, chatId, page }) {
    return readPage(await store(), libraryId, chatId, page);
  },
  async indexStatus({ libraryId }) {
    return indexStatus(await store(), libraryId);
  },
  async search({ libraryId, query, filters, limit, offset }, job) {
    const db = await store();
    const status = await indexStatus(db, libraryId);
    if (status.state === 'indexing') return { state: 'indexing', status };
    const result = await engineFor(db, libraryId).search(query, filters, { limit, offset, signal: job.signal });
    // The hits' messages, one page read per distinct page.
    const pages = new Map<string, Promise<MessagePage>>();
    const hits = await Promise.all(
      result.hits.map(async (hit) => {
        const page = Math.floor(hit.pos / PAGE_SIZE);
        const key = `${hit.chatId}:${page}`;
        if (!pages.has(key)) pages.set(key, readPage(db, libraryId, hit.chatId, page));
        const message = (await pages.get(key)!).messages[hit.pos % PAGE_SIZE];
        return { chatId: hit.chatId, pos: hit.pos, ts: hit.ts, message };
      }),
    );
    return { state: 'ready', total: result.total, hits, ms: result.timing.totalMs };
  },
};

async function run(request: RequestMessage): Promise<void> {
  const controller = new AbortController();
  jobs.set(request.id, controller);
  try {
    const handler = handlers[request.op] as (args: unknown, job: { id: number; signal: AbortSignal }) => Promise<unknown>;
    const value = await handler(request.args, { id: request.id, signal: controller.signal });
    post({ id: request.id, type: 'result', value });
  } catch (e) {
    post({ id: request.id, type: 'error', error: toWire(e) });
  } finally {
    jobs.delete(request.id);
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.op === 'cancel') {
    jobs.get(message.id)?.abort();
    return;
  }
  void run(message);
});
