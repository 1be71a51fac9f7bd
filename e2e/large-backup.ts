/**
 * A large crypt15 backup for tests that need an import to take a while (Cancel). Its plaintext
 * starts with a SQLite header and is pseudo-random after it, so it barely compresses and the
 * decrypt stage runs for a second or more. Written once per run into a temp folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptCrypt15ToFile, parseHexKey } from '../scripts/lib/crypt15';

function* plaintext(size: number): Generator<Uint8Array> {
  const chunk = 1 << 20;
  let state = 0x2545f491;
  for (let done = 0; done < size; done += chunk) {
    const bytes = new Uint8Array(Math.min(chunk, size - done));
    for (let i = 0; i < bytes.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state;
      bytes[i + 1] = state >>> 8;
      bytes[i + 2] = state >>> 16;
      bytes[i + 3] = state >>> 24;
    }
    if (done === 0) bytes.set(new TextEncoder().encode('SQLite format 3\0'));
    yield bytes;
  }
}

export async function writeLargeCrypt15(keyHex: string, size: number): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'unseal-large-')), 'msgstore.db.crypt15');
  await encryptCrypt15ToFile(plaintext(size), out, { rootKey: parseHexKey(keyHex), iv: new Uint8Array(16).fill(9) });
  return out;
}
