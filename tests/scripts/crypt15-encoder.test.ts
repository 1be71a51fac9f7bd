/**
 * Cross-checks of the dev-only crypt15 encoder (scripts/lib/crypt15.ts) against the fixture made by
 * ElDavoo/wa-crypt-tools and against the independent Python oracle (shared/tools/wabackup.py).
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deriveCrypt15Key,
  encodeCrypt15Header,
  encryptCrypt15,
  encryptCrypt15ToFile,
  parseHexKey,
} from '../../scripts/lib/crypt15';
import { SHARED, sharedBytes, sharedText } from '../shared';

const FIXTURE = sharedBytes('fixtures/backups/msgstore.db.crypt15');
const PLAIN = sharedBytes('fixtures/backups/plain.db');
const ROOT = parseHexKey(sharedText('fixtures/backups/crypt15-key.txt'));
const IV = new Uint8Array(Buffer.from('d762e5a8601b249eb8593124960015ce', 'hex'));
const FIXTURE_HEADER = { iv: IV, appVersion: '2.24.8.85', jidSuffix: '42', backupVersion: 1 } as const;
const ORACLE = resolve(SHARED, 'tools/wabackup.py');

const tmp = mkdtempSync(join(tmpdir(), 'unseal-crypt15-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fixture's zlib stream, recovered with node:crypto (data at 134, tag at N-32). */
function fixtureZlibStream(): Uint8Array {
  const n = FIXTURE.length;
  const d = createDecipheriv('aes-256-gcm', deriveCrypt15Key(ROOT), IV);
  d.setAuthTag(FIXTURE.subarray(n - 32, n - 16));
  return new Uint8Array(Buffer.concat([d.update(FIXTURE.subarray(134, n - 32)), d.final()]));
}

function oracleDecrypt(file: string, key: string): Uint8Array {
  const out = join(tmp, `oracle-${Math.random().toString(36).slice(2)}.db`);
  execFileSync('python3', [ORACLE, 'decrypt', '--key', key, file, out], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(out));
}

describe('crypt15 encoder', () => {
  it('derives the HKDF test vector of spec §3.5', () => {
    expect(deriveCrypt15Key(ROOT).toString('hex')).toBe('efdb2823a98af366d8013c4806e353378781e14ad96239f540454a015d8640f6');
  });

  it('writes the fixture header byte for byte (prefix 84 01, L = 132, data at 134)', () => {
    const h = encodeCrypt15Header(FIXTURE_HEADER);
    expect(h.length).toBe(134);
    expect(Buffer.from(h.subarray(0, 2)).toString('hex')).toBe('8401');
    expect(Buffer.from(h).equals(Buffer.from(FIXTURE.subarray(0, 134)))).toBe(true);
  });

  it('uses a 1-byte varint prefix for short headers (no features)', () => {
    const h = encodeCrypt15Header({ iv: IV, features: [] });
    expect(h[0]).toBe(h.length - 1);
    expect(h[0]).toBeLessThan(128);
  });

  it('reproduces msgstore.db.crypt15 byte for byte from its zlib stream (header + ciphertext + tag + MD5)', async () => {
    const z = fixtureZlibStream();
    expect(Buffer.from(inflateSync(z)).equals(Buffer.from(PLAIN))).toBe(true);
    const { bytes, stats } = await encryptCrypt15(z, { ...FIXTURE_HEADER, rootKey: ROOT, precompressed: true });
    expect(stats.outputBytes).toBe(FIXTURE.length);
    expect(bytes.length).toBe(897);
    expect(Buffer.from(bytes).equals(Buffer.from(FIXTURE))).toBe(true);
  });

  it('compresses plain.db itself (level 1, 78 01) into a file the Python oracle opens', async () => {
    const { bytes, stats } = await encryptCrypt15(PLAIN, { ...FIXTURE_HEADER, rootKey: ROOT });
    expect(stats.inputBytes).toBe(PLAIN.length);
    const n = bytes.length;
    // Same header as the fixture; MD5 covers everything before it.
    expect(Buffer.from(bytes.subarray(0, 134)).equals(Buffer.from(FIXTURE.subarray(0, 134)))).toBe(true);
    expect(createHash('md5').update(bytes.subarray(0, n - 16)).digest().equals(Buffer.from(bytes.subarray(n - 16)))).toBe(true);
    const d = createDecipheriv('aes-256-gcm', deriveCrypt15Key(ROOT), IV);
    d.setAuthTag(bytes.subarray(n - 32, n - 16));
    const z = Buffer.concat([d.update(bytes.subarray(134, n - 32)), d.final()]);
    expect(z.subarray(0, 2).toString('hex')).toBe('7801');
    const file = join(tmp, 'plain.crypt15');
    writeFileSync(file, bytes);
    expect(Buffer.from(oracleDecrypt(file, Buffer.from(ROOT).toString('hex'))).equals(Buffer.from(PLAIN))).toBe(true);
  });

  it('streams to a file with the same bytes as the in-memory encoder', async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7919) % 251);
    const opts = { ...FIXTURE_HEADER, rootKey: ROOT };
    const file = join(tmp, 'big.crypt15');
    const stats = await encryptCrypt15ToFile(big, file, opts);
    const onDisk = readFileSync(file);
    expect(stats.outputBytes).toBe(onDisk.length);
    const { bytes } = await encryptCrypt15(big, opts);
    expect(onDisk.equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(oracleDecrypt(file, Buffer.from(ROOT).toString('hex'))).equals(Buffer.from(big))).toBe(true);
  });

  it('is rejected by the oracle under the wrong key (GCM tag really covers the ciphertext)', async () => {
    const { bytes } = await encryptCrypt15(PLAIN, { ...FIXTURE_HEADER, rootKey: ROOT });
    const file = join(tmp, 'wrong.crypt15');
    writeFileSync(file, bytes);
    const wrong = sharedText('fixtures/backups/negative/wrong-crypt15-key.txt').trim();
    expect(() => oracleDecrypt(file, wrong)).toThrow();
  });
});
