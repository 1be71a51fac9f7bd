import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gcm } from '@noble/ciphers/aes.js';
import { createCipheriv } from 'node:crypto';
import { createGcmDecryptor, ctrPeek } from '../../src/core/backup/gcm-stream';

function rand(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

async function streamDecrypt(key: Uint8Array, iv: Uint8Array, ct: Uint8Array, sizes: number[]) {
  const d = await createGcmDecryptor(key, iv);
  const parts: Uint8Array[] = [];
  let pos = 0;
  let i = 0;
  while (pos < ct.length) {
    const n = Math.min(sizes[i++ % sizes.length], ct.length - pos);
    parts.push(await d.update(ct.subarray(pos, pos + n)));
    pos += n;
  }
  const out = new Uint8Array(ct.length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { out, d };
}

describe('streaming AES-GCM vs @noble/ciphers', () => {
  it('matches on random keys, 12- and 16-byte IVs, any lengths and chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(12, 16, 8, 20),
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (ivLen, len, sizes, aligned) => {
          const key = rand(32);
          const iv = rand(ivLen);
          const pt = rand(len);
          const sealed = gcm(key, iv).encrypt(pt);
          const ct = sealed.subarray(0, len);
          const tag = sealed.subarray(len);
          const chunking = aligned ? sizes.map((s) => Math.max(16, s - (s % 16))) : sizes;
          const { out, d } = await streamDecrypt(key, iv, ct, chunking);
          expect(out).toEqual(pt);
          expect(await d.tag()).toEqual(tag);
          expect(await d.verify(tag)).toBe(true);
          const bad = tag.slice();
          bad[len % 16] ^= 1 << len % 8;
          expect(await d.verify(bad)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('detects a flipped ciphertext bit', async () => {
    const key = rand(32);
    const iv = rand(16);
    const pt = rand(5000);
    const sealed = gcm(key, iv).encrypt(pt);
    const ct = sealed.slice(0, 5000);
    ct[1234] ^= 0x10;
    const { d } = await streamDecrypt(key, iv, ct, [1024]);
    expect(await d.verify(sealed.subarray(5000))).toBe(false);
  });

  it('tag() is non-destructive: tag of a prefix, then of the whole', async () => {
    const key = rand(32);
    const iv = rand(16);
    const pt = rand(1000);
    const whole = gcm(key, iv).encrypt(pt);
    const prefix = gcm(key, iv).encrypt(pt.subarray(0, 983));
    const d = await createGcmDecryptor(key, iv);
    await d.update(whole.subarray(0, 983));
    expect(await d.tag()).toEqual(prefix.subarray(983));
    await d.update(whole.subarray(983, 1000));
    expect(await d.tag()).toEqual(whole.subarray(1000));
  });

  it('empty plaintext', async () => {
    const key = rand(32);
    const iv = rand(16);
    const d = await createGcmDecryptor(key, iv);
    expect(await d.tag()).toEqual(gcm(key, iv).encrypt(new Uint8Array(0)));
  });

  it('ctrPeek gives the first plaintext bytes', async () => {
    const key = rand(32);
    for (const ivLen of [12, 16]) {
      const iv = rand(ivLen);
      const pt = rand(100);
      const ct = gcm(key, iv).encrypt(pt).subarray(0, 100);
      expect(await ctrPeek(key, iv, ct.subarray(0, 64))).toEqual(pt.subarray(0, 64));
    }
  });

  it('WebCrypto AES-CTR with length 32 wraps the low 32 bits like GCM inc32', async () => {
    // A 16-byte IV's J0 is a hash, so a J0 near the wrap cannot be chosen; the decryptor's own
    // counter arithmetic is tested in sniff.test.ts (counterAt). Here: the WebCrypto half,
    // against noble's AES-ECB on the explicit counter blocks …fffffffe, …ffffffff, …0, …1.
    const key = rand(32);
    const ck = await crypto.subtle.importKey('raw', key, 'AES-CTR', false, ['encrypt']);
    const counter = rand(16);
    counter.set([0xff, 0xff, 0xff, 0xfe], 12);
    const ks = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CTR', counter, length: 32 }, ck, new Uint8Array(64)));
    const { ecb } = await import('@noble/ciphers/aes.js');
    const blocks = new Uint8Array(64);
    for (let i = 0; i < 4; i++) {
      blocks.set(counter.subarray(0, 12), i * 16);
      const lo = (0xfffffffe + i) >>> 0;
      blocks.set([lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255], i * 16 + 12);
    }
    const expected = ecb(key, { disablePadding: true }).encrypt(blocks);
    expect(ks).toEqual(expected);
  });

  it('large: 8 MiB in 1 MiB chunks with a 16-byte IV (node:crypto as the reference)', async () => {
    const key = rand(32);
    const iv = rand(16);
    const pt = rand(8 << 20);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(pt), c.final()]);
    const t0 = performance.now();
    const { out, d } = await streamDecrypt(key, iv, ct, [1 << 20]);
    const ms = performance.now() - t0;
    expect(Buffer.from(out.buffer, out.byteOffset, out.length).equals(Buffer.from(pt))).toBe(true);
    expect(await d.verify(c.getAuthTag())).toBe(true);
    console.log(`streaming GCM: 8 MiB in ${ms.toFixed(0)} ms`);
  });
});
