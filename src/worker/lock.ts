/**
 * "Lock this library": the library is kept in this browser only as an encrypted copy (the
 * `.unseal` format with its linked media files, docs/FORMATS.md) at OPFS
 * `locked/<libraryId>.unseal`, and its readable records (chats, pages, search index, media links
 * and copies) are deleted. Unlocking restores
 * the copy exactly like opening an `.unseal` file, then removes it.
 *
 * Order matters, so that no step can lose the library:
 * 1. seal the library into the copy (a failure removes the partial file);
 * 2. read the whole copy back with the passphrase (every chunk authenticated, every record in
 *    order), so a copy that does not open is never the only one;
 * 3. one IndexedDB transaction deletes the readable records and marks the library `locked`.
 * Unlocking commits the restored library before it deletes the locked record and the copy; a
 * crash in between leaves both, never neither.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { readArchive } from '../core/archive/read';
import { kdfInWorker } from './kdf-remote';
import { markLibraryLocked, type UnsealDb } from '../store/db';
import { restoreArchive, sealLibrary } from './archive';
import { fileSource } from './file-source';
import { removeMediaDir } from './media';
import { writeFileIn } from './output-file';
import type { LibrarySummary, Progress } from './protocol';

const LOCKED_DIR = 'locked';

async function lockedDir(create: boolean): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(LOCKED_DIR, { create });
}

const copyName = (libraryId: string) => `${libraryId}.unseal`;

/** Removes a library's locked copy; missing is fine. */
export async function removeLockedCopy(libraryId: string): Promise<void> {
  try {
    await (await lockedDir(false)).removeEntry(copyName(libraryId));
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
  }
}

export async function lockLibrary(
  db: UnsealDb,
  args: { libraryId: string; passphrase: string },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<LibrarySummary> {
  const { libraryId, passphrase } = args;
  const sealed = await sealLibrary(db, { libraryId, passphrase, includeMedia: true }, signal, onProgress);
  const dir = await lockedDir(true);
  const name = copyName(libraryId);
  const copy = await writeFileIn(dir, name, sealed, signal);
  try {
    const records = readArchive(fileSource(copy), passphrase, {
      signal,
      deriveKey: kdfInWorker(signal),
      onProgress: (bytes, of) => onProgress({ phase: 'verifying', done: bytes, total: of }),
    });
    // Every record authenticated and checked; none is kept.
    for await (const _record of records) continue;
    throwIfAborted(signal);
    const locked = await markLibraryLocked(db, libraryId, { at: Date.now(), bytes: copy.size });
    // The media files are in the encrypted copy now; their readable copies go.
    await removeMediaDir(libraryId).catch(() => undefined);
    return locked;
  } catch (e) {
    await dir.removeEntry(name).catch(() => undefined);
    throw e;
  }
}

export async function unlockLibrary(
  db: UnsealDb,
  args: { libraryId: string; passphrase: string },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<LibrarySummary> {
  const record = await db.get('libraries', args.libraryId);
  if (!record || record.state !== 'locked') throw new UnsealError('internal', 'This library is not locked in this browser any more.');
  let copy: File;
  try {
    copy = await (await (await lockedDir(false)).getFileHandle(copyName(args.libraryId))).getFile();
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotFoundError') {
      throw new UnsealError('truncated', 'The locked copy of this library is missing from this browser’s storage.');
    }
    throw e;
  }
  const library = await restoreArchive(db, copy, args.passphrase, signal, onProgress);
  await db.delete('libraries', args.libraryId);
  await removeLockedCopy(args.libraryId);
  return library;
}
