/// <reference lib="webworker" />
/**
 * The worker: owns decryption, SQLite, IndexedDB. Requests arrive as typed messages
 * (protocol.ts); each gets its own AbortController so `cancel` stops it between steps.
 */
import { UnsealError } from '../core/errors';
import { deleteLibrary, deleteStaleStaging, listChats, listLibraries, openStore, readPage, type UnsealDb } from '../store/db';
import { importBackup } from './import';
import type { FromWorker, Op, RequestMessage, ToWorker, WireError, WorkerApi } from './protocol';

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
    const library = await importBackup(await store(), file, key, job.signal, (progress) =>
      post({ id: job.id, type: 'progress', progress }),
    );
    return { library };
  },
  async listLibraries() {
    return listLibraries(await store());
  },
  async deleteLibrary({ libraryId }) {
    await deleteLibrary(await store(), libraryId);
  },
  async listChats({ libraryId }) {
    return listChats(await store(), libraryId);
  },
  async readPage({ libraryId, chatId, page }) {
    return readPage(await store(), libraryId, chatId, page);
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
