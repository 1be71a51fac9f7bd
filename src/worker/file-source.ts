/**
 * A `File` (or any Blob) as the `ByteSource` the core readers take: each read is a slice. Its own
 * module, so what needs only this (the worker's sniffing, archives, the bench page) does not
 * pull in the import's SQLite.
 */
import type { ByteSource } from '../core/backup/decrypt';

export function fileSource(file: Blob): ByteSource {
  return {
    size: file.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    },
  };
}
