import { expect } from 'vitest';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { gcm } from '@noble/ciphers/aes.js';
import { isUnsealError, type ErrorCode, type UnsealError } from '../../src/core/errors';
import { openArchive, sealArchive, type ArchiveSource, type OpenOptions, type WriteOptions } from '../../src/core/archive/stream';
import { HEADER_BYTES, type KdfParams } from '../../src/core/archive/format';

/** Small Argon2 parameters so a test opens an archive in a few ms. Tests only. */
export const FAST_KDF: KdfParams = { memoryKiB: 64, iterations: 1, parallelism: 1 };
export const PASS = 'correct horse battery staple';

export function memSource(bytes: Uint8Array): ArchiveSource {
  return {
    size: bytes.length,
    read: async (offset, length) => {
      if (offset < 0 || offset + length > bytes.length) throw new RangeError(`read past end: ${offset}+${length} > ${bytes.length}`);
      return bytes.slice(offset, offset + length);
    },
  };
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const p of gen) parts.push(p);
  return parts;
}

export async function sealBytes(payload: Uint8Array | Uint8Array[], opts: WriteOptions = {}, passphrase = PASS): Promise<Uint8Array> {
  const pieces = Array.isArray(payload) ? payload : [payload];
  return concat(await collect(sealArchive(pieces, passphrase, { kdf: FAST_KDF, chunkSize: 64, ...opts })));
}

export async function openBytes(file: Uint8Array, passphrase = PASS, opts: OpenOptions = {}): Promise<Uint8Array> {
  return concat(await collect(openArchive(memSource(file), passphrase, opts)));
}

/** The UnsealError opening `file` throws (fails the test when it opens). */
export async function openError(file: Uint8Array, passphrase = PASS): Promise<UnsealError> {
  try {
    await openBytes(file, passphrase);
  } catch (e) {
    if (isUnsealError(e)) return e;
    throw e;
  }
  throw new Error('the archive opened');
}

export async function expectCode(file: Uint8Array, code: ErrorCode, reason?: string, passphrase = PASS): Promise<UnsealError> {
  const e = await openError(file, passphrase);
  expect(e.code, `${e.message} ${JSON.stringify(e.detail)}`).toBe(code);
  if (reason !== undefined) expect(e.detail.reason).toBe(reason);
  return e;
}

/** Splits a file into header and frames (knowing the chunk size). */
export function frames(file: Uint8Array, chunkSize: number): { header: Uint8Array; frames: Uint8Array[] } {
  const out: Uint8Array[] = [];
  let o = HEADER_BYTES;
  while (o < file.length) {
    if (file[o] === 0x00) {
      out.push(file.slice(o, o + 1 + chunkSize + 16));
      o += 1 + chunkSize + 16;
    } else {
      const n = new DataView(file.buffer, file.byteOffset + o + 1, 4).getUint32(0);
      out.push(file.slice(o, o + 9 + n + 16));
      o += 9 + n + 16;
    }
  }
  return { header: file.slice(0, HEADER_BYTES), frames: out };
}

export function rand(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

/**
 * The format's keys computed with @noble/hashes only (an independent implementation):
 * Argon2id, then HKDF-SHA-256 with the three labels.
 */
export function nobleKeys(passphrase: string, salt: Uint8Array, kdf: KdfParams): { ikm: Uint8Array; check: Uint8Array; mac: Uint8Array; payload: Uint8Array } {
  const pw = new TextEncoder().encode(passphrase.normalize('NFC'));
  const ikm = nobleArgon2id(pw, salt, { t: kdf.iterations, m: kdf.memoryKiB, p: kdf.parallelism, dkLen: 32 });
  const te = new TextEncoder();
  const k = (label: string) => hkdf(sha256, ikm, undefined, te.encode(label), 32);
  return { ikm, check: k('unseal-archive/v1 key check'), mac: k('unseal-archive/v1 header mac'), payload: k('unseal-archive/v1 payload') };
}

/** A whole frame sealed with @noble/ciphers (for crafting files the writer refuses to make). */
export function nobleFrame(payloadKey: Uint8Array, noncePrefix: Uint8Array, counter: number, last: boolean, plaintext: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(12);
  nonce.set(noncePrefix);
  new DataView(nonce.buffer).setUint32(7, counter);
  nonce[11] = last ? 1 : 0;
  const sealed = gcm(payloadKey, nonce).encrypt(plaintext);
  if (!last) return concat([new Uint8Array([0x00]), sealed]);
  const head = new Uint8Array(9);
  head[0] = 0xff;
  new DataView(head.buffer).setUint32(1, plaintext.length);
  new DataView(head.buffer).setUint32(5, ~plaintext.length >>> 0);
  return concat([head, sealed]);
}

/** Rewrites the header checksum after a test edited header bytes. */
export function fixChecksum(file: Uint8Array): Uint8Array {
  const out = file.slice();
  out.set(sha256(out.subarray(0, 122)), 122);
  return out;
}

export function setU32(file: Uint8Array, offset: number, v: number): Uint8Array {
  const out = file.slice();
  new DataView(out.buffer).setUint32(offset, v >>> 0);
  return out;
}

/** A whole archive built with @noble only, straight from docs/FORMATS.md (the cross-check of the writer). */
export function nobleArchive(s: { passphrase: string; kdf: KdfParams; chunkSize: number; salt: Uint8Array; noncePrefix: Uint8Array; plaintext: Uint8Array }): Uint8Array {
  const keys = nobleKeys(s.passphrase, s.salt, s.kdf);
  const u32 = (v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0);
    return b;
  };
  const start = concat([new TextEncoder().encode('unseal-archive/v1\n'), new Uint8Array([1]), u32(s.kdf.memoryKiB), u32(s.kdf.iterations), u32(s.kdf.parallelism), s.salt, u32(s.chunkSize), s.noncePrefix, keys.check]);
  const withMac = concat([start, hmac(sha256, keys.mac, start)]);
  const parts = [withMac, sha256(withMac)];
  const C = s.chunkSize;
  const n = Math.max(1, Math.ceil(s.plaintext.length / C));
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    parts.push(nobleFrame(keys.payload, s.noncePrefix, i, last, s.plaintext.subarray(i * C, last ? s.plaintext.length : (i + 1) * C)));
  }
  return concat(parts);
}
