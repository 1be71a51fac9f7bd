/**
 * Laws over the fixtures (shared/STYLE.md "Tests"):
 *  - every truncation is `truncated`;
 *  - every single flipped bit is `corrupt` or, where the bytes cannot tell, `wrong-key`;
 *  - random bytes give a typed UnsealError, never a hang or a TypeError.
 *
 * Documented exceptions (each is asserted below, so a change shows up):
 *  - Truncation to 1 or 2 bytes: `not-a-backup`. Two bytes (`84 01`, `00 01`) are no evidence of
 *    a backup; from 3 bytes on the header start identifies it.
 *  - Flips in the IV (crypt15 8..23, crypt14 67..82, crypt12 51..66) and in the first two
 *    ciphertext bytes (the zlib header) read as `wrong-key`: GCM does not authenticate the IV,
 *    and with a wrong IV or a broken zlib header the decrypted start is exactly as random as with
 *    a wrong key. (The MD5 could tell "damaged" from "wrong key" only after a full pass, and with
 *    a damaged file it fails either way.)
 *  - Flips in the first deflate byte (block type bits) and in the last bytes of the deflate
 *    stream may read as `truncated`: zlib then sees a stream that has not ended, which is all a
 *    truncation looks like too; tag and MD5 fail in both cases.
 *  - crypt12's 4-byte trailer (end of the phone number) is covered by nothing: flips there open
 *    fine (with a different jidSuffix).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decryptBackup } from '../../src/core/backup/decrypt';
import { parseHeader } from '../../src/core/backup/header';
import { sniffBackup } from '../../src/core/backup/sniff';
import { parseKeyFile, type KeyMaterial } from '../../src/core/backup/key';
import { UnsealError } from '../../src/core/errors';
import { failureCode, fixture, keyFile, memSource } from './helpers';

interface Case {
  file: string;
  key: string;
  iv: [number, number];
  dataStart: number;
  footer: number; // bytes after the ciphertext
}
const CASES: Case[] = [
  { file: 'msgstore.db.crypt15', key: 'encrypted_backup.key', iv: [8, 24], dataStart: 134, footer: 32 },
  { file: 'msgstore.db.crypt14', key: 'key', iv: [67, 83], dataStart: 193, footer: 32 },
  { file: 'msgstore.db.crypt12', key: 'key', iv: [51, 67], dataStart: 67, footer: 36 },
];

function expectedForFlip(c: Case, n: number, at: number): string[] {
  const ctEnd = n - c.footer;
  if (at >= c.iv[0] && at < c.iv[1]) return ['wrong-key'];
  if (at === c.dataStart || at === c.dataStart + 1) return ['wrong-key'];
  if (at === c.dataStart + 2 || (at >= ctEnd - 48 && at < ctEnd)) return ['corrupt', 'truncated'];
  if (c.file.endsWith('crypt12') && at >= n - 4) return ['ok'];
  return ['corrupt'];
}

describe.each(CASES)('$file', (c) => {
  const bytes = fixture(c.file);
  const key = keyFile(c.key);

  it('every truncation 1..N-1 is truncated (1 and 2 bytes: not-a-backup)', async () => {
    const seen = new Map<string, number[]>();
    for (let n = 1; n < bytes.length; n++) {
      const code = await failureCode(bytes.subarray(0, n), key);
      const expected = n <= 2 ? 'not-a-backup' : 'truncated';
      if (code !== expected) seen.set(code, [...(seen.get(code) ?? []), n]);
    }
    expect(Object.fromEntries(seen)).toEqual({});
  });

  it('a flipped bit in every byte gives the documented code', async () => {
    const wrong: string[] = [];
    for (let at = 0; at < bytes.length; at++) {
      const bit = (at * 5) % 8;
      const flipped = bytes.slice();
      flipped[at] ^= 1 << bit;
      const code = await failureCode(flipped, key);
      if (!expectedForFlip(c, bytes.length, at).includes(code)) wrong.push(`${at}.${bit}: ${code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('random single-bit flips (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.nat(7), async (at, bit) => {
        const flipped = bytes.slice();
        flipped[at] ^= 1 << bit;
        expect(expectedForFlip(c, bytes.length, at)).toContain(await failureCode(flipped, key));
      }),
      { numRuns: 300 },
    );
  });
});

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms))]);

async function typedFailure(bytes: Uint8Array, key: KeyMaterial | null): Promise<string> {
  try {
    await withTimeout(decryptBackup(memSource(bytes), key, () => {}), 5000);
    return 'ok';
  } catch (e) {
    if (e instanceof UnsealError) return e.code;
    throw e;
  }
}

describe('random bytes', () => {
  const keys: (KeyMaterial | null)[] = [null, keyFile('encrypted_backup.key'), keyFile('key')];
  const c15 = fixture('msgstore.db.crypt15');
  const c14 = fixture('msgstore.db.crypt14');
  const c12 = fixture('msgstore.db.crypt12');

  it('pure random → a typed UnsealError, never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.nat(2), async (bytes, k) => {
        const code = await typedFailure(bytes, keys[k]);
        expect(code).not.toBe('ok');
        expect(code).not.toBe('internal');
      }),
      { numRuns: 400 },
    );
  });

  it('a real header start + random rest → a typed UnsealError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom([c15, 1], [c14, 2], [c12, 2]),
        fc.nat(300),
        fc.uint8Array({ maxLength: 2000 }),
        async ([src, k], keep, rest) => {
          const bytes = new Uint8Array([...src.subarray(0, keep), ...rest]);
          const code = await typedFailure(bytes, keys[k as number]);
          expect(code).not.toBe('internal');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sniff, header and key-file parsers only ever throw UnsealError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, prefix) => {
        const b = prefix ? new Uint8Array([0x84, 0x01, 0x08, 0x01, 0x1a, ...bytes]) : bytes;
        sniffBackup(b, b.length);
        for (const f of [() => parseHeader(b, b.length), () => parseKeyFile(b)]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(UnsealError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
