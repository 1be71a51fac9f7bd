/**
 * crypt15 key derivation (shared/spec/backup-formats.md §3.5): HKDF-SHA256 (RFC 5869) of the
 * 32-byte root key, salt = 32 zero bytes (same as an empty salt), info = "backup encryption",
 * 32 bytes out. Done with WebCrypto.
 */

import { ab } from './bytes';

const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;

export async function hkdfSha256(ikm: Uint8Array, info: string | Uint8Array, length = 32, salt: Uint8Array = new Uint8Array(32)): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', ab(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: ab(salt), info: typeof info === 'string' ? utf8(info) : ab(info) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** HKDF-Extract: PRK = HMAC-SHA256(salt, ikm). For checking the spec's intermediate vectors. */
export async function hkdfExtract(ikm: Uint8Array, salt: Uint8Array = new Uint8Array(32)): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', ab(salt.length ? salt : new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, ab(ikm)));
}

/** The AES-256-GCM key of a crypt15 backup from its 32-byte root key (the 64-digit key). */
export function deriveCrypt15Key(root: Uint8Array): Promise<Uint8Array> {
  if (root.length !== 32) throw new RangeError(`crypt15 root key must be 32 bytes, got ${root.length}`);
  return hkdfSha256(root, 'backup encryption');
}
