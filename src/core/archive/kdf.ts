/**
 * The passphrase KDF of Unseal archives: Argon2id (RFC 9106, version 0x13) from hash-wasm
 * 4.13.0, then HKDF-SHA-256 (RFC 5869, WebCrypto) into three independent 32-byte subkeys
 * (docs/FORMATS.md, "Unseal encrypted archive", Keys).
 *
 * hash-wasm's `argon2id` returns `string | Uint8Array` depending on `outputType`; it is wrapped
 * here once, for the whole app (protected exports use this `deriveKey` too), so callers get a
 * `Uint8Array`. The passphrase is normalized to NFC and UTF-8 encoded
 * (so "é" typed as one code point or as e + combining accent is the same passphrase).
 *
 * Limits: hash-wasm runs every lane in one wasm instance, so p > 1 changes the result, not the
 * speed (shared/bench §3), and its wasm memory is not given back after the call: the app runs
 * it in a worker of its own (`DeriveKey`, src/worker/kdf-remote.ts). No key material is kept
 * anywhere after these functions return.
 */

import { argon2id } from 'hash-wasm';
import { paramsProblem, type KdfParams } from './format';

export type { KdfParams } from './format';

export const KEY_BYTES = 32;

/** The Argon2id input of a passphrase: UTF-8 of its NFC form. */
export function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}

/**
 * Argon2id(passphrase, salt, params) → 32 bytes. Throws RangeError on parameters outside the
 * format's bounds (format.ts BOUNDS), TypeError on an empty passphrase (hash-wasm refuses one)
 * or a salt that is not 8‥64 bytes.
 * The caller owns (and should zero) the returned buffer.
 */
export async function deriveKey(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('deriveKey: the passphrase must be a non-empty string');
  const password = passphraseBytes(passphrase);
  if (!(salt instanceof Uint8Array) || salt.length < 8 || salt.length > 64) {
    throw new TypeError(`deriveKey: salt must be a Uint8Array of 8..64 bytes, got ${salt instanceof Uint8Array ? salt.length : typeof salt}`);
  }
  const problem = paramsProblem(params, 64);
  if (problem) throw new RangeError(`deriveKey: ${problem.what} is out of bounds`);
  try {
    const key: Uint8Array = await argon2id({
      password,
      salt,
      iterations: params.iterations,
      parallelism: params.parallelism,
      memorySize: params.memoryKiB,
      hashLength: KEY_BYTES,
      outputType: 'binary',
    });
    if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) throw new TypeError('hash-wasm argon2id returned no 32-byte key');
    return key;
  } finally {
    password.fill(0);
  }
}

/** The three subkeys of an archive. `check` is raw bytes (stored in the header); the others are non-extractable. */
export interface ArchiveKeys {
  check: Uint8Array;
  mac: CryptoKey;
  payload: CryptoKey;
}

export const INFO_KEY_CHECK = 'unseal-archive/v1 key check';
export const INFO_HEADER_MAC = 'unseal-archive/v1 header mac';
export const INFO_PAYLOAD = 'unseal-archive/v1 payload';

/** HKDF-SHA-256(ikm, salt = empty, info) → 32 bytes. */
export async function hkdf32(ikm: CryptoKey, info: string): Promise<Uint8Array<ArrayBuffer>> {
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    ikm,
    KEY_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** Splits the Argon2id output into the key check value, the header MAC key and the payload key. Zeroes `ikm`. */
export async function splitKeys(ikm: Uint8Array): Promise<ArchiveKeys> {
  const raw = new Uint8Array(ikm);
  ikm.fill(0);
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveBits']);
  raw.fill(0);
  const check = await hkdf32(base, INFO_KEY_CHECK);
  const macRaw = await hkdf32(base, INFO_HEADER_MAC);
  const payloadRaw = await hkdf32(base, INFO_PAYLOAD);
  try {
    const mac = await crypto.subtle.importKey('raw', macRaw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    const payload = await crypto.subtle.importKey('raw', payloadRaw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return { check, mac, payload };
  } finally {
    macRaw.fill(0);
    payloadRaw.fill(0);
  }
}

/**
 * `deriveKey`'s shape, so a caller can run it elsewhere: the app runs it in a worker of its own
 * (src/worker/kdf-remote.ts), since hash-wasm keeps the 64 MiB it grew for the rest of the
 * worker's life.
 */
export type DeriveKey = (passphrase: string, salt: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

/** Argon2id (by `derive`, default `deriveKey`), then the subkeys; the Argon2 output never leaves this function. */
export async function deriveArchiveKeys(passphrase: string, salt: Uint8Array, params: KdfParams, derive: DeriveKey = deriveKey): Promise<ArchiveKeys> {
  return splitKeys(await derive(passphrase, salt, params));
}
