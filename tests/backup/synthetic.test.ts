/**
 * Bigger backups built here with node:zlib + node:crypto (aes-256-gcm, 16-byte IV), wrapped in
 * a crypt15 header written by this test (spec §5), decrypted through the streaming path with
 * small chunks.
 */
import { describe, expect, it } from 'vitest';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { deriveCrypt15Key } from '../../src/core/backup/hkdf';
import { parseHeader } from '../../src/core/backup/header';
import { decryptAll, failureCode, sha256 } from './helpers';

const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
};
const bytesField = (no: number, v: Uint8Array | number[]) => [...varint((no << 3) | 2), ...varint(v.length), ...v];
const varintField = (no: number, v: number) => [...varint(no << 3), ...varint(v)];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function crypt15Header(iv: Uint8Array, opts: { msgstore: boolean; appVersion?: string }): Uint8Array {
  const info = [...bytesField(1, ascii(opts.appVersion ?? '2.24.8.85')), ...bytesField(3, ascii('42'))];
  if (opts.msgstore) {
    info.push(...varintField(4, 1));
    for (let f = 5; f <= 39; f++) if (f !== 38) info.push(...varintField(f, 1));
  }
  const body = [...varintField(1, 1), ...bytesField(3, bytesField(1, iv)), ...bytesField(4, info)];
  return new Uint8Array([...varint(body.length), ...body]);
}

/** SQLite-looking bytes: a real header line, then pages of repetitive text with some noise. */
function fakeSqlite(size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(ascii('SQLite format 3\0'));
  const words = ['hello', 'tomorrow', 'ok', '👍', 'see you at 8', 'photo', 'call me', 'ja', 'שלום', 'привет'];
  const enc = new TextEncoder();
  let pos = 100;
  let seed = 12345;
  while (pos < size) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const w = enc.encode(words[seed % words.length] + ' ');
    out.set(w.subarray(0, Math.max(0, Math.min(w.length, size - pos))), pos);
    pos += w.length;
    if (seed % 3 === 0 && pos + 16 < size) {
      out.set(randomBytes(16), pos);
      pos += 16;
    }
  }
  return out;
}

async function buildCrypt15(root: Uint8Array, payload: Uint8Array, opts: { md5: boolean; msgstore: boolean; appVersion?: string }) {
  const key = await deriveCrypt15Key(root);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(deflateSync(payload, { level: 1 })), c.final()]);
  const withTag = Buffer.concat([crypt15Header(iv, opts), ct, c.getAuthTag()]);
  return new Uint8Array(opts.md5 ? Buffer.concat([withTag, createHash('md5').update(withTag).digest()]) : withTag);
}

describe('synthetic crypt15', () => {
  const root = new Uint8Array(randomBytes(32));
  const key = { kind: 'crypt15' as const, root };

  it('6 MiB database, 64 KiB chunks, MD5 footer', async () => {
    const db = fakeSqlite(6 << 20);
    const file = await buildCrypt15(root, db, { md5: true, msgstore: true });
    const t0 = performance.now();
    const { info, out } = await decryptAll(file, key, { chunkSize: 64 << 10 });
    const ms = performance.now() - t0;
    expect(sha256(out)).toBe(sha256(db));
    expect(info).toMatchObject({ format: 'crypt15', md5: 'ok', bytesOut: db.length, bytesIn: file.length, appVersion: '2.24.8.85', jidSuffix: '42' });
    console.log(`synthetic crypt15: ${(file.length / 2 ** 20).toFixed(2)} MiB in, ${(db.length / 2 ** 20).toFixed(0)} MiB out, ${ms.toFixed(0)} ms`);
    // the same through odd chunk boundaries relative to the data start
    const again = await decryptAll(file, key, { chunkSize: 4096 + 16 });
    expect(sha256(again.out)).toBe(sha256(db));
    // a flipped bit in the middle → corrupt; cut in the middle → truncated
    const flipped = file.slice();
    flipped[file.length >> 1] ^= 4;
    expect(await failureCode(flipped, key, { chunkSize: 64 << 10 })).toBe('corrupt');
    expect(await failureCode(file.subarray(0, file.length - 1000), key, { chunkSize: 64 << 10 })).toBe('truncated');
    expect(await failureCode(file.subarray(0, file.length - 16), key, { chunkSize: 64 << 10 })).toBe('truncated');
  });

  it('no MD5 footer (non-msgstore shape) → md5 absent', async () => {
    const db = fakeSqlite(300_000);
    const file = await buildCrypt15(root, db, { md5: false, msgstore: false });
    const { info, out } = await decryptAll(file, key, { chunkSize: 1024 });
    expect(sha256(out)).toBe(sha256(db));
    expect(info.md5).toBe('absent');
  });

  it('protobuf length ≥ 256 (varint second byte 0x02: only the varint reading works)', async () => {
    const db = fakeSqlite(50_000);
    const file = await buildCrypt15(root, db, { md5: true, msgstore: true, appVersion: '2.'.repeat(80) + '1' });
    const h = parseHeader(file, file.length);
    expect(file[1]).toBe(2);
    expect(h.protobufLength).toBeGreaterThanOrEqual(256);
    const { out } = await decryptAll(file, key, { chunkSize: 512 });
    expect(sha256(out)).toBe(sha256(db));
  });
});
