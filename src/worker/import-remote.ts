/**
 * `importInWorker`: a WhatsApp import (import.ts) run in a new import worker (import.worker.ts),
 * terminated once the import has settled, so SQLite's memory leaves with it (own-worker.ts).
 */
import { IMPORT_DIR_PREFIX, type ImportArgs } from './import-protocol';
import { runInOwnWorker } from './own-worker';
import type { KeyInput, LibrarySummary, Progress } from './protocol';

export function importInWorker(
  file: File,
  key: KeyInput,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
  extras: { contacts?: File } = {},
): Promise<LibrarySummary> {
  return runInOwnWorker<ImportArgs, Progress, LibrarySummary>(
    () => new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'unseal-import' }),
    'import',
    { file, key, contacts: extras.contacts },
    signal,
    onProgress,
  );
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
