import { createHash } from 'node:crypto';
import { decryptBackup, type BackupInfo, type ByteSource, type DecryptOptions } from '../../src/core/backup/decrypt';
import { parseKeyFile, type KeyMaterial } from '../../src/core/backup/key';
import { isUnsealError, UnsealError } from '../../src/core/errors';
import { sharedBytes } from '../shared';

export const FIX = 'fixtures/backups/';

export function memSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(offset, length) {
      return bytes.slice(offset, offset + length);
    },
  };
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export function fixture(name: string): Uint8Array {
  return sharedBytes(FIX + name);
}

export function keyFile(name: string): KeyMaterial {
  return parseKeyFile(fixture(name));
}

/** Decrypts fully into memory (tests only). */
export async function decryptAll(
  bytes: Uint8Array,
  key: KeyMaterial | null,
  opts: DecryptOptions = {},
): Promise<{ info: BackupInfo; out: Uint8Array }> {
  const parts: Uint8Array[] = [];
  const info = await decryptBackup(memSource(bytes), key, (c) => void parts.push(c.slice()), opts);
  return { info, out: new Uint8Array(Buffer.concat(parts)) };
}

/** The error code decryptAll fails with; throws if it succeeds or fails with a non-UnsealError. */
export async function failureCode(bytes: Uint8Array, key: KeyMaterial | null, opts: DecryptOptions = {}): Promise<string> {
  try {
    await decryptAll(bytes, key, opts);
  } catch (e) {
    if (isUnsealError(e)) return e.code;
    throw e;
  }
  return 'ok';
}

export async function failure(bytes: Uint8Array, key: KeyMaterial | null): Promise<UnsealError> {
  try {
    await decryptAll(bytes, key);
  } catch (e) {
    if (e instanceof UnsealError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
