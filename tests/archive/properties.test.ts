/**
 * Laws of the whole archive (docs/FORMATS.md "Unseal encrypted archive"): random libraries and
 * chunk sizes round-trip; any flipped bit, truncation, reordering or trailing data fails with
 * the documented code. Chunk sizes 64‥512 B (allowed by the format, not what Unseal writes) so a
 * few KB span many chunks; Argon2 m = 64 KiB, t = 1 so each open costs a few ms.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeRecord, type ArchiveRecord } from '../../src/core/archive/records';
import { openArchive, sealArchive } from '../../src/core/archive/stream';
import { readArchive } from '../../src/core/archive/read';
import { HEADER_BYTES } from '../../src/core/archive/format';
import { libraryArb } from './arbitraries';
import { FAST_KDF, PASS, collect, concat, expectCode, frames, memSource, openError, rand, sealBytes } from './helpers';

const chunkArb = fc.integer({ min: 64, max: 512 });

async function sealLibrary(records: ArchiveRecord[], chunkSize: number): Promise<Uint8Array> {
  async function* encoded() {
    for (const r of records) yield encodeRecord(r);
  }
  return concat(await collect(sealArchive(encoded(), PASS, { kdf: FAST_KDF, chunkSize })));
}

async function restore(file: Uint8Array): Promise<ArchiveRecord[]> {
  const out: ArchiveRecord[] = [];
  for await (const r of readArchive(memSource(file), PASS)) out.push(r);
  return out;
}

describe('archive properties', () => {
  it('random libraries round-trip at random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(libraryArb, chunkArb, async (records, chunkSize) => {
        expect(await restore(await sealLibrary(records, chunkSize))).toStrictEqual(records);
      }),
      { numRuns: 60 },
    );
  });

  it('a zero-length library (library + end) and an empty payload round-trip', async () => {
    const records: ArchiveRecord[] = [{ type: 'library', library: { id: 'x' } }, { type: 'end', chats: 0, pages: 0, searchBuckets: 0 }];
    expect(await restore(await sealLibrary(records, 64))).toStrictEqual(records);
    const empty = await sealBytes(new Uint8Array(0));
    expect(concat(await collect(openArchive(memSource(empty), PASS)))).toEqual(new Uint8Array(0));
    // An empty payload is a valid file but not a library: the record layer says so.
    await expect(restore(empty)).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('any flipped bit fails with the documented code [any flipped bit]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 700 }), chunkArb, fc.nat(), fc.integer({ min: 0, max: 7 }), async (n, chunkSize, at, bit) => {
        const file = await sealBytes(rand(n), { chunkSize });
        const i = at % file.length;
        const bad = file.slice();
        bad[i] ^= 1 << bit;
        const e = await openError(bad);
        if (i < 15) expect(e.code).toBe('not-a-backup');
        else if (i === 16 && ['3', '5', '9'].includes(String.fromCharCode(bad[16]))) expect(e.code).toBe('unsupported-version');
        else expect(e.code, `byte ${i} bit ${bit}: ${e.message}`).toBe('corrupt');
      }),
      { numRuns: 400 },
    );
  });

  it('every bit of the magic line and of a small payload, exhaustively', async () => {
    const file = await sealBytes(rand(150), { chunkSize: 64 }); // frames: 64, 64, final 22
    const positions = [...Array(18).keys(), ...Array.from({ length: file.length - HEADER_BYTES }, (_, k) => HEADER_BYTES + k)];
    for (const i of positions) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = file.slice();
        bad[i] ^= 1 << bit;
        const e = await openError(bad);
        const want = i < 15 ? 'not-a-backup' : i === 16 && '359'.includes(String.fromCharCode(bad[16])) ? 'unsupported-version' : 'corrupt';
        expect(e.code, `byte ${i} bit ${bit}`).toBe(want);
      }
    }
  });

  it('any truncation (at or between chunk boundaries) is truncated [any truncation]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2000 }), chunkArb, fc.nat(), async (n, chunkSize, cut) => {
        const file = await sealBytes(rand(n), { chunkSize });
        await expectCode(file.subarray(0, cut % file.length), 'truncated');
      }),
      { numRuns: 300 },
    );
  });

  it('cut exactly at each frame boundary is truncated', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), chunkArb, async (n, chunkSize) => {
        const file = await sealBytes(rand(n), { chunkSize });
        let o = HEADER_BYTES;
        for (const f of frames(file, chunkSize).frames) {
          await expectCode(file.subarray(0, o), 'truncated');
          o += f.length;
        }
        expect(o).toBe(file.length);
      }),
      { numRuns: 50 },
    );
  });

  it('any reordering of chunks fails as corrupt [any swap]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65, max: 1500 }), chunkArb, fc.nat(), fc.nat(), async (n, chunkSize, a, b) => {
        const file = await sealBytes(rand(n), { chunkSize });
        const { header, frames: f } = frames(file, chunkSize);
        fc.pre(f.length >= 2);
        const i = a % f.length;
        let j = b % f.length;
        if (i === j) j = (j + 1) % f.length;
        const g = [...f];
        [g[i], g[j]] = [g[j], g[i]];
        await expectCode(concat([header, ...g]), 'corrupt');
      }),
      { numRuns: 200 },
    );
  });

  it('any trailing data is corrupt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), chunkArb, fc.uint8Array({ minLength: 1, maxLength: 600 }), async (n, chunkSize, junk) => {
        const file = await sealBytes(rand(n), { chunkSize });
        await expectCode(concat([file, junk]), 'corrupt', 'trailing-data');
      }),
      { numRuns: 200 },
    );
  });

  it('a wrong passphrase is always wrong-passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), async (pass) => {
        fc.pre(pass.normalize('NFC') !== PASS);
        const file = await sealBytes(rand(100));
        expect((await openError(file, pass)).code).toBe('wrong-passphrase');
      }),
      { numRuns: 50 },
    );
  });
});
