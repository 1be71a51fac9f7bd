/**
 * The password KDF of protected exports: Argon2id (RFC 9106) from hash-wasm 4.13.0, wrapped
 * once so callers get a typed `Uint8Array` (hash-wasm returns `string | Uint8Array` depending on
 * `outputType`). The self-decrypting page runs the same function from hash-wasm's
 * `argon2.umd.min.js` with the same parameters read from the file.
 */
import { argon2id } from 'hash-wasm';

export interface Argon2Params {
  /** Memory in KiB (hash-wasm's `memorySize`). */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** m = 64 MiB, t = 3, p = 1 (RFC 9106's second recommended option, with less memory). */
export const EXPORT_KDF: Argon2Params = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 };

export const KEY_BYTES = 32;

function assertParams(p: Argon2Params): void {
  const int = (v: number, lo: number, hi: number, what: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`deriveKey: ${what} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  int(p.parallelism, 1, 16, 'parallelism');
  int(p.iterations, 1, 64, 'iterations');
  int(p.memoryKiB, 8 * p.parallelism, 4 * 1024 * 1024, 'memoryKiB');
}

/**
 * A 32-byte key from a password. The password is NFC-normalized and UTF-8 encoded first, so
 * the same visible password typed on another keyboard gives the same key.
 */
export async function deriveKey(password: string, salt: Uint8Array, params: Argon2Params = EXPORT_KDF): Promise<Uint8Array> {
  if (typeof password !== 'string' || password.length === 0) throw new TypeError('deriveKey: password must be a non-empty string');
  if (!(salt instanceof Uint8Array) || salt.length < 8) throw new TypeError('deriveKey: salt must be at least 8 bytes');
  assertParams(params);
  const key: Uint8Array = await argon2id({
    password: new TextEncoder().encode(password.normalize('NFC')),
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: KEY_BYTES,
    outputType: 'binary',
  });
  return key;
}
