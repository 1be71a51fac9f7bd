/**
 * The MUSTs of docs/FORMATS.md "Unseal encrypted archive", one negative test each (names match
 * the brackets there). Small chunks (64 B) and Argon2 m = 64 KiB, t = 1 keep it fast.
 */
import { describe, expect, it } from 'vitest';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createArchiveWriter, openArchive, sealArchive } from '../../src/core/archive/stream';
import { HEADER_BYTES } from '../../src/core/archive/format';
import { deriveKey, type DeriveKey } from '../../src/core/archive/kdf';
import { isUnsealError } from '../../src/core/errors';
import {
  FAST_KDF, PASS, collect, concat, expectCode, fixChecksum, frames, memSource, nobleFrame, nobleKeys, openBytes, rand, sealBytes,
} from './helpers';

const C = 64;

describe('round trip', () => {
  it.each([0, 1, C - 1, C, C + 1, 3 * C, 3 * C + 5, 1000])('%i bytes', async (n) => {
    const payload = rand(n);
    const file = await sealBytes(payload);
    const chunks = Math.max(1, Math.ceil(n / C));
    expect(file.length).toBe(HEADER_BYTES + n + chunks * 17 + 8);
    expect(await openBytes(file)).toEqual(payload);
  });

  it('any input piece sizes give the same file as one piece (fixed salt and nonce prefix)', async () => {
    const payload = rand(500);
    const fixed = { salt: new Uint8Array(16).fill(1), noncePrefix: new Uint8Array(7).fill(2) };
    const one = await sealBytes(payload, fixed);
    const pieces = [payload.subarray(0, 1), payload.subarray(1, 1), payload.subarray(1, 200), payload.subarray(200, 264), payload.subarray(264)];
    expect(await sealBytes(pieces, fixed)).toEqual(one);
  });

  it('empty payload: one empty final frame, 179 bytes [empty payload]', async () => {
    const file = await sealBytes(new Uint8Array(0));
    expect(file.length).toBe(179);
    expect([...file.subarray(HEADER_BYTES, HEADER_BYTES + 9)]).toEqual([0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    const parts = await collect(openArchive(memSource(file), PASS));
    expect(parts).toHaveLength(1);
    expect(parts[0].length).toBe(0);
  });

  it('a payload of whole chunks ends with a full final frame, never an empty one', async () => {
    const file = await sealBytes(rand(2 * C));
    const { frames: f } = frames(file, C);
    expect(f.map((x) => x[0])).toEqual([0x00, 0xff]);
    expect(f[1].length).toBe(9 + C + 16);
  });

  it('yields each chunk only after it verified, and fails at the damaged one', async () => {
    const payload = rand(5 * C);
    const file = await sealBytes(payload);
    const bad = file.slice();
    bad[HEADER_BYTES + 2 * (C + 17) + 5] ^= 1; // inside chunk 2
    const got: Uint8Array[] = [];
    const err = await (async () => {
      try {
        for await (const p of openArchive(memSource(bad), PASS)) got.push(p);
      } catch (e) {
        return e;
      }
    })();
    expect(isUnsealError(err, 'corrupt')).toBe(true);
    expect(got).toHaveLength(2);
    expect(concat(got)).toEqual(payload.subarray(0, 2 * C));
  });
});

describe('passphrase', () => {
  it('wrong passphrase is wrong-passphrase, not corrupt [wrong passphrase]', async () => {
    const file = await sealBytes(rand(300));
    await expectCode(file, 'wrong-passphrase', undefined, 'correct horse battery stapl');
    await expectCode(file, 'wrong-passphrase', undefined, '');
    await expectCode(file, 'wrong-passphrase', undefined, PASS.toUpperCase());
  });

  it('NFC: composed and decomposed forms are the same passphrase', async () => {
    const composed = 'caf\u00e9 \u00c5ngstr\u00f6m';
    const decomposed = 'cafe\u0301 A\u030angstro\u0308m';
    const file = await sealBytes(rand(10), {}, composed);
    expect((await openBytes(file, decomposed)).length).toBe(10);
  });

  it('a given deriveKey (the app runs Argon2id in a worker of its own) is what derives the key, both ways', async () => {
    const calls: { passphrase: string; salt: Uint8Array; memoryKiB: number }[] = [];
    const derive: DeriveKey = (passphrase, salt, params) => {
      calls.push({ passphrase, salt: new Uint8Array(salt), memoryKiB: params.memoryKiB });
      return deriveKey(passphrase, salt, params);
    };
    const payload = rand(300);
    const file = await sealBytes(payload, { deriveKey: derive });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.passphrase).toBe(PASS);
    expect(calls[0]!.memoryKiB).toBe(FAST_KDF.memoryKiB);
    // The default (in this thread) opens it: the same key.
    expect(await openBytes(file)).toEqual(payload);
    expect(await openBytes(file, PASS, { deriveKey: derive })).toEqual(payload);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.salt).toEqual(calls[0]!.salt);
    // A derivation that gives another key is a wrong passphrase.
    const wrong: DeriveKey = async () => new Uint8Array(32).fill(7);
    await expect(openBytes(file, PASS, { deriveKey: wrong })).rejects.toSatisfy((e) => isUnsealError(e, 'wrong-passphrase'));
  });

  it('writers refuse an empty passphrase [empty passphrase]', async () => {
    await expect(createArchiveWriter('', { kdf: FAST_KDF })).rejects.toThrow(TypeError);
  });
});

describe('chunks', () => {
  const payload = rand(4 * C + 10); // frames 0..3 full, 4 final
  const filePromise = sealBytes(payload);

  it('reordered chunks are corrupt [reorder]', async () => {
    const { header, frames: f } = frames(await filePromise, C);
    await expectCode(concat([header, f[1], f[0], ...f.slice(2)]), 'corrupt', 'chunk-tag');
    await expectCode(concat([header, f[0], f[2], f[1], f[3], f[4]]), 'corrupt', 'chunk-tag');
  });

  it('a dropped chunk is corrupt; a dropped final chunk is truncated [drop]', async () => {
    const { header, frames: f } = frames(await filePromise, C);
    await expectCode(concat([header, f[0], ...f.slice(2)]), 'corrupt', 'chunk-tag');
    await expectCode(concat([header, ...f.slice(1)]), 'corrupt', 'chunk-tag');
    await expectCode(concat([header, ...f.slice(0, 4)]), 'truncated');
  });

  it('a duplicated chunk is corrupt [duplicate]', async () => {
    const { header, frames: f } = frames(await filePromise, C);
    await expectCode(concat([header, f[0], f[0], ...f.slice(1)]), 'corrupt', 'chunk-tag');
    await expectCode(concat([header, ...f.slice(0, 3), f[2], f[3], f[4]]), 'corrupt', 'chunk-tag');
  });

  it('a chunk from another file (same passphrase) is corrupt', async () => {
    const other = frames(await sealBytes(payload), C);
    const { header, frames: f } = frames(await filePromise, C);
    await expectCode(concat([header, f[0], other.frames[1], ...f.slice(2)]), 'corrupt', 'chunk-tag');
  });

  it('cut at every byte (every frame boundary included) is truncated [cut at every boundary]', async () => {
    const file = await filePromise;
    for (let n = 0; n < file.length; n++) {
      const e = await expectCode(file.subarray(0, n), 'truncated');
      expect(e.code).toBe('truncated');
    }
  });

  it('bytes after the final frame are corrupt [trailing data]', async () => {
    const file = await filePromise;
    const { frames: f } = frames(file, C);
    await expectCode(concat([file, new Uint8Array([0])]), 'corrupt', 'trailing-data');
    await expectCode(concat([file, rand(100)]), 'corrupt', 'trailing-data');
    await expectCode(concat([file, f[4]]), 'corrupt', 'trailing-data');
    const empty = await sealBytes(new Uint8Array(0));
    await expectCode(concat([empty, new Uint8Array(1)]), 'corrupt', 'trailing-data');
  });

  it('a marker other than 00 / FF is corrupt', async () => {
    const file = (await filePromise).slice();
    file[HEADER_BYTES] = 0x01;
    await expectCode(file, 'corrupt', 'marker');
    const f2 = (await filePromise).slice();
    f2[HEADER_BYTES + 4 * (C + 17)] = 0xfe;
    await expectCode(f2, 'corrupt', 'marker');
  });

  it('final length words that disagree, or n > C, are corrupt', async () => {
    const file = await filePromise;
    const at = HEADER_BYTES + 4 * (C + 17);
    const a = file.slice();
    a[at + 4] ^= 1;
    await expectCode(a, 'corrupt', 'final-length');
    const b = file.slice();
    new DataView(b.buffer).setUint32(at + 1, C + 1);
    new DataView(b.buffer).setUint32(at + 5, ~(C + 1) >>> 0);
    await expectCode(b, 'corrupt', 'final-length');
  });

  it('a final frame whose marker says final but was sealed non-final is corrupt (the flag is in the nonce)', async () => {
    // Chunk 3 is full; rewrite it as a final frame of C bytes and drop chunk 4.
    const { header, frames: f } = frames(await filePromise, C);
    const head = new Uint8Array(9);
    head[0] = 0xff;
    new DataView(head.buffer).setUint32(1, C);
    new DataView(head.buffer).setUint32(5, ~C >>> 0);
    await expectCode(concat([header, ...f.slice(0, 3), head, f[3].subarray(1)]), 'corrupt', 'chunk-tag');
  });

  it('an empty final chunk after data is corrupt, even when its tag is right [empty final chunk after data]', async () => {
    const salt = new Uint8Array(16).fill(7);
    const noncePrefix = new Uint8Array(7).fill(9);
    const file = await sealBytes(rand(C), { salt, noncePrefix });
    const keys = nobleKeys(PASS, salt, FAST_KDF);
    const chunk0 = rand(C);
    const crafted = concat([
      file.subarray(0, HEADER_BYTES),
      nobleFrame(keys.payload, noncePrefix, 0, false, chunk0),
      nobleFrame(keys.payload, noncePrefix, 1, true, new Uint8Array(0)),
    ]);
    await expectCode(crafted, 'corrupt', 'empty-final');
    // The same frames with a non-empty final chunk open: the crafting is right.
    const ok = concat([
      file.subarray(0, HEADER_BYTES),
      nobleFrame(keys.payload, noncePrefix, 0, false, chunk0),
      nobleFrame(keys.payload, noncePrefix, 1, true, new Uint8Array([1, 2, 3])),
    ]);
    expect(await openBytes(ok)).toEqual(concat([chunk0, new Uint8Array([1, 2, 3])]));
  });
});

describe('header', () => {
  it('a header rewritten with a valid checksum but without the MAC key is corrupt [forged header]', async () => {
    const file = await sealBytes(rand(200));
    const forged = file.slice();
    forged[51] ^= 0x80; // nonce prefix
    await expectCode(fixChecksum(forged), 'corrupt', 'header-mac');
    const chunk = file.slice();
    new DataView(chunk.buffer).setUint32(47, 128); // chunk size
    await expectCode(fixChecksum(chunk), 'corrupt', 'header-mac');
  });

  it('the header MAC is HMAC-SHA-256 under K_mac over bytes 0..89 (noble)', async () => {
    const salt = new Uint8Array(16).fill(3);
    const file = await sealBytes(rand(10), { salt });
    const keys = nobleKeys(PASS, salt, FAST_KDF);
    expect(file.subarray(58, 90)).toEqual(keys.check);
    expect(file.subarray(90, 122)).toEqual(hmac(sha256, keys.mac, file.subarray(0, 90)));
    expect(file.subarray(122, 154)).toEqual(sha256(file.subarray(0, 122)));
  });
});

describe('writer API', () => {
  it('enforces chunk sizes, a single final chunk, and no empty final chunk after data', async () => {
    const w = await createArchiveWriter(PASS, { kdf: FAST_KDF, chunkSize: C });
    await expect(w.seal(new Uint8Array(C - 1), false)).rejects.toThrow(RangeError);
    await expect(w.seal(new Uint8Array(C + 1), true)).rejects.toThrow(RangeError);
    await w.seal(new Uint8Array(C), false);
    await expect(w.seal(new Uint8Array(0), true)).rejects.toThrow(RangeError);
    await w.seal(new Uint8Array(1), true);
    await expect(w.seal(new Uint8Array(1), true)).rejects.toThrow(/already/);
  });

  it('takes each chunk at the call: seals started together, buffer refilled in between, open to the bytes given', async () => {
    const w = await createArchiveWriter(PASS, { kdf: FAST_KDF, chunkSize: C });
    const buf = new Uint8Array(C);
    const payload = rand(3 * C + 7);
    const pending: Promise<Uint8Array[]>[] = [];
    for (let i = 0; i < 3; i++) {
      buf.set(payload.subarray(i * C, (i + 1) * C));
      pending.push(w.seal(buf, false));
    }
    buf.fill(0xee); // overwritten before any frame resolved
    pending.push(w.seal(payload.subarray(3 * C), true));
    const file = concat([w.header, ...(await Promise.all(pending)).flat()]);
    expect(await openBytes(file)).toEqual(payload);
  });

  it('refuses out-of-bounds parameters', async () => {
    await expect(createArchiveWriter(PASS, { kdf: FAST_KDF, chunkSize: 63 })).rejects.toThrow(RangeError);
    await expect(createArchiveWriter(PASS, { kdf: FAST_KDF, chunkSize: 4 * 1024 * 1024 + 1 })).rejects.toThrow(RangeError);
    await expect(createArchiveWriter(PASS, { kdf: { ...FAST_KDF, iterations: 11 } })).rejects.toThrow(RangeError);
    await expect(createArchiveWriter(PASS, { kdf: { ...FAST_KDF, parallelism: 5 } })).rejects.toThrow(RangeError);
    await expect(createArchiveWriter(PASS, { kdf: { memoryKiB: 15, iterations: 1, parallelism: 2 } })).rejects.toThrow(RangeError);
  });

  it('uses fresh random salt and nonce prefix per file', async () => {
    const a = await sealBytes(new Uint8Array(0));
    const b = await sealBytes(new Uint8Array(0));
    expect(a.subarray(31, 47)).not.toEqual(b.subarray(31, 47));
    expect(a.subarray(51, 58)).not.toEqual(b.subarray(51, 58));
  });

  it('defaults: m = 64 MiB, t = 3, p = 1, 1 MiB chunks', async () => {
    const w = await createArchiveWriter(PASS);
    const dv = new DataView(w.header.buffer, w.header.byteOffset);
    expect([dv.getUint32(19), dv.getUint32(23), dv.getUint32(27), dv.getUint32(47)]).toEqual([65536, 3, 1, 1048576]);
  });
});

describe('cancel', () => {
  it('an aborted signal is cancelled, for sealing and opening', async () => {
    const ac = new AbortController();
    ac.abort();
    const file = await sealBytes(rand(300));
    await expect(collect(openArchive(memSource(file), PASS, { signal: ac.signal }))).rejects.toMatchObject({ code: 'cancelled' });
    await expect(collect(sealArchive([rand(300)], PASS, { kdf: FAST_KDF, chunkSize: C, signal: ac.signal }))).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('aborting between chunks stops the reader', async () => {
    const ac = new AbortController();
    const file = await sealBytes(rand(10 * C));
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of openArchive(memSource(file), PASS, { signal: ac.signal })) if (++n === 3) ac.abort();
      })(),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(n).toBe(3);
  });

  it('reports progress up to the file size', async () => {
    const file = await sealBytes(rand(5 * C));
    const seen: number[] = [];
    await openBytes(file, PASS, { onProgress: (done, total) => (expect(total).toBe(file.length), seen.push(done)) });
    expect(seen[0]).toBe(HEADER_BYTES);
    expect(seen.at(-1)).toBe(file.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
