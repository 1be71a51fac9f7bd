/**
 * crypt15 ENCODER for Node (dev/test only; never shipped). Writes what WhatsApp Android writes for
 * `msgstore.db.crypt15` (shared/spec/backup-formats.md):
 *
 *   varint(L) || BackupPrefix protobuf (L bytes)   -- §5.1 writer rule, §5.2 fields
 *   AES-256-GCM(key = HKDF-SHA256(root, salt 0, info "backup encryption"), 16-byte IV)(zlib(SQLite))
 *   GCM tag (16) || MD5(every byte before it) (16)  -- §2.2, §6
 *
 * Streaming all the way: zlib (node:zlib, level 1 → `78 01`), node:crypto GCM and the MD5 run chunk
 * by chunk, so a 300+ MB database never has to exist twice in memory.
 *
 * Node's bundled zlib (Chromium's fork) does not produce the same deflate stream as Python's zlib
 * for the same input and level. Both are valid; to reproduce a file made by Python tools byte for
 * byte, pass the tool's compressed stream with `precompressed: true`.
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { createDeflate } from 'node:zlib';

/** Feature flags of a real 2024 msgstore header: 5..37 and 39, all true. */
export const DEFAULT_FEATURES: readonly number[] = [...Array.from({ length: 33 }, (_, i) => i + 5), 39];

export interface Crypt15HeaderOptions {
  /** 16-byte IV (C15_IV field 1). */
  iv: Uint8Array;
  /** WhatsApp version string, info field 1. Default `2.24.8.85`. */
  appVersion?: string;
  /** Last two digits of the phone number, info field 3. Default `42`. */
  jidSuffix?: string;
  /** info field 4; written only when features are written. Default 1. */
  backupVersion?: number;
  /** Feature flag field numbers (≥ 5) written as `true`. Default 5..37, 39. Empty → no field 4 and no features (wa.db shape). */
  features?: readonly number[];
}

export interface Crypt15Options extends Crypt15HeaderOptions {
  /** 32-byte root key (the 64-digit key). */
  rootKey: Uint8Array;
  /** Append MD5 of everything before it (main databases). Default true. */
  md5Footer?: boolean;
  /** Input is already the zlib stream (skip compression). Default false. */
  precompressed?: boolean;
  /** zlib level when compressing. Default 1 (WhatsApp's `78 01`). */
  zlibLevel?: number;
}

export interface Crypt15Stats {
  /** Bytes of the input (SQLite bytes, or the zlib stream when precompressed). */
  inputBytes: number;
  /** Bytes of the zlib stream that was encrypted. */
  compressedBytes: number;
  /** Total bytes of the .crypt15 output. */
  outputBytes: number;
  headerBytes: number;
}

export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

function abytes(x: Uint8Array, len: number, name: string): void {
  if (!(x instanceof Uint8Array) || x.length !== len) {
    throw new TypeError(`${name}: expected ${len} bytes, got ${x instanceof Uint8Array ? x.length : typeof x}`);
  }
}

/** HKDF-SHA256 (RFC 5869) of the root key, salt = 32 zero bytes, one Expand block (§3.5). */
export function deriveCrypt15Key(rootKey: Uint8Array, info = 'backup encryption'): Buffer {
  abytes(rootKey, 32, 'rootKey');
  const prk = createHmac('sha256', Buffer.alloc(32)).update(rootKey).digest();
  return createHmac('sha256', prk).update(Buffer.from(info, 'utf8')).update(Buffer.from([1])).digest();
}

export function parseHexKey(text: string): Uint8Array {
  const clean = text.replace(/[\s:-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(clean)) throw new TypeError('key: expected 64 hexadecimal digits');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

function varint(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n}`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const pbVarint = (field: number, value: number): number[] => [...varint(field * 8), ...varint(value)];
const pbBytes = (field: number, value: ArrayLike<number>): number[] => [
  ...varint(field * 8 + 2),
  ...varint(value.length),
  ...Array.from(value),
];

/** The BackupPrefix protobuf alone (key_type = 1, c15_iv, info). */
export function encodeBackupPrefix(opts: Crypt15HeaderOptions): Uint8Array {
  abytes(opts.iv, 16, 'iv');
  const features = opts.features ?? DEFAULT_FEATURES;
  const info: number[] = [
    ...pbBytes(1, Buffer.from(opts.appVersion ?? '2.24.8.85', 'utf8')),
    ...pbBytes(3, Buffer.from(opts.jidSuffix ?? '42', 'utf8')),
  ];
  if (features.length > 0) {
    info.push(...pbVarint(4, opts.backupVersion ?? 1));
    for (const f of [...features].sort((a, b) => a - b)) {
      if (!Number.isInteger(f) || f < 5) throw new RangeError(`feature field ${f} must be an integer ≥ 5`);
      info.push(...pbVarint(f, 1));
    }
  }
  return new Uint8Array([...pbVarint(1, 1), ...pbBytes(3, pbBytes(1, opts.iv)), ...pbBytes(4, info)]);
}

/** Length prefix (a protobuf varint, §5.1 writer rule) + BackupPrefix. */
export function encodeCrypt15Header(opts: Crypt15HeaderOptions): Uint8Array {
  const pb = encodeBackupPrefix(opts);
  const prefix = varint(pb.length);
  const out = new Uint8Array(prefix.length + pb.length);
  out.set(prefix, 0);
  out.set(pb, prefix.length);
  return out;
}

async function* iterate(src: ByteSource): AsyncGenerator<Uint8Array> {
  if (src instanceof Uint8Array) {
    // Hand big buffers over in slices so the deflate stream keeps its memory bounded.
    const step = 1 << 20;
    for (let i = 0; i < src.length; i += step) yield src.subarray(i, Math.min(src.length, i + step));
    return;
  }
  for await (const c of src as AsyncIterable<Uint8Array>) yield c;
}

/**
 * The .crypt15 file as a stream of chunks: header, ciphertext, tag, MD5. `stats` is filled in as
 * the stream is consumed (complete once it ends).
 */
export async function* crypt15Chunks(source: ByteSource, opts: Crypt15Options, stats?: Crypt15Stats): AsyncGenerator<Uint8Array> {
  const key = deriveCrypt15Key(opts.rootKey);
  const header = encodeCrypt15Header(opts);
  const md5 = opts.md5Footer === false ? undefined : createHash('md5');
  const s: Crypt15Stats = stats ?? { inputBytes: 0, compressedBytes: 0, outputBytes: 0, headerBytes: 0 };
  s.inputBytes = s.compressedBytes = s.outputBytes = 0;
  s.headerBytes = header.length;
  const emit = (b: Uint8Array): Uint8Array => {
    md5?.update(b);
    s.outputBytes += b.length;
    return b;
  };
  yield emit(header);

  const cipher = createCipheriv('aes-256-gcm', key, opts.iv, { authTagLength: 16 });
  const counted = (async function* () {
    for await (const c of iterate(source)) {
      s.inputBytes += c.length;
      yield c;
    }
  })();
  let payload: AsyncIterable<Uint8Array>;
  if (opts.precompressed) {
    payload = counted;
  } else {
    const deflate = createDeflate({ level: opts.zlibLevel ?? 1 });
    payload = Readable.from(counted, { objectMode: false }).pipe(deflate);
  }
  for await (const z of payload) {
    s.compressedBytes += z.length;
    const ct = cipher.update(z);
    if (ct.length) yield emit(new Uint8Array(ct.buffer, ct.byteOffset, ct.length));
  }
  const last = cipher.final();
  if (last.length) yield emit(new Uint8Array(last));
  yield emit(new Uint8Array(cipher.getAuthTag()));
  if (md5) {
    const d = md5.digest();
    s.outputBytes += d.length;
    yield new Uint8Array(d);
  }
}

/** Encrypt to memory (small inputs: fixtures, the demo). */
export async function encryptCrypt15(source: ByteSource, opts: Crypt15Options): Promise<{ bytes: Uint8Array; stats: Crypt15Stats }> {
  const stats: Crypt15Stats = { inputBytes: 0, compressedBytes: 0, outputBytes: 0, headerBytes: 0 };
  const parts: Uint8Array[] = [];
  for await (const c of crypt15Chunks(source, opts, stats)) parts.push(Buffer.from(c));
  return { bytes: new Uint8Array(Buffer.concat(parts)), stats };
}

/** Encrypt straight to a file, with backpressure; memory stays bounded whatever the input size. */
export async function encryptCrypt15ToFile(source: ByteSource, outPath: string, opts: Crypt15Options): Promise<Crypt15Stats> {
  const stats: Crypt15Stats = { inputBytes: 0, compressedBytes: 0, outputBytes: 0, headerBytes: 0 };
  const out = createWriteStream(outPath);
  try {
    for await (const c of crypt15Chunks(source, opts, stats)) {
      if (!out.write(c)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (e) {
    out.destroy();
    throw e;
  }
  return stats;
}
