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
import { toWire } from './wire';
import type { FromImportWorker, ToImportWorker } from './import-protocol';

declare const self: DedicatedWorkerGlobalScope;

const controller = new AbortController();

function post(message: FromImportWorker): void {
  self.postMessage(message);
}

async function start({ file, key, contacts }: Extract<ToImportWorker, { type: 'start' }>): Promise<void> {
  let store;
  let outcome: FromImportWorker;
  try {
    // A schema upgrade from another tab closes this connection (openStore): the import then fails.
    store = await openStore();
    const library = await importBackup(store, file, key, controller.signal, (progress) => post({ type: 'progress', progress }), {
      contacts,
    });
    outcome = { type: 'done', library };
  } catch (e) {
    outcome = { type: 'failed', error: toWire(e) };
  }
  // The answer goes last: the worker is terminated on it, and its pool directory goes first.
  store?.close();
  await closeSqlite();
  post(outcome);
}

self.addEventListener('message', (event: MessageEvent<ToImportWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') controller.abort();
  else void start(message);
});
