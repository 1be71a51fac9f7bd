/**
 * Messages between the worker and an import worker (import.worker.ts), one per WhatsApp import.
 * To it: `start` once, then maybe `cancel`. From it: `progress` events, then `done` or `failed`
 * (sent after the import has removed whatever it had written), after which it is terminated.
 */
import type { KeyInput, LibrarySummary, Progress, WireError } from './protocol';

export type ToImportWorker =
  | { type: 'start'; file: File; key: KeyInput; contacts?: File }
  | { type: 'cancel' };

export type FromImportWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; library: LibrarySummary }
  | { type: 'failed'; error: WireError };

/** Each import worker's SQLite pool directory in OPFS: this prefix and a random id. */
export const IMPORT_DIR_PREFIX = '.unseal-import-';
