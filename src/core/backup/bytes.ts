/**
 * Small byte helpers shared by the backup modules. WebCrypto wants ArrayBuffer-backed views
 * (`BufferSource`); `ab()` gives one without copying when it already is.
 */

export function ab(x: Uint8Array): Uint8Array<ArrayBuffer> {
  return x.buffer instanceof ArrayBuffer ? (x as Uint8Array<ArrayBuffer>) : new Uint8Array(x);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compare without an early exit (the tag compare; "constant-time-ish" in JS). */
export function equalBytesCt(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function startsWith(buf: ArrayLike<number>, prefix: ArrayLike<number>, at = 0): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/** Number of differing bits between two equal-length byte ranges. */
export function bitDistance(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    let x = a[i] ^ b[i];
    while (x) {
      n += x & 1;
      x >>= 1;
    }
  }
  return n + 8 * Math.abs(a.length - b.length);
}

/** The parts one after another; a single part is returned as it is (not copied). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

export const SQLITE_MAGIC: readonly number[] = [...'SQLite format 3\0'].map((c) => c.charCodeAt(0));
export const ZIP_MAGIC: readonly number[] = [0x50, 0x4b, 0x03, 0x04];

/** A zlib (RFC 1950) header: deflate method, window ≤ 32 KiB, check bits right. */
export function looksLikeZlib(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0] & 0x0f) === 8 && b[0] >> 4 <= 7 && ((b[0] << 8) | b[1]) % 31 === 0;
}
