/// <reference lib="webworker" />
/**
 * One WhatsApp import (import.ts) in a worker of its own, started by import-remote.ts and
 * terminated when the import has settled. SQLite's WASM memory grows to a few hundred MB while
 * reading a big msgstore, and a WASM memory never shrinks: ending this worker is what gives it
 * back to the tab for everything after the import.
 */
import { openStore } from '../store/db';
import { importBackup } from './import';
import { closeSqlite } from './sqlite';
import { serveOneJob } from './own-worker';
import type { ImportArgs } from './import-protocol';
import type { LibrarySummary, Progress } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

serveOneJob<ImportArgs, Progress, LibrarySummary>(
  self,
  async ({ file, key, contacts }, signal, onProgress) => {
    // A schema upgrade from another tab closes this connection (openStore): the import then fails.
    const store = await openStore();
    try {
      return await importBackup(store, file, key, signal, onProgress, { contacts });
    } finally {
      store.close();
    }
  },
  // Its pool directory goes before the answer.
  closeSqlite,
);
