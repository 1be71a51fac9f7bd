import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The read-only ../shared folder beside the project root (fixtures, samples, specs). */
export const SHARED = process.env.UNSEAL_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');

/** Bytes of a file under ../shared, as a plain Uint8Array (not a Node Buffer). */
export function sharedBytes(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(SHARED, relativePath)));
}

export function sharedText(relativePath: string): string {
  return readFileSync(resolve(SHARED, relativePath), 'utf8');
}
