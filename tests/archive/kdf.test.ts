/** kdf.ts: hash-wasm Argon2id vs @noble/hashes, HKDF subkeys vs noble, NFC, boundary asserts. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { deriveKey, passphraseBytes, splitKeys } from '../../src/core/archive/kdf';
import { nobleKeys } from './helpers';

describe('deriveKey (hash-wasm) = @noble/hashes argon2id', () => {
  const grid: [number, number, number][] = [];
  for (const m of [8, 16, 64, 256]) for (const t of [1, 2, 3]) for (const p of [1, 2]) if (m >= 8 * p) grid.push([m, t, p]);

  it.each(grid)('m=%i KiB t=%i p=%i', async (m, t, p) => {
    for (const [pw, salt] of [
      ['password', new Uint8Array(16).fill(2)],
      ['', new Uint8Array(8)],
      ['pässwörd 🔑', Uint8Array.from({ length: 32 }, (_, i) => i)],
    ] as const) {
      const params = { memoryKiB: m, iterations: t, parallelism: p };
      const want = nobleArgon2id(new TextEncoder().encode(pw.normalize('NFC')), salt, { m, t, p, dkLen: 32 });
      if (pw === '') {
        await expect(deriveKey(pw, salt, params)).rejects.toThrow(TypeError);
        continue;
      }
      expect(await deriveKey(pw, salt, params)).toEqual(want);
    }
  });

  it('random passwords and salts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.uint8Array({ minLength: 8, maxLength: 64 }), fc.constantFrom(8, 32, 100), fc.integer({ min: 1, max: 2 }), async (pw, salt, m, t) => {
        const want = nobleArgon2id(new TextEncoder().encode(pw.normalize('NFC')), salt, { m, t, p: 1, dkLen: 32 });
        expect(await deriveKey(pw, salt, { memoryKiB: m, iterations: t, parallelism: 1 })).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });

  it('four lanes (m=32 KiB t=3 p=4) match noble', async () => {
    const salt = new Uint8Array(16).fill(2);
    const want = nobleArgon2id(new Uint8Array(32).fill(1), salt, { m: 32, t: 3, p: 4, dkLen: 32 });
    expect(await deriveKey('\u0001'.repeat(32), salt, { memoryKiB: 32, iterations: 3, parallelism: 4 })).toEqual(want);
  });
});

describe('passphrase handling', () => {
  it('NFC then UTF-8 [NFC]', () => {
    expect(passphraseBytes('e\u0301')).toEqual(new Uint8Array([0xc3, 0xa9]));
    expect(passphraseBytes('\u212b')).toEqual(passphraseBytes('\u00c5')); // Ångström sign → Å
    expect(passphraseBytes(' a ')).toEqual(new Uint8Array([0x20, 0x61, 0x20])); // no trimming
  });

  it('rejects bad arguments at the boundary', async () => {
    const ok = { memoryKiB: 8, iterations: 1, parallelism: 1 };
    await expect(deriveKey('pw', new Uint8Array(7), ok)).rejects.toThrow(/salt/);
    await expect(deriveKey('pw', new Uint8Array(65), ok)).rejects.toThrow(/salt/);
    await expect(deriveKey('pw', new Uint8Array(16), { ...ok, memoryKiB: 7 })).rejects.toThrow(RangeError);
    await expect(deriveKey('pw', new Uint8Array(16), { ...ok, memoryKiB: 2 * 1024 * 1024 })).rejects.toThrow(RangeError);
    await expect(deriveKey('pw', new Uint8Array(16), { ...ok, iterations: 0 })).rejects.toThrow(RangeError);
    await expect(deriveKey('pw', new Uint8Array(16), { ...ok, parallelism: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('subkeys', () => {
  it('splitKeys = HKDF-SHA-256 with the three labels (noble), and zeroes its input', async () => {
    const salt = new Uint8Array(16).fill(5);
    const params = { memoryKiB: 64, iterations: 1, parallelism: 1 };
    const want = nobleKeys('pw', salt, params);
    const ikm = await deriveKey('pw', salt, params);
    expect(ikm).toEqual(want.ikm);
    const keys = await splitKeys(ikm);
    expect(ikm).toEqual(new Uint8Array(32));
    expect(keys.check).toEqual(want.check);
    expect(keys.mac.extractable).toBe(false);
    expect(keys.payload.extractable).toBe(false);
    expect(keys.payload.algorithm.name).toBe('AES-GCM');
    // Distinct labels, distinct keys.
    expect(want.check).not.toEqual(want.mac);
    expect(want.mac).not.toEqual(want.payload);
  });
});
