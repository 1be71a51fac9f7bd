/**
 * Files the worker produces for download (exports, encrypted copies): written as a stream into
 * the Origin Private File System and handed to the page as a `File`. They are temporary: the
 * previous ones are removed when a new one starts (by then the page has downloaded them).
 */
import { throwIfAborted } from '../core/errors';

const OUTPUT_DIR = 'exports';

async function freshDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(OUTPUT_DIR, { recursive: true }).catch(() => undefined);
  const dir = await root.getDirectoryHandle(OUTPUT_DIR, { create: true });
  return dir.getDirectoryHandle(crypto.randomUUID(), { create: true });
}

/** Writes chunks to a fresh OPFS file through a sync access handle and returns it as a File. */
export async function writeOutputFile(name: string, chunks: AsyncIterable<string | Uint8Array>, signal: AbortSignal): Promise<File> {
  return writeFileIn(await freshDir(), name, chunks, signal);
}

/**
 * Writes chunks to `dir/name` (replacing it) through a sync access handle and returns it as a
 * File; a failure or cancel removes the partial file.
 */
export async function writeFileIn(
  dir: FileSystemDirectoryHandle,
  name: string,
  chunks: AsyncIterable<string | Uint8Array>,
  signal: AbortSignal,
): Promise<File> {
  const handle = await dir.getFileHandle(name, { create: true });
  const access = await handle.createSyncAccessHandle();
  const encoder = new TextEncoder();
  let at = 0;
  try {
    access.truncate(0);
    for await (const chunk of chunks) {
      throwIfAborted(signal);
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      at += access.write(bytes, { at });
    }
    access.flush();
  } catch (e) {
    access.close();
    await dir.removeEntry(name).catch(() => undefined);
    throw e;
  }
  access.close();
  return handle.getFile();
}
