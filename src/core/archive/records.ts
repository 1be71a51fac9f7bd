/**
 * The payload of an Unseal archive: a library as a sequence of typed records, each
 * `uvarint(length) || structured value`. The encoding and the record order are specified in
 * docs/FORMATS.md, "Unseal encrypted archive", Records. Bytes round-trip exactly: Uint8Array
 * thumbnails and the search index's typed arrays are copied bit for bit, strings (lone
 * surrogates included) and numbers (−0, NaN, ±∞) come back identical. No JSON.
 *
 * Decoding errors are `corrupt` (the payload was authenticated, so they mean a writer bug or a
 * deliberately crafted file); encoding a value the format cannot hold is a TypeError (a bug).
 */

import { UnsealError } from '../errors';
import { concatBytes } from '../backup/bytes';
import { decodeUtf8Strict } from '../text/utf8';
import { FORMAT_VERSION_MEDIA, FORMAT_VERSION_NO_MEDIA, type FormatVersion } from './format';
import type { Chat, Message } from '../msgstore/model';
import type { BucketRecord, IndexMeta } from '../search/index';

// ---------------------------------------------------------------------------------------------
// Structured values

export type TypedArray =
  | Uint8Array | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** What the encoding holds. */
export type Value = undefined | null | boolean | number | string | TypedArray | Value[] | { [key: string]: Value };

const T_UNDEFINED = 0x00;
const T_NULL = 0x01;
const T_FALSE = 0x02;
const T_TRUE = 0x03;
const T_UINT = 0x04;
const T_NINT = 0x05;
const T_FLOAT = 0x06;
const T_UTF8 = 0x07;
const T_UTF16 = 0x08;
const T_ARRAY = 0x20;
const T_OBJECT = 0x21;

type TypedCtor = { new (buffer: ArrayBuffer): TypedArray; readonly BYTES_PER_ELEMENT: number; readonly prototype: TypedArray };
/** Tags 0x10‥0x1A, in this order. */
const TYPED: readonly TypedCtor[] = [
  Uint8Array, Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as unknown as TypedCtor[];
const T_TYPED = 0x10;

export const MAX_DEPTH = 64;
export const MAX_RECORD_BYTES = 2 ** 30;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LONE_SURROGATE = /\p{Cs}/u;
/** No lone surrogates: String.prototype.isWellFormed (ES2024; native, fast) where there is one. */
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as string & { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

function corrupt(message: string): never {
  throw new UnsealError('corrupt', `Archive records: ${message}`, { reason: 'records' });
}

class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  /**
   * When set, typed arrays of BIG_RUN bytes or more are not copied: their bytes are noted here
   * with the position they belong at, and encodeRecordParts hands them out as they are.
   */
  runs: { at: number; bytes: Uint8Array }[] | undefined;

  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  uvarint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** Strings of up to this many UTF-16 units try writeString's ASCII path (a one-byte length). */
const SHORT_ASCII = 0x7f;
const utf8 = new TextEncoder();

function writeString(w: ByteWriter, s: string): void {
  if (!isWellFormed(s)) {
    w.byte(T_UTF16);
    w.uvarint(s.length);
    w.ensure(2 * s.length);
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      w.buf[w.pos++] = u & 0xff;
      w.buf[w.pos++] = u >>> 8;
    }
    return;
  }
  w.byte(T_UTF8);
  if (s.length <= SHORT_ASCII) {
    // Most strings (ids, jids, names, message texts) are short and ASCII: written here directly,
    // because in browsers a TextEncoder call per string costs more than this loop.
    w.ensure(2 + s.length);
    const buf = w.buf;
    const at = w.pos + 1; // after a one-byte length: SHORT_ASCII < 0x80
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i++] = c;
    }
    if (i === s.length) {
      buf[w.pos] = i;
      w.pos = at + i;
      return;
    }
  }
  // Encode in place after room for the largest possible length, then close the gap.
  const max = 3 * s.length;
  const room = uvarintSize(max);
  w.ensure(room + max + 8); // + 8: uvarint() below must not grow (and so drop) the buffer
  const { written } = utf8.encodeInto(s, w.buf.subarray(w.pos + room));
  const need = uvarintSize(written);
  if (need < room) w.buf.copyWithin(w.pos + need, w.pos + room, w.pos + room + written);
  w.uvarint(written);
  w.pos += written;
}

function typedTag(v: ArrayBufferView): number {
  for (let i = 0; i < TYPED.length; i++) if (Object.getPrototypeOf(v) === TYPED[i].prototype) return i;
  return -1;
}

function writeValue(w: ByteWriter, v: unknown, keys: Map<string, number>, depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError(`archive records: nesting deeper than ${MAX_DEPTH} (or a cycle)`);
  switch (typeof v) {
    case 'undefined':
      w.byte(T_UNDEFINED);
      return;
    case 'boolean':
      w.byte(v ? T_TRUE : T_FALSE);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        w.byte(v >= 0 ? T_UINT : T_NINT);
        w.uvarint(Math.abs(v));
      } else {
        w.byte(T_FLOAT);
        w.ensure(8);
        new DataView(w.buf.buffer, w.buf.byteOffset + w.pos, 8).setFloat64(0, v);
        w.pos += 8;
      }
      return;
    case 'string':
      writeString(w, v);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`archive records: cannot encode a ${typeof v}`);
  }
  if (v === null) {
    w.byte(T_NULL);
    return;
  }
  if (ArrayBuffer.isView(v)) {
    const tag = typedTag(v);
    if (tag < 0) throw new TypeError('archive records: cannot encode a DataView or a typed-array subclass');
    const t = v as TypedArray;
    w.byte(T_TYPED + tag);
    w.uvarint(t.length);
    const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    if (LITTLE_ENDIAN || t.BYTES_PER_ELEMENT === 1) {
      if (w.runs && bytes.length >= BIG_RUN) w.runs.push({ at: w.pos, bytes });
      else w.bytes(bytes);
    } else w.bytes(swapped(bytes, t.BYTES_PER_ELEMENT));
    return;
  }
  if (Array.isArray(v)) {
    w.byte(T_ARRAY);
    w.uvarint(v.length);
    for (let i = 0; i < v.length; i++) writeValue(w, v[i], keys, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`archive records: cannot encode a ${(v as object).constructor?.name ?? 'class instance'}`);
  }
  const obj = v as Record<string, unknown>;
  const names = Object.keys(obj);
  w.byte(T_OBJECT);
  w.uvarint(names.length);
  for (const k of names) {
    const ref = keys.get(k);
    if (ref === undefined) {
      w.uvarint(0);
      writeString(w, k);
      keys.set(k, keys.size);
    } else {
      w.uvarint(ref + 1);
    }
    writeValue(w, obj[k], keys, depth + 1);
  }
}

function swapped(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  return out;
}

/** One structured value (no length prefix). */
export function encodeValue(v: unknown): Uint8Array {
  const w = new ByteWriter();
  writeValue(w, v, new Map(), 0);
  return w.buf.slice(0, w.pos);
}

class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  need(n: number): void {
    if (n > this.buf.length - this.pos) corrupt('a value runs past the end of its record');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  uvarint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) corrupt('a non-minimal varint');
        if (v > Number.MAX_SAFE_INTEGER) corrupt('a varint beyond 2^53 - 1');
        return v;
      }
      scale *= 0x80;
    }
    return corrupt('a varint longer than 8 bytes');
  }

  take(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

function readString(r: ByteReader, tag: number): string {
  if (tag === T_UTF8) {
    const n = r.uvarint();
    const bytes = r.take(n);
    try {
      return decodeUtf8Strict(bytes);
    } catch {
      return corrupt('a string that is not UTF-8');
    }
  }
  if (tag === T_UTF16) {
    const n = r.uvarint();
    if (n > (r.buf.length - r.pos) / 2) corrupt('a value runs past the end of its record');
    const b = r.take(2 * n);
    let s = '';
    for (let i = 0; i < n; i += 4096) {
      const units: number[] = [];
      for (let j = i; j < Math.min(n, i + 4096); j++) units.push(b[2 * j] | (b[2 * j + 1] << 8));
      s += String.fromCharCode(...units);
    }
    return s;
  }
  return corrupt('a key that is not a string');
}

function readValue(r: ByteReader, keys: string[], depth: number): Value {
  if (depth > MAX_DEPTH) corrupt(`nesting deeper than ${MAX_DEPTH}`);
  const tag = r.byte();
  switch (tag) {
    case T_UNDEFINED:
      return undefined;
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_UINT:
      return r.uvarint();
    case T_NINT: {
      const v = r.uvarint();
      if (v === 0) corrupt('a negative zero integer');
      return -v;
    }
    case T_FLOAT: {
      const b = r.take(8);
      return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0);
    }
    case T_UTF8:
    case T_UTF16:
      return readString(r, tag);
    case T_ARRAY: {
      const n = r.uvarint();
      if (n > r.buf.length - r.pos) corrupt('an array longer than its record');
      const out: Value[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, keys, depth + 1);
      return out;
    }
    case T_OBJECT: {
      const n = r.uvarint();
      if (n > r.buf.length - r.pos) corrupt('an object longer than its record');
      const out: { [key: string]: Value } = {};
      for (let i = 0; i < n; i++) {
        const ref = r.uvarint();
        let key: string;
        if (ref === 0) {
          key = readString(r, r.byte());
          keys.push(key);
        } else {
          if (ref > keys.length) corrupt('a key reference past the key table');
          key = keys[ref - 1];
        }
        if (Object.prototype.hasOwnProperty.call(out, key)) corrupt('a duplicate key');
        const value = readValue(r, keys, depth + 1);
        // Assignment keeps objects in V8's fast mode (defineProperty for every key took ~3×
        // longer); only `__proto__` must be defined, or it would set the prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    default: {
      const i = tag - T_TYPED;
      if (i < 0 || i >= TYPED.length) return corrupt(`unknown tag 0x${tag.toString(16)}`);
      const ctor = TYPED[i];
      const n = r.uvarint();
      if (n > (r.buf.length - r.pos) / ctor.BYTES_PER_ELEMENT) corrupt('a typed array longer than its record');
      const bytes = r.take(n * ctor.BYTES_PER_ELEMENT);
      const copy = LITTLE_ENDIAN || ctor.BYTES_PER_ELEMENT === 1 ? bytes.slice() : swapped(bytes, ctor.BYTES_PER_ELEMENT);
      return new ctor(copy.buffer as ArrayBuffer);
    }
  }
}

/** One structured value filling all of `bytes`. */
export function decodeValue(bytes: Uint8Array): Value {
  const r = new ByteReader(bytes);
  const v = readValue(r, [], 0);
  if (r.pos !== bytes.length) corrupt('bytes left over after a value');
  return v;
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * The records of a library archive. `L` is the library summary and `C` the chat summary type of
 * the worker (LibrarySummary and ChatSummary in src/worker/protocol.ts); core cannot import them.
 */
export type ArchiveRecord<L extends object = Record<string, unknown>, C extends Chat = Chat> =
  | { type: 'library'; library: L }
  | { type: 'chat'; chat: C }
  | { type: 'page'; chatId: number; page: number; messages: Message[] }
  | { type: 'searchMeta'; meta: IndexMeta }
  | { type: 'searchBucket'; bucket: BucketRecord }
  | MediaRecordOf
  | { type: 'end'; chats: number; pages: number; searchBuckets: number; mediaFiles?: number };

/**
 * The media section (v2 only): one `media` record announcing how many files and bytes follow,
 * then per file a `mediaFile` record and its bytes in `mediaData` records.
 */
export type MediaRecordOf =
  | { type: 'media'; files: number; bytes: number }
  | { type: 'mediaFile'; chatId: number; pos: number; name: string; mime?: string; size: number }
  | { type: 'mediaData'; bytes: Uint8Array };

/** The most bytes of a file one `mediaData` record carries when Unseal writes it. */
export const MEDIA_PIECE_BYTES = 256 * 1024;

/** What a `mediaFile` record says about a file. */
export type MediaFileInfo = Omit<Extract<MediaRecordOf, { type: 'mediaFile' }>, 'type'>;

/**
 * One media file as records: its `mediaFile` record, then its bytes in `mediaData` records of at
 * most MEDIA_PIECE_BYTES, read from `bytes` as they come (a File's stream): never the whole file.
 * Throws a plain Error when the stream's length differs from `info.size` (the file changed).
 */
export async function* mediaFileRecords(info: MediaFileInfo, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  yield encodeRecord({ type: 'mediaFile', ...info });
  let sent = 0;
  for await (const piece of bytes) {
    for (let at = 0; at < piece.length; at += MEDIA_PIECE_BYTES) {
      const part = piece.subarray(at, Math.min(piece.length, at + MEDIA_PIECE_BYTES));
      sent += part.length;
      if (sent > info.size) break;
      yield* encodeRecordParts({ type: 'mediaData', bytes: part });
    }
    if (sent > info.size) break;
  }
  if (sent !== info.size) {
    throw new UnsealError('internal', `A media file (chat ${info.chatId}, message ${info.pos}) changed while it was being saved: ${sent > info.size ? 'more' : sent} bytes, not ${info.size}. Try again.`);
  }
}

export type RecordType = ArchiveRecord['type'];

/** A record as it goes into the payload: `uvarint(length) || value`, as one array. */
export function encodeRecord(record: ArchiveRecord<object, Chat>): Uint8Array {
  return concatBytes(encodeRecordParts(record));
}

/**
 * A record as it goes into the payload, in consecutive parts: what encodeRecord returns, without
 * copying big typed arrays (the search index's meta record holds tens of MB of them): those parts
 * are views of the record's own arrays, valid while the record is unchanged.
 */
export function encodeRecordParts(record: ArchiveRecord<object, Chat>): Uint8Array[] {
  // One scratch buffer for every record: a fresh, doubling buffer per record made ~2× each
  // record's size in garbage (a 1M-message library: ~1 GB), and first writes to fresh memory are
  // slow (page faults). The rest of the record leaves as exact-size copies.
  const w = (scratch ??= new ByteWriter(SCRATCH_BYTES));
  w.pos = 8; // room for the length
  w.runs = [];
  scratchKeys.clear();
  try {
    writeValue(w, record, scratchKeys, 0);
    const length = w.pos - 8 + w.runs.reduce((n, r) => n + r.bytes.length, 0);
    if (length > MAX_RECORD_BYTES) throw new RangeError(`archive records: a ${record.type} record of ${length} bytes is over the 1 GiB limit`);
    const end = w.pos;
    const start = 8 - uvarintSize(length);
    w.pos = start;
    w.uvarint(length);
    const parts: Uint8Array[] = [];
    let from = start;
    for (const run of w.runs) {
      if (run.at > from) parts.push(w.buf.slice(from, run.at));
      parts.push(run.bytes);
      from = run.at;
    }
    if (end > from || parts.length === 0) parts.push(w.buf.slice(from, end));
    return parts;
  } finally {
    w.runs = undefined;
    // A rare huge record does not keep its buffer alive.
    if (w.buf.length > SCRATCH_KEEP_BYTES) scratch = undefined;
  }
}

/** Typed arrays this big are handed out by encodeRecordParts as they are. */
const BIG_RUN = 64 * 1024;
const SCRATCH_BYTES = 256 * 1024;
const SCRATCH_KEEP_BYTES = 16 * 1024 * 1024;
let scratch: ByteWriter | undefined;
const scratchKeys = new Map<string, number>();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isCount = (v: unknown): v is number => isInt(v) && v >= 0;

/** Checks a decoded value's shape (shallowly: what the restorer indexes on) and types it. */
export function toRecord(v: Value): ArchiveRecord {
  if (!isObject(v) || typeof v.type !== 'string') corrupt('a record that is not a typed object');
  const ok = (() => {
    switch (v.type) {
      case 'library':
        return isObject(v.library);
      case 'chat':
        return isObject(v.chat) && isInt(v.chat.id);
      case 'page':
        return isInt(v.chatId) && isCount(v.page) && Array.isArray(v.messages) && v.messages.every(isObject);
      case 'searchMeta':
        return isObject(v.meta);
      case 'searchBucket':
        return isObject(v.bucket) && isCount(v.bucket.bucket) && isCount(v.bucket.segment);
      case 'media':
        return isCount(v.files) && isCount(v.bytes);
      case 'mediaFile':
        return isInt(v.chatId) && isCount(v.pos) && typeof v.name === 'string' && (v.mime === undefined || typeof v.mime === 'string') && isCount(v.size);
      case 'mediaData':
        return Object.getPrototypeOf(v.bytes) === Uint8Array.prototype;
      case 'end':
        return isCount(v.chats) && isCount(v.pages) && isCount(v.searchBuckets) && (v.mediaFiles === undefined || isCount(v.mediaFiles));
      default:
        return corrupt(`an unknown record type ${JSON.stringify(v.type).slice(0, 40)}`);
    }
  })();
  if (!ok) corrupt(`a ${v.type} record of the wrong shape`);
  return v as unknown as ArchiveRecord;
}

/**
 * The records in a payload given as chunks (openArchive's output). A record may span chunks;
 * memory is one record plus one chunk. The payload must end exactly after a record.
 */
export async function* decodeRecords(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<ArchiveRecord, void, undefined> {
  // State: reading a length (varint bytes so far), or filling a record body.
  let lenBytes: number[] = [];
  let body: Uint8Array | undefined;
  let filled = 0;
  for await (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length) {
      if (body === undefined) {
        const b = chunk[at++];
        lenBytes.push(b);
        if (b & 0x80) {
          if (lenBytes.length >= 8) corrupt('a record length longer than 8 bytes');
          continue;
        }
        const length = new ByteReader(new Uint8Array(lenBytes)).uvarint();
        lenBytes = [];
        if (length === 0) corrupt('an empty record');
        if (length > MAX_RECORD_BYTES) corrupt('a record over 1 GiB');
        if (chunk.length - at >= length) {
          // The whole record is in this chunk: decode it in place.
          const v = decodeValue(chunk.subarray(at, at + length));
          at += length;
          yield toRecord(v);
          continue;
        }
        body = new Uint8Array(length);
        filled = 0;
      }
      const n = Math.min(body.length - filled, chunk.length - at);
      body.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === body.length) {
        const v = decodeValue(body);
        body = undefined;
        yield toRecord(v);
      }
    }
  }
  if (body !== undefined || lenBytes.length > 0) corrupt('the payload ends inside a record');
}

/**
 * Enforces the record order of docs/FORMATS.md: library; chats; pages sorted by (chatId, page)
 * of chats already sent; at most one searchMeta; searchBuckets after it; in v2 exactly one media
 * record, then each file's mediaFile record (sorted by (chatId, pos), of chats sent) followed by
 * exactly its bytes in mediaData records; end with the right counts; nothing after. `accept`
 * throws `corrupt` on the first violation; `finish` when the payload ended without `end`.
 * `version` is the archive's (from its authenticated header): media records in v1 are corrupt.
 */
export class RecordChecker {
  private stage = 0; // 0 want library, 1 chats, 2 pages, 3 search, 5 media, 4 ended
  private readonly chatIds = new Set<number>();
  private pages = 0;
  private buckets = 0;
  private lastPage: [number, number] | undefined;
  private media: { files: number; bytes: number } | undefined;
  private mediaFiles = 0;
  private mediaBytes = 0;
  private lastFile: [number, number] | undefined;
  /** Bytes still owed by the current file's mediaData records. */
  private owed = 0;

  constructor(private readonly version: FormatVersion = FORMAT_VERSION_NO_MEDIA) {}

  accept(r: ArchiveRecord<object, Chat>): void {
    if (this.stage === 4) corrupt('a record after the end record');
    if (this.stage === 0 && r.type !== 'library') corrupt('the first record is not the library');
    if (this.owed > 0 && r.type !== 'mediaData') corrupt('a media file shorter than its size');
    switch (r.type) {
      case 'library':
        if (this.stage !== 0) corrupt('a second library record');
        this.stage = 1;
        return;
      case 'chat':
        if (this.stage !== 1) corrupt('a chat record after pages, search or media records');
        if (this.chatIds.has(r.chat.id)) corrupt(`chat ${r.chat.id} twice`);
        this.chatIds.add(r.chat.id);
        return;
      case 'page': {
        if (this.stage > 2) corrupt('a page record after search or media records');
        this.stage = 2;
        if (!this.chatIds.has(r.chatId)) corrupt(`a page of chat ${r.chatId}, which was not sent`);
        const last = this.lastPage;
        if (last && (r.chatId < last[0] || (r.chatId === last[0] && r.page <= last[1]))) corrupt('pages out of order or twice');
        this.lastPage = [r.chatId, r.page];
        this.pages++;
        return;
      }
      case 'searchMeta':
        if (this.stage >= 3) corrupt('a second searchMeta record, or one after media records');
        this.stage = 3;
        return;
      case 'searchBucket':
        if (this.stage !== 3) corrupt('a searchBucket record before searchMeta or after media records');
        this.buckets++;
        return;
      case 'media':
        if (this.version < FORMAT_VERSION_MEDIA) corrupt('a media record in a v1 archive');
        if (this.stage === 5) corrupt('a second media record');
        this.stage = 5;
        this.media = { files: r.files, bytes: r.bytes };
        return;
      case 'mediaFile': {
        if (this.stage !== 5) corrupt('a mediaFile record before the media record');
        if (!this.chatIds.has(r.chatId)) corrupt(`a media file of chat ${r.chatId}, which was not sent`);
        const last = this.lastFile;
        if (last && (r.chatId < last[0] || (r.chatId === last[0] && r.pos <= last[1]))) corrupt('media files out of order or twice');
        this.lastFile = [r.chatId, r.pos];
        this.mediaFiles++;
        this.mediaBytes += r.size;
        if (this.mediaFiles > this.media!.files || this.mediaBytes > this.media!.bytes) corrupt('more media than the media record announced');
        this.owed = r.size;
        return;
      }
      case 'mediaData':
        if (r.bytes.length === 0 || r.bytes.length > this.owed) corrupt('a mediaData record that is empty, outside a file, or past its size');
        this.owed -= r.bytes.length;
        return;
      case 'end':
        if (this.version >= FORMAT_VERSION_MEDIA) {
          if (!this.media) corrupt('a v2 archive without its media record');
          if (this.mediaFiles !== this.media.files || this.mediaBytes !== this.media.bytes || r.mediaFiles !== this.mediaFiles) {
            corrupt(`the media counts (${this.media.files} files, ${this.media.bytes} bytes, end ${r.mediaFiles}) differ from the records (${this.mediaFiles}, ${this.mediaBytes})`);
          }
        } else if (r.mediaFiles !== undefined) {
          corrupt('a media count in a v1 archive');
        }
        if (r.chats !== this.chatIds.size || r.pages !== this.pages || r.searchBuckets !== this.buckets) {
          corrupt(`the end record counts (${r.chats}, ${r.pages}, ${r.searchBuckets}) differ from the records (${this.chatIds.size}, ${this.pages}, ${this.buckets})`);
        }
        this.stage = 4;
        return;
    }
  }

  /** Call after the payload ended (openArchive returned). */
  finish(): void {
    if (this.stage !== 4) corrupt('the payload ends without an end record');
  }
}
