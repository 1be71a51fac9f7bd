/** Header parsing: magic line, versions, checksum, bounds (docs/FORMATS.md "Reading the header"). */
import { describe, expect, it } from 'vitest';
import { readArchiveHeader } from '../../src/core/archive/stream';
import { HEADER_BYTES } from '../../src/core/archive/format';
import { isUnsealError } from '../../src/core/errors';
import { concat, expectCode, fixChecksum, memSource, rand, sealBytes, setU32 } from './helpers';

const te = new TextEncoder();

describe('magic line [magic]', () => {
  it('a file that does not start with unseal-archive/ is not-a-backup', async () => {
    await expectCode(te.encode('hello world, this is not an archive at all'), 'not-a-backup');
    await expectCode(te.encode('unseal-arXhive/v1\n' + 'x'.repeat(200)), 'not-a-backup');
  });

  it('a prefix of the magic line is truncated', async () => {
    for (const s of ['', 'u', 'unseal-archive', 'unseal-archive/', 'unseal-archive/v', 'unseal-archive/v1']) {
      await expectCode(te.encode(s), 'truncated');
    }
  });

  it('a newer version is unsupported-version [newer version]', async () => {
    const file = await sealBytes(rand(10));
    // v2 is the media version (read by this reader); an older, v1-only reader refuses it the same way.
    for (const v of ['v3', 'v4', 'v10', 'v999999999']) {
      const e = await expectCode(concat([te.encode(`unseal-archive/${v}\n`), file.subarray(18)]), 'unsupported-version');
      expect(e.detail.version).toBe(Number(v.slice(1)));
    }
    // A v3 file may have any layout after its magic line, even a short one.
    await expectCode(te.encode('unseal-archive/v3\n'), 'unsupported-version');
  });

  it('other version tokens are corrupt [bad version token]', async () => {
    const file = await sealBytes(rand(10));
    for (const v of ['v0', 'v01', 'V1', 'v1 ', 'x', '', 'v1.1', 'v-1']) {
      await expectCode(concat([te.encode(`unseal-archive/${v}\n`), file.subarray(18)]), 'corrupt', 'magic');
    }
    // No newline within 64 bytes.
    await expectCode(te.encode('unseal-archive/' + 'v'.repeat(100)), 'corrupt', 'magic');
  });
});

describe('header', () => {
  it('a file shorter than the header is truncated [short header]', async () => {
    const file = await sealBytes(rand(10));
    for (const n of [18, 19, 100, HEADER_BYTES - 1]) await expectCode(file.subarray(0, n), 'truncated');
  });

  it('every flipped bit in the header (after the magic line) is corrupt [every header bit]', async () => {
    const file = await sealBytes(rand(100));
    for (let i = 18; i < HEADER_BYTES; i++) {
      for (let b = 0; b < 8; b++) {
        const bad = file.slice();
        bad[i] ^= 1 << b;
        await expectCode(bad, 'corrupt', 'header-checksum');
      }
    }
  });

  it('absurd parameters are unsupported-version, refused before Argon2 runs [absurd parameters]', async () => {
    const file = await sealBytes(rand(10));
    const cases: [number, number, string][] = [
      [19, 0xffffffff, 'kdf-params'], // memory 4 TiB
      [19, 1024 * 1024 + 1, 'kdf-params'], // just over 1 GiB
      [19, 7, 'kdf-params'], // under 8·p KiB
      [23, 0, 'kdf-params'], // iterations 0
      [23, 11, 'kdf-params'],
      [23, 1_000_000, 'kdf-params'],
      [27, 0, 'kdf-params'], // parallelism 0
      [27, 5, 'kdf-params'],
      [47, 63, 'chunk-size'],
      [47, 0, 'chunk-size'],
      [47, 4 * 1024 * 1024 + 1, 'chunk-size'],
      [47, 0xffffffff, 'chunk-size'],
    ];
    for (const [offset, v, reason] of cases) {
      const t0 = performance.now();
      await expectCode(fixChecksum(setU32(file, offset, v)), 'unsupported-version', reason);
      expect(performance.now() - t0).toBeLessThan(200);
    }
    const kdf = file.slice();
    kdf[18] = 2;
    await expectCode(fixChecksum(kdf), 'unsupported-version', 'kdf');
  });

  it('the bounds themselves are accepted by the parser', async () => {
    const file = await sealBytes(rand(10));
    const edge = fixChecksum(setU32(setU32(setU32(setU32(file, 19, 1024 * 1024), 23, 10), 27, 4), 47, 4 * 1024 * 1024));
    const h = await readArchiveHeader(memSource(edge));
    expect(h.kdf).toEqual({ memoryKiB: 1024 * 1024, iterations: 10, parallelism: 4 });
    expect(h.chunkSize).toBe(4 * 1024 * 1024);
  });

  it('random bytes after a valid magic line give a typed error, never a hang', async () => {
    for (let i = 0; i < 200; i++) {
      const junk = concat([te.encode('unseal-archive/v1\n'), rand(i * 3)]);
      try {
        await readArchiveHeader(memSource(junk));
        throw new Error('parsed');
      } catch (e) {
        expect(isUnsealError(e) && ['corrupt', 'truncated'].includes(e.code)).toBe(true);
      }
    }
  });
});
