/**
 * Streaming AES-GCM decryption on top of WebCrypto (NIST SP 800-38D).
 *
 * WebCrypto's AES-GCM is one-shot: the whole ciphertext in memory (≈4× the file) and inputs of
 * 2 GiB or more refused. This module splits GCM into its two halves, both run by WebCrypto:
 *  - the keystream: AES-CTR from inc32(J0), `length: 32`, so only the low 32 bits count and
 *    wrap exactly like GCM's inc32 (checked in tests/backup/gcm-stream.test.ts);
 *  - GHASH: AES-GCM used as a GHASH engine. Encrypting an empty plaintext with the chunk D as
 *    additionalData under IV 0^96 gives T = E_K(0^96‖1) ⊕ GHASH(D ‖ [|D|]_64 ‖ 0^64), so
 *    T ⊕ E_K(0^96‖1) ⊕ L·H = GHASH(D)·H. Chunks are joined with Horner steps
 *    acc = acc·H^blocks(D) ⊕ GHASH(D)·H (BigInt GF(2^128) multiplies, H^n cached).
 * See shared/bench/README.md §1 ("How the streaming GHASH trick works"), measured ≈250 MiB/s.
 *
 * No additional authenticated data is supported (WhatsApp backups have none).
 * `update` accepts chunks of any length; keeping them multiples of 16 (except the last) avoids
 * copying. Plaintext is returned before the tag is checked: callers must not trust it until
 * `verify` says true.
 */

import { ab, concatBytes, equalBytesCt } from './bytes';

const R = 0xe1n << 120n;
const MASK128 = (1n << 128n) - 1n;

function toBig(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = 0; i < 16; i++) x = (x << 8n) | BigInt(b[i] ?? 0);
  return x;
}

function fromBig(x: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Multiply in GF(2^128) with GCM's bit order (block bytes read big-endian). */
export function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = x;
  for (let i = 127n; i >= 0n; i--) {
    if ((y >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z & MASK128;
}

/** One 16-byte AES block E_K(x), via a single-block CTR call. */
async function aesBlock(ctrKey: CryptoKey, x: Uint8Array): Promise<Uint8Array> {
  const out = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: ab(x), length: 32 }, ctrKey, new Uint8Array(16));
  return new Uint8Array(out);
}

/** GHASH over whole 16-byte blocks, done in BigInt (for short inputs: J0, tails). */
function ghashSmall(h: bigint, y: bigint, data: Uint8Array): bigint {
  for (let i = 0; i < data.length; i += 16) y = gfMul(y ^ toBig(data.subarray(i, i + 16)), h);
  return y;
}

function lengthBlock(aadBytes: number, ctBytes: number): bigint {
  return (BigInt(aadBytes) * 8n << 64n) | (BigInt(ctBytes) * 8n);
}

/** The pre-counter block J0 for an IV of any length (12 bytes: IV ‖ 0^31 ‖ 1). */
function computeJ0(h: bigint, iv: Uint8Array): Uint8Array {
  if (iv.length === 12) {
    const j0 = new Uint8Array(16);
    j0.set(iv);
    j0[15] = 1;
    return j0;
  }
  const padded = new Uint8Array(Math.ceil(iv.length / 16) * 16);
  padded.set(iv);
  let y = ghashSmall(h, 0n, padded);
  y = gfMul(y ^ BigInt(iv.length * 8), h);
  return fromBig(y);
}

function checkKeyIv(key: Uint8Array, iv: Uint8Array): void {
  if (![16, 24, 32].includes(key.length)) throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  if (iv.length === 0) throw new RangeError('GCM IV must not be empty');
}

/** The counter block for keystream block `index` (0 = the block at inc32(J0)); exported for tests. */
export function counterAt(j0: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const c = new Uint8Array(16);
  c.set(j0);
  const lo = ((j0[12] << 24) | (j0[13] << 16) | (j0[14] << 8) | j0[15]) >>> 0;
  const n = (lo + 1 + (index % 0x1_0000_0000)) % 0x1_0000_0000;
  c[12] = n >>> 24;
  c[13] = (n >>> 16) & 0xff;
  c[14] = (n >>> 8) & 0xff;
  c[15] = n & 0xff;
  return c;
}

export interface GcmDecryptor {
  /** Decrypts the next ciphertext bytes and folds them into GHASH. Returns the plaintext. */
  update(chunk: Uint8Array): Promise<Uint8Array>;
  /** The tag the ciphertext fed so far would carry. Does not change the state: more may follow. */
  tag(): Promise<Uint8Array>;
  /** True when `tag` (16 bytes) matches the ciphertext fed so far. */
  verify(tag: Uint8Array): Promise<boolean>;
  /** Ciphertext bytes fed so far. */
  readonly length: number;
}

export async function createGcmDecryptor(keyBytes: Uint8Array, iv: Uint8Array): Promise<GcmDecryptor> {
  checkKeyIv(keyBytes, iv);
  const raw = ab(keyBytes);
  const [ctrKey, gcmKey] = await Promise.all([
    crypto.subtle.importKey('raw', raw, 'AES-CTR', false, ['encrypt']),
    crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']),
  ]);
  const zeroIv12 = new Uint8Array(12);
  const j0Trick = new Uint8Array(16);
  j0Trick[15] = 1;
  const [hBytes, ekTrick] = await Promise.all([aesBlock(ctrKey, new Uint8Array(16)), aesBlock(ctrKey, j0Trick)]);
  const h = toBig(hBytes);
  const ekTrickBig = toBig(ekTrick);
  const j0 = computeJ0(h, iv);
  const ekJ0 = toBig(await aesBlock(ctrKey, j0));

  const powers = new Map<number, bigint>([[1, h]]);
  const hPow = (n: number): bigint => {
    let p = powers.get(n);
    if (p !== undefined) return p;
    let result = 1n << 127n; // the multiplicative identity in GCM bit order
    let base = h;
    for (let e = n; e > 0; e = Math.floor(e / 2)) {
      if (e & 1) result = gfMul(result, base);
      base = gfMul(base, base);
    }
    powers.set(n, result);
    return result;
  };

  let blockIndex = 0; // keystream blocks used
  let ksCarry: Uint8Array = new Uint8Array(0); // unused keystream of the last partial block
  let ghCarry: Uint8Array = new Uint8Array(0); // ciphertext bytes not yet a whole block
  let acc = 0n; // GHASH(ciphertext blocks so far) · H
  let length = 0;

  async function keystreamXor(data: Uint8Array): Promise<Uint8Array> {
    // The common case, a whole number of blocks and no keystream left over: WebCrypto's output is
    // the plaintext, returned as is (a second buffer and copy cost as much as the AES here: fresh
    // memory is written at ~1 GB/s in this VM, shared/bench/README.md §0).
    if (ksCarry.length === 0 && data.length % 16 === 0) {
      const part = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: counterAt(j0, blockIndex), length: 32 }, ctrKey, ab(data));
      blockIndex += data.length / 16;
      return new Uint8Array(part);
    }
    const out = new Uint8Array(data.length);
    let pos = 0;
    if (ksCarry.length > 0) {
      const n = Math.min(ksCarry.length, data.length);
      for (let i = 0; i < n; i++) out[i] = data[i] ^ ksCarry[i];
      ksCarry = ksCarry.subarray(n);
      pos = n;
    }
    const aligned = Math.floor((data.length - pos) / 16) * 16;
    if (aligned > 0) {
      const part = await crypto.subtle.encrypt(
        { name: 'AES-CTR', counter: counterAt(j0, blockIndex), length: 32 },
        ctrKey,
        ab(data.subarray(pos, pos + aligned)),
      );
      out.set(new Uint8Array(part), pos);
      blockIndex += aligned / 16;
      pos += aligned;
    }
    const rest = data.length - pos;
    if (rest > 0) {
      const ks = await aesBlock(ctrKey, counterAt(j0, blockIndex));
      blockIndex += 1;
      for (let i = 0; i < rest; i++) out[pos + i] = data[pos + i] ^ ks[i];
      ksCarry = ks.subarray(rest);
    }
    return out;
  }

  async function absorb(data: Uint8Array): Promise<void> {
    const all = ghCarry.length > 0 ? concatBytes([ghCarry, data]) : data;
    const whole = Math.floor(all.length / 16) * 16;
    if (whole > 0) {
      const blocks = all.subarray(0, whole);
      const t = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: zeroIv12, additionalData: ab(blocks), tagLength: 128 },
        gcmKey,
        new Uint8Array(0),
      );
      const ghTimesH = toBig(new Uint8Array(t)) ^ ekTrickBig ^ gfMul(lengthBlock(whole, 0), h);
      acc = gfMul(acc, hPow(whole / 16)) ^ ghTimesH;
    }
    ghCarry = all.slice(whole);
  }

  function currentTag(): Uint8Array {
    let y = acc;
    if (ghCarry.length > 0) {
      const last = new Uint8Array(16);
      last.set(ghCarry);
      y = gfMul(y, h) ^ gfMul(toBig(last), hPow(2));
    }
    return fromBig(y ^ gfMul(lengthBlock(0, length), h) ^ ekJ0);
  }

  return {
    get length() {
      return length;
    },
    async update(chunk) {
      if (chunk.length === 0) return new Uint8Array(0);
      length += chunk.length;
      const [plain] = await Promise.all([keystreamXor(chunk), absorb(chunk)]);
      return plain;
    },
    async tag() {
      return currentTag();
    },
    async verify(tag) {
      return tag.length === 16 && equalBytesCt(currentTag(), tag);
    },
  };
}

/**
 * Decrypts the first bytes of a GCM ciphertext without authentication (AES-CTR from inc32(J0)).
 * Used to tell a wrong key (random bytes) from a right key on damaged data (spec §11(e)).
 */
export async function ctrPeek(keyBytes: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  checkKeyIv(keyBytes, iv);
  const ctrKey = await crypto.subtle.importKey('raw', ab(keyBytes), 'AES-CTR', false, ['encrypt']);
  const h = toBig(await aesBlock(ctrKey, new Uint8Array(16)));
  const j0 = computeJ0(h, iv);
  const out = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: counterAt(j0, 0), length: 32 }, ctrKey, ab(ciphertext));
  return new Uint8Array(out);
}
