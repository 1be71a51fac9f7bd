/**
 * The header of an Unseal encrypted archive (.unseal), v1 and v2 (the same header; v2 only adds
 * media records to the payload): constants, encoding and parsing.
 * The byte layout and every rule are in docs/FORMATS.md, "Unseal encrypted archive"; this file
 * is the only place that knows the offsets.
 *
 * Parsing here needs no key: it checks the magic line, the length, the unkeyed checksum and the
 * bounds (steps 1–5 of "Reading the header"). The key check and header MAC (steps 6–7) are in
 * stream.ts, which owns the keys.
 */

import { UnsealError } from '../errors';

/** `unseal-archive/`: what the sniffer (core/backup/sniff.ts) already routes here. */
export const MAGIC_PREFIX = 'unseal-archive/';
/**
 * v1: a library without media files. v2: the same header and keys, and a payload that also holds
 * media files (records.ts). Writers write v1 whenever there are no media records, so a v1 reader
 * opens every copy it can read in full and refuses (`unsupported-version`) one with media.
 */
export const FORMAT_VERSION_NO_MEDIA = 1;
export const FORMAT_VERSION_MEDIA = 2;
/** The newest version this reader opens. */
export const FORMAT_VERSION = FORMAT_VERSION_MEDIA;
export type FormatVersion = typeof FORMAT_VERSION_NO_MEDIA | typeof FORMAT_VERSION_MEDIA;
const magicBytes = (version: FormatVersion) => new TextEncoder().encode(`${MAGIC_PREFIX}v${version}\n`);
/** The v1 magic line: all magic lines this reader knows are this long and differ only in the digit. */
export const MAGIC_LINE = `${MAGIC_PREFIX}v${FORMAT_VERSION_NO_MEDIA}\n`;
const MAGIC_BYTES = magicBytes(FORMAT_VERSION_NO_MEDIA);
const PREFIX_BYTES = new TextEncoder().encode(MAGIC_PREFIX);
/** The version token must end (with `\n`) within this many bytes of the start of the file. */
export const MAGIC_LINE_MAX = 64;

export const KDF_ARGON2ID = 1;
export const SALT_BYTES = 16;
export const NONCE_PREFIX_BYTES = 7;
export const KEY_CHECK_BYTES = 32;
export const MAC_BYTES = 32;
export const CHECKSUM_BYTES = 32;
export const TAG_BYTES = 16;

// Offsets (from the start of the file) of the v1 header fields.
const O_KDF = 18;
const O_MEMORY = 19;
const O_ITERATIONS = 23;
const O_PARALLELISM = 27;
const O_SALT = 31;
const O_CHUNK = 47;
const O_NONCE = 51;
const O_KEY_CHECK = 58;
const O_MAC = 90;
const O_CHECKSUM = 122;
/** Bytes of the v1 header, magic line included; the payload starts here. */
export const HEADER_BYTES = 154;

/** Frame markers (docs/FORMATS.md, "Payload"). They differ in every bit. */
export const FRAME_MORE = 0x00;
export const FRAME_FINAL = 0xff;
/** Marker plus the two length words of a final frame. */
export const FINAL_FRAME_HEAD = 9;

export interface KdfParams {
  /** Argon2 m, in KiB. */
  memoryKiB: number;
  /** Argon2 t. */
  iterations: number;
  /** Argon2 p. */
  parallelism: number;
}

/** What Unseal writes: m = 64 MiB, t = 3, p = 1 (≈ 0.4 s in a worker, shared/bench §3). */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 });
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** What a reader accepts (and a writer may write). Lower bounds are Argon2's and STREAM's own. */
export const BOUNDS = Object.freeze({
  memoryKiBMax: 1024 * 1024,
  iterationsMax: 10,
  parallelismMax: 4,
  chunkMin: 64,
  chunkMax: 4 * 1024 * 1024,
});

/** The fields of a header. */
export interface ArchiveHeader {
  version: FormatVersion;
  kdf: KdfParams;
  salt: Uint8Array;
  chunkSize: number;
  noncePrefix: Uint8Array;
  keyCheck: Uint8Array;
  mac: Uint8Array;
  /** The header bytes the MAC covers (0‥89). */
  macInput: Uint8Array;
}

/** Why the parameters are out of bounds, or undefined when they are fine. */
export function paramsProblem(kdf: KdfParams, chunkSize: number): { reason: 'kdf-params' | 'chunk-size'; what: string } | undefined {
  const bad = (v: number, lo: number, hi: number) => !Number.isInteger(v) || v < lo || v > hi;
  if (bad(kdf.parallelism, 1, BOUNDS.parallelismMax)) return { reason: 'kdf-params', what: `parallelism ${kdf.parallelism}` };
  if (bad(kdf.iterations, 1, BOUNDS.iterationsMax)) return { reason: 'kdf-params', what: `iterations ${kdf.iterations}` };
  if (bad(kdf.memoryKiB, 8 * kdf.parallelism, BOUNDS.memoryKiBMax)) return { reason: 'kdf-params', what: `memory ${kdf.memoryKiB} KiB` };
  if (bad(chunkSize, BOUNDS.chunkMin, BOUNDS.chunkMax)) return { reason: 'chunk-size', what: `chunk size ${chunkSize}` };
  return undefined;
}

/**
 * The header bytes 0‥89 (magic line to key check): what the MAC covers. The caller appends the
 * MAC and then `finishHeader` the checksum.
 */
export function encodeHeaderStart(f: {
  version?: FormatVersion;
  kdf: KdfParams;
  salt: Uint8Array;
  chunkSize: number;
  noncePrefix: Uint8Array;
  keyCheck: Uint8Array;
}): Uint8Array<ArrayBuffer> {
  const problem = paramsProblem(f.kdf, f.chunkSize);
  if (problem) throw new RangeError(`archive header: ${problem.what} is out of bounds`);
  assertLength(f.salt, SALT_BYTES, 'salt');
  assertLength(f.noncePrefix, NONCE_PREFIX_BYTES, 'noncePrefix');
  assertLength(f.keyCheck, KEY_CHECK_BYTES, 'keyCheck');
  const out = new Uint8Array(O_MAC);
  const dv = new DataView(out.buffer);
  out.set(magicBytes(f.version ?? FORMAT_VERSION_NO_MEDIA), 0);
  out[O_KDF] = KDF_ARGON2ID;
  dv.setUint32(O_MEMORY, f.kdf.memoryKiB);
  dv.setUint32(O_ITERATIONS, f.kdf.iterations);
  dv.setUint32(O_PARALLELISM, f.kdf.parallelism);
  out.set(f.salt, O_SALT);
  dv.setUint32(O_CHUNK, f.chunkSize);
  out.set(f.noncePrefix, O_NONCE);
  out.set(f.keyCheck, O_KEY_CHECK);
  return out;
}

/** The whole header: start (0‥89), MAC, SHA-256 checksum. */
export async function finishHeader(start: Uint8Array, mac: Uint8Array): Promise<Uint8Array> {
  assertLength(start, O_MAC, 'header start');
  assertLength(mac, MAC_BYTES, 'mac');
  const out = new Uint8Array(HEADER_BYTES);
  out.set(start, 0);
  out.set(mac, O_MAC);
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', out.subarray(0, O_CHECKSUM)));
  out.set(sum, O_CHECKSUM);
  return out;
}

function fail(code: 'corrupt' | 'truncated' | 'not-a-backup' | 'unsupported-version', message: string, detail: Record<string, string | number | boolean> = {}): never {
  throw new UnsealError(code, message, detail);
}

/**
 * Steps 1–2 of "Reading the header": the magic line. `head` is the first bytes of the file (up to
 * MAGIC_LINE_MAX), `size` the file size. Returns the version.
 */
export function checkMagic(head: Uint8Array, size: number): FormatVersion {
  const n = Math.min(head.length, PREFIX_BYTES.length);
  for (let i = 0; i < n; i++) if (head[i] !== PREFIX_BYTES[i]) fail('not-a-backup', 'Not an Unseal archive');
  if (head.length < PREFIX_BYTES.length) {
    fail('truncated', 'The archive ends inside its magic line', { reason: 'magic' });
  }
  const limit = Math.min(head.length, MAGIC_LINE_MAX);
  let nl = -1;
  for (let i = PREFIX_BYTES.length; i < limit; i++) {
    if (head[i] === 0x0a) {
      nl = i;
      break;
    }
  }
  if (nl < 0) {
    // The file ends before a newline could appear: if what is there is a prefix of our magic
    // line, it was cut; anything else is not a version token we know.
    const isPrefix =
      head.length === size &&
      head.length < MAGIC_BYTES.length &&
      ([FORMAT_VERSION_NO_MEDIA, FORMAT_VERSION_MEDIA] as const).some((v) => head.every((b, i) => b === magicBytes(v)[i]));
    if (isPrefix) fail('truncated', 'The archive ends inside its magic line', { reason: 'magic' });
    fail('corrupt', 'The archive magic line is damaged', { reason: 'magic' });
  }
  let token = '';
  for (let i = PREFIX_BYTES.length; i < nl; i++) token += String.fromCharCode(head[i]);
  if (token === `v${FORMAT_VERSION_NO_MEDIA}`) return FORMAT_VERSION_NO_MEDIA;
  if (token === `v${FORMAT_VERSION_MEDIA}`) return FORMAT_VERSION_MEDIA;
  if (/^v[1-9][0-9]{0,8}$/.test(token) && Number(token.slice(1)) > FORMAT_VERSION) {
    fail('unsupported-version', `This archive is format ${token}; this Unseal reads up to v${FORMAT_VERSION}`, { version: Number(token.slice(1)) });
  }
  fail('corrupt', 'The archive magic line is damaged', { reason: 'magic' });
}

/**
 * Steps 1–5 of "Reading the header", without a key. `head` holds at least the first
 * min(size, HEADER_BYTES) bytes of the file.
 */
export async function parseHeader(head: Uint8Array, size: number): Promise<ArchiveHeader> {
  const version = checkMagic(head.subarray(0, MAGIC_LINE_MAX), size);
  if (size < HEADER_BYTES || head.length < HEADER_BYTES) fail('truncated', 'The archive ends inside its header', { reason: 'header' });
  const h = head.slice(0, HEADER_BYTES);
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', h.subarray(0, O_CHECKSUM)));
  let diff = 0;
  for (let i = 0; i < CHECKSUM_BYTES; i++) diff |= sum[i] ^ h[O_CHECKSUM + i];
  if (diff !== 0) fail('corrupt', 'The archive header is damaged', { reason: 'header-checksum' });

  const dv = new DataView(h.buffer);
  if (h[O_KDF] !== KDF_ARGON2ID) fail('unsupported-version', `Unknown key derivation function ${h[O_KDF]}`, { reason: 'kdf', kdf: h[O_KDF] });
  const kdf: KdfParams = {
    memoryKiB: dv.getUint32(O_MEMORY),
    iterations: dv.getUint32(O_ITERATIONS),
    parallelism: dv.getUint32(O_PARALLELISM),
  };
  const chunkSize = dv.getUint32(O_CHUNK);
  const problem = paramsProblem(kdf, chunkSize);
  if (problem) fail('unsupported-version', `The archive asks for ${problem.what}, outside what Unseal accepts`, { reason: problem.reason });
  return {
    version,
    kdf,
    salt: h.slice(O_SALT, O_SALT + SALT_BYTES),
    chunkSize,
    noncePrefix: h.slice(O_NONCE, O_NONCE + NONCE_PREFIX_BYTES),
    keyCheck: h.slice(O_KEY_CHECK, O_KEY_CHECK + KEY_CHECK_BYTES),
    mac: h.slice(O_MAC, O_MAC + MAC_BYTES),
    macInput: h.slice(0, O_MAC),
  };
}

/** The 12-byte STREAM nonce of chunk `counter`. */
export function chunkNonce(prefix: Uint8Array, counter: number, last: boolean): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) throw new RangeError(`chunk counter ${counter} out of range`);
  const n = new Uint8Array(12);
  n.set(prefix, 0);
  new DataView(n.buffer).setUint32(NONCE_PREFIX_BYTES, counter);
  n[11] = last ? 1 : 0;
  return n;
}

export function assertLength(b: Uint8Array, n: number, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== n) {
    throw new TypeError(`${what} must be a Uint8Array of ${n} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`);
  }
}
