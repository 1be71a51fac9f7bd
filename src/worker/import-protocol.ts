/**
 * The import worker's job (import.worker.ts, run through own-worker.ts): one WhatsApp import.
 */
import type { KeyInput } from './protocol';

export interface ImportArgs {
  file: File;
  key: KeyInput;
  contacts?: File;
}

/** Each import worker's SQLite pool directory in OPFS: this prefix and a random id. */
export const IMPORT_DIR_PREFIX = '.unseal-import-';
