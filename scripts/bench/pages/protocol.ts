/** Messages between the decrypt bench page and its worker (bench-only, never shipped). */

/**
 * - `read`: read the file in chunks and drop them (the File → ArrayBuffer floor).
 * - `gcm`: read (next slice prefetched) + AES-CTR + GHASH through src/core/backup/gcm-stream.ts, tag checked, plaintext
 *   dropped: decryption alone (decryptBackup always inflates a zlib payload).
 * - `md5`: read + MD5 (hash-wasm, as decryptBackup does over the whole file).
 * - `inflate`: decrypt everything into memory first (not timed), then time only the inflate
 *   (src/core/backup/inflate.ts `Inflater`, DecompressionStream) fed 4 MiB pieces, output dropped.
 * - `full`: src/core/backup/decrypt.ts `decryptBackup` (read, MD5, CTR + GHASH, inflate, tag
 *   and MD5 checks) with the app's inflate step (src/worker/inflate-remote.ts, its own worker)
 *   and a sink that counts and drops.
 */
export type BenchMode = 'read' | 'md5' | 'gcm' | 'inflate' | 'full';

export interface BenchRequest {
  file: File;
  mode: BenchMode;
  keyHex: string;
  chunkSize: number;
}

export interface BenchResult {
  mode: BenchMode;
  ms: number;
  /** Ciphertext (file) bytes processed. */
  bytesIn: number;
  /** Plaintext bytes out (decrypted for `gcm`, inflated for `full`, 0 for `read`). */
  bytesOut: number;
  tagOk?: boolean;
  chunks: number;
}

export type BenchReply = { ok: true; result: BenchResult } | { ok: false; error: string };
