/**
 * `importInWorker`: a WhatsApp import (import.ts) run in a new import worker (import.worker.ts),
 * which is terminated once the import has settled, so SQLite's memory leaves with it. Progress
 * is relayed as it comes; the AbortSignal becomes `cancel`, and the call settles only after the
 * import has cleaned up (its `failed` answer), so nothing half-stored outlives a cancellation.
 */
import { UnsealError } from '../core/errors';
import { IMPORT_DIR_PREFIX, type FromImportWorker, type ToImportWorker } from './import-protocol';
import type { KeyInput, LibrarySummary, Progress } from './protocol';
import { fromWire } from './wire';

export function importInWorker(
  file: File,
  key: KeyInput,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
  extras: { contacts?: File } = {},
): Promise<LibrarySummary> {
  const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'unseal-import' });
  const post = (message: ToImportWorker) => worker.postMessage(message);
  const cancel = () => post({ type: 'cancel' });
  return new Promise<LibrarySummary>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FromImportWorker>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') resolve(message.library);
      else reject(fromWire(message.error));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new UnsealError('internal', `The import worker failed: ${event.message || 'it did not start'}`, { step: 'import-worker' }));
    });
    if (signal.aborted) {
      reject(new UnsealError('cancelled', 'Cancelled'));
      return;
    }
    signal.addEventListener('abort', cancel, { once: true });
    post({ type: 'start', file, key, contacts: extras.contacts });
  }).finally(() => {
    signal.removeEventListener('abort', cancel);
    worker.terminate();
  });
}

/**
 * Removes the SQLite pool directories of import workers that were killed (a closed tab), and
 * `.unseal-import`, the one shared pool of versions before import workers. One an import in
 * another tab still uses holds its files open, so removing it fails and it stays.
 */
export async function removeStaleImportDirs(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const names: string[] = [];
  for await (const name of root.keys()) if (name.startsWith(IMPORT_DIR_PREFIX) || name === '.unseal-import') names.push(name);
  for (const name of names) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
}
