/**
 * Committed test vectors (tests/archive/vectors/, made by make.ts with @noble only; see its
 * README) checked byte for byte against our writer, opened by our reader, and the writer
 * cross-checked against the @noble construction on random inputs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { RecordChecker, decodeRecords, encodeRecord } from '../../src/core/archive/records';
import { openArchive, readArchiveHeader } from '../../src/core/archive/stream';
import { concat, expectCode, memSource, nobleArchive, openBytes, sealBytes } from './helpers';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'vectors');
interface Vector {
  name: string;
  file: string;
  passphrase: string;
  kdf: { memoryKiB: number; iterations: number; parallelism: number };
  chunkSize: number;
  salt: string;
  noncePrefix: string;
  plaintext: string;
  size: number;
  sha256: string;
}
const vectors: Vector[] = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8'));
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(vectors.map((v) => [v.name, v] as const))('vector %s', (_name, v) => {
  const file = new Uint8Array(readFileSync(join(dir, v.file)));
  const plaintext = fromHex(v.plaintext);
  const opts = { kdf: v.kdf, chunkSize: v.chunkSize, salt: fromHex(v.salt), noncePrefix: fromHex(v.noncePrefix) };

  it('is the committed file', () => {
    expect(file.length).toBe(v.size);
    expect(hex(sha256(file))).toBe(v.sha256);
  });

  it('our writer makes exactly these bytes', async () => {
    expect(hex(await sealBytes(plaintext, opts, v.passphrase))).toBe(hex(file));
  });

  it('our reader opens it to the plaintext, and the header reads back', async () => {
    expect(hex(await openBytes(file, v.passphrase))).toBe(v.plaintext);
    const h = await readArchiveHeader(memSource(file));
    expect(h.kdf).toEqual(v.kdf);
    expect(h.chunkSize).toBe(v.chunkSize);
    expect(hex(h.salt)).toBe(v.salt);
    expect(hex(h.noncePrefix)).toBe(v.noncePrefix);
  });

  it('negative: wrong passphrase, every cut, trailing byte, a flipped bit in each frame', async () => {
    await expectCode(file, 'wrong-passphrase', undefined, v.passphrase + ' ');
    for (let n = 0; n < file.length; n++) await expectCode(file.subarray(0, n), 'truncated', undefined, v.passphrase);
    await expectCode(concat([file, new Uint8Array(1)]), 'corrupt', 'trailing-data', v.passphrase);
    for (let i = 154; i < file.length; i += 37) {
      const bad = file.slice();
      bad[i] ^= 0x10;
      await expectCode(bad, 'corrupt', undefined, v.passphrase);
    }
  });
});

describe('records-small vector', () => {
  it('decodes to a valid tiny library whose re-encoding is the payload', async () => {
    const v = vectors.find((x) => x.name === 'records-small')!;
    const file = new Uint8Array(readFileSync(join(dir, v.file)));
    const checker = new RecordChecker();
    const records = [];
    for await (const r of decodeRecords(openArchive(memSource(file), v.passphrase))) {
      checker.accept(r);
      records.push(r);
    }
    checker.finish();
    expect(records.map((r) => r.type)).toEqual(['library', 'chat', 'page', 'end']);
    const page = records[2];
    if (page.type !== 'page') throw new Error('not a page');
    expect(page.messages[0].text).toBe('Hallo 👋 wie geht’s?');
    expect(page.messages[1].media?.thumbnail).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
    expect(hex(concat(records.map((r) => encodeRecord(r))))).toBe(v.plaintext);
  });
});

describe('writer = @noble construction', () => {
  it('on random passphrases, parameters, chunk sizes, salts, prefixes and payloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.record({ memoryKiB: fc.constantFrom(16, 64, 100), iterations: fc.integer({ min: 1, max: 2 }), parallelism: fc.integer({ min: 1, max: 2 }) }),
        fc.integer({ min: 64, max: 300 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 7, maxLength: 7 }),
        fc.uint8Array({ maxLength: 1500 }),
        async (passphrase, kdf, chunkSize, salt, noncePrefix, plaintext) => {
          const ours = await sealBytes(plaintext, { kdf, chunkSize, salt, noncePrefix }, passphrase);
          expect(hex(ours)).toBe(hex(nobleArchive({ passphrase, kdf, chunkSize, salt, noncePrefix, plaintext })));
        },
      ),
      { numRuns: 40 },
    );
  });
});
