/// <reference lib="webworker" />
/**
 * The worker: owns decryption, SQLite, IndexedDB. Requests arrive as typed messages
 * (protocol.ts); each gets its own AbortController so `cancel` stops it between steps.
 */
import { deleteDB } from 'idb';
import { UnsealError } from '../core/errors';
import { DB_NAME, deleteLibrary, deleteStaleStaging, listChats, listLibraries, openStore, readPage, type UnsealDb } from '../store/db';
import { fileSource } from './file-source';
import { importInWorker, removeStaleImportDirs } from './import-remote';
import { restoreArchive, saveArchive } from './archive';
import { lockLibrary, removeLockedCopy, unlockLibrary } from './lock';
import { folderAccess, forgetMediaMatch, linkMatched, linkMedia, matchFolder, mediaFile, removeMediaDir } from './media';
import { chatGallery } from './gallery';
import { sniffBackup } from '../core/backup/sniff';
import { exportChat, exportChats } from './exporting';
import { engineFor, ensureIndexed, forgetLibrary, indexStatus } from './indexing';
import { resultTexts } from '../store/search';
import { toWire } from './wire';
import type { FromWorker, Progress, Op, RequestMessage, ToWorker, WorkerApi } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let storePromise: Promise<UnsealDb> | undefined;
function store(): Promise<UnsealDb> {
  storePromise ??= openStore(() => {
    // Another tab upgrades the database: this connection closes, the next request reopens.
    storePromise = undefined;
  }).then(
    async (db) => {
      // Crashed imports and restores: their records, then the media a restore had copied.
      for (const libraryId of await deleteStaleStaging(db)) await removeMediaDir(libraryId).catch(() => undefined);
      await removeStaleImportDirs();
      return db;
    },
    (e: unknown) => {
      storePromise = undefined;
      if (e instanceof DOMException && e.name === 'VersionError') {
        throw new UnsealError('app-outdated', 'The stored data belongs to a newer version of Unseal.');
      }
      throw e;
    },
  );
  return storePromise;
}

const jobs = new Map<number, AbortController>();

/** Imports in progress (job id → settles when the import has finished cleaning up). */
const imports = new Map<number, Promise<unknown>>();

/**
 * Deletes the `unseal` database. `blocked` also fires while a just-closed connection of ours
 * finishes its last transaction, so it only fails if the deletion is still waiting a few seconds
 * later (another tab keeps the database open); the deletion then happens when that tab closes.
 */
function deleteDatabase(): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    deleteDB(DB_NAME, {
      blocked() {
        timer ??= setTimeout(
          () =>
            reject(
              new UnsealError('internal', 'Unseal is open in another tab or window: close it, and the libraries will be deleted then.'),
            ),
          5000,
        );
      },
    }).then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function post(message: FromWorker): void {
  self.postMessage(message);
}

type Handlers = {
  [K in Op]: (
    args: WorkerApi[K]['args'],
    job: { id: number; signal: AbortSignal },
  ) => Promise<WorkerApi[K]['result']>;
};

const handlers: Handlers = {
  async open({ file, key, contacts, media }, job) {
    const db = await store();
    const onProgress = (progress: Progress) => post({ id: job.id, type: 'progress', progress });
    // Our own encrypted copies open through the same picker; everything else is a WhatsApp file.
    const isArchive = sniffBackup(await fileSource(file).read(0, Math.min(file.size, 64)), file.size).kind === 'unseal-archive';
    const importing = isArchive
      ? restoreArchive(db, file, key.kind === 'passphrase' ? key.text : '', job.signal, onProgress)
      : importInWorker(file, key, job.signal, onProgress, { contacts });
    imports.set(job.id, importing.catch(() => undefined));
    let library;
    try {
      library = await importing;
    } finally {
      imports.delete(job.id);
    }
    ensureIndexed(db, library.id);
    // A WhatsApp folder picked with the backup is linked right after (the library is complete
    // without it; a failure here leaves the library and reports on the open screen).
    if (media && ('handle' in media || media.files.length > 0)) {
      try {
        library = { ...library, media: await linkMedia(db, library.id, media, job.signal, onProgress) };
      } catch {
        // The library view offers "Link WhatsApp folder" again.
      }
    }
    return { library };
  },
  async matchMedia({ libraryId, folder }, job) {
    return matchFolder(await store(), libraryId, folder, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async linkMedia({ libraryId, token, mode }, job) {
    return linkMatched(await store(), libraryId, token, mode, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async mediaFile({ libraryId, chatId, pos }) {
    return mediaFile(await store(), libraryId, chatId, pos);
  },
  async mediaFolderAccess({ libraryId }) {
    return folderAccess(await store(), libraryId);
  },
  async listLibraries() {
    return listLibraries(await store());
  },
  async deleteLibrary({ libraryId }) {
    await forgetLibrary(libraryId);
    forgetMediaMatch(libraryId);
    // The links and the kept folder handle go with the library's records; the copies here.
    await deleteLibrary(await store(), libraryId);
    await removeMediaDir(libraryId);
    await removeLockedCopy(libraryId);
  },
  async lockLibrary(args, job) {
    // Indexing stops first: the index either is complete and goes into the copy, or is not kept.
    await forgetLibrary(args.libraryId);
    return lockLibrary(await store(), args, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async unlockLibrary(args, job) {
    const db = await store();
    const unlocking = unlockLibrary(db, args, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
    imports.set(job.id, unlocking.catch(() => undefined));
    try {
      const library = await unlocking;
      ensureIndexed(db, library.id);
      return library;
    } finally {
      imports.delete(job.id);
    }
  },
  async listChats({ libraryId }) {
    return listChats(await store(), libraryId);
  },
  async readPage({ libraryId, chatId, page }) {
    return readPage(await store(), libraryId, chatId, page);
  },
  async chatGallery(args, job) {
    return chatGallery(await store(), args, job.signal);
  },
  async exportChat(args, job) {
    return exportChat(await store(), args, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async saveArchive(args, job) {
    return saveArchive(await store(), args, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async exportChats(args, job) {
    return exportChats(await store(), args, job.signal, (progress) => post({ id: job.id, type: 'progress', progress }));
  },
  async indexStatus({ libraryId }) {
    return indexStatus(await store(), libraryId);
  },
  async search({ libraryId, query, filters, limit, offset, exactTotal }, job) {
    const db = await store();
    const status = await indexStatus(db, libraryId);
    if (status.state === 'indexing') return { state: 'indexing', status };
    const result = await engineFor(db, libraryId).search(query, filters, { limit, offset, exactTotal, signal: job.signal });
    // What each result shows, from the pages' search texts (not whole pages of messages).
    const texts = await resultTexts(db, libraryId, result.hits);
    const hits = result.hits.map((hit, i) => ({ chatId: hit.chatId, pos: hit.pos, ts: hit.ts, ...texts[i]! }));
    return { state: 'ready', total: result.total, totalExact: result.totalExact, hits, ms: result.timing.totalMs };
  },
  async deleteEverything() {
    // An import in progress is cancelled first; it has cleaned up after itself once it settles.
    for (const id of imports.keys()) jobs.get(id)?.abort();
    await Promise.all(imports.values());

    const open = storePromise;
    storePromise = undefined;
    const db = await open?.catch(() => undefined);
    if (db) {
      // Indexing jobs stop before their database goes.
      const tx = db.transaction('libraries');
      const libraryIds = await tx.store.getAllKeys();
      await tx.done;
      for (const libraryId of libraryIds) {
        await forgetLibrary(libraryId);
        forgetMediaMatch(libraryId);
      }
      db.close();
    }
    await deleteDatabase();

    const root = await navigator.storage.getDirectory();
    const names: string[] = [];
    for await (const name of root.keys()) names.push(name);
    for (const name of names) await root.removeEntry(name, { recursive: true });
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
