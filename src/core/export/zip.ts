/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3.10): entries go out as their data arrives, never
 * the whole archive in memory. What it writes (documented in docs/FORMATS.md, "Export zip"):
 *
 * - Method 0 (STORE) only. Flags: bit 3 (CRC-32 and sizes follow the data in a data
 *   descriptor, signature `PK\x07\x08`) and bit 11 (names are UTF-8).
 * - CRC-32 (IEEE 802.3, reflected 0xEDB88320) is computed incrementally over each entry.
 * - Times: MS-DOS date/time in the given time zone (or the runtime's local zone) plus the
 *   "extended timestamp" extra field 0x5455 (UTC mtime, seconds).
 * - ZIP64: with `zip64: 'auto'` (default) an entry of 4 GiB or more gets a 24-byte ZIP64 data
 *   descriptor and a ZIP64 extra field in the central directory (its local header, written
 *   before its size was known, carries none, as Go's archive/zip does; readers that work from
 *   the central directory, which is all common ones, read it), and the archive ends with a ZIP64
 *   end record and locator when it has 65,535 entries or more or the central directory starts
 *   at or beyond 4 GiB. With `zip64: 'always'` every entry carries ZIP64 fields from its local
 *   header on, which every streaming reader understands; use it when entries may be that large.
 *
 * Names are checked: relative, `/`-separated, no `..`, no backslash, no NUL, unique.
 */
import { makeClock, type Clock } from './common';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, e.g. `chats/Family.html`. */
  name: string;
  /** ms since epoch; default: now. */
  modified?: number;
  data: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | Uint8Array | string;
}

export interface ZipOptions {
  zip64?: 'auto' | 'always';
  /** IANA zone for the MS-DOS times (default: the runtime's local zone). */
  timeZone?: string;
}

// ---- CRC-32, slicing-by-8 ----

const CRC_TABLES: Uint32Array[] = (() => {
  const t: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  t.push(t0);
  for (let s = 1; s < 8; s++) {
    const prev = t[s - 1];
    const cur = new Uint32Array(256);
    for (let n = 0; n < 256; n++) cur[n] = (prev[n] >>> 8) ^ t0[prev[n] & 0xff];
    t.push(cur);
  }
  return t;
})();

/** Continues a CRC-32 over more bytes: `crc32(b, crc32(a)) === crc32(a ‖ b)`. Start with 0. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    c =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---- byte helpers ----

const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private o = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(v: number): this {
    this.view.setUint16(this.o, v, true);
    this.o += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.o, v >>> 0, true);
    this.o += 4;
    return this;
  }
  u64(v: number): this {
    this.view.setUint32(this.o, v % 0x100000000, true);
    this.view.setUint32(this.o + 4, Math.floor(v / 0x100000000), true);
    this.o += 8;
    return this;
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.o);
    this.o += b.length;
    return this;
  }
  done(): Uint8Array {
    if (this.o !== this.bytes.length) throw new Error(`zip: wrote ${this.o} of ${this.bytes.length} bytes`);
    return this.bytes;
  }
}

function checkName(name: string, seen: Set<string>): Uint8Array {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0') || name.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new Error(`zip: bad entry name ${JSON.stringify(name)}`);
  }
  if (seen.has(name)) throw new Error(`zip: duplicate entry name ${JSON.stringify(name)}`);
  seen.add(name);
  const bytes = new TextEncoder().encode(name);
  if (bytes.length > U16_MAX) throw new Error('zip: entry name too long');
  return bytes;
}

function dosDateTime(ts: number, clock: Clock): { time: number; date: number } {
  const p = clock(ts);
  if (p.year < 1980) return { time: 0, date: (1 << 5) | 1 }; // 1980-01-01 00:00
  const year = Math.min(p.year, 2107);
  return {
    time: (p.hour << 11) | (p.minute << 5) | (p.second >> 1),
    date: ((year - 1980) << 9) | (p.month << 5) | p.day,
  };
}

async function* chunksOf(data: ZipEntry['data']): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  if (typeof data === 'string') {
    yield enc.encode(data);
    return;
  }
  if (data instanceof Uint8Array) {
    yield data;
    return;
  }
  for await (const c of data) yield typeof c === 'string' ? enc.encode(c) : c;
}

interface CentralRecord {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
  mtime: number;
  zip64: boolean;
}

const FLAGS = 0x0008 | 0x0800;
const VERSION_20 = 20;
const VERSION_45 = 45;
// Made by: 3 = UNIX (so the external attributes carry a 0644 file mode).
const MADE_BY = (3 << 8) | VERSION_45;

/** Streams a ZIP archive of `entries` (pulled one at a time, each one's data as it comes). */
export async function* zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, opts: ZipOptions = {}): AsyncGenerator<Uint8Array> {
  const always = opts.zip64 === 'always';
  const central: CentralRecord[] = [];
  const seen = new Set<string>();
  const clock = makeClock(opts.timeZone);
  let offset = 0;

  for await (const entry of entries) {
    const name = checkName(entry.name, seen);
    const modified = entry.modified ?? Date.now();
    const { time, date } = dosDateTime(modified, clock);
    const mtime = Math.max(0, Math.min(U32_MAX, Math.floor(modified / 1000)));
    const headerOffset = offset;

    // Local file header: CRC and sizes are zero here; the data descriptor carries them.
    const localExtra = 9 + (always ? 20 : 0);
    const lh = new Writer(30 + name.length + localExtra)
      .u32(0x04034b50)
      .u16(always ? VERSION_45 : VERSION_20)
      .u16(FLAGS)
      .u16(0)
      .u16(time)
      .u16(date)
      .u32(0)
      .u32(always ? U32_MAX : 0)
      .u32(always ? U32_MAX : 0)
      .u16(name.length)
      .u16(localExtra)
      .raw(name)
      .u16(0x5455).u16(5).raw(new Uint8Array([1])).u32(mtime);
    if (always) lh.u16(0x0001).u16(16).u64(0).u64(0);
    const local = lh.done();
    yield local;
    offset += local.length;

    let crc = 0;
    let size = 0;
    for await (const chunk of chunksOf(entry.data)) {
      if (chunk.length === 0) continue;
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    offset += size;

    const big = always || size >= U32_MAX;
    const dd = new Writer(big ? 24 : 16).u32(0x08074b50).u32(crc);
    if (big) dd.u64(size).u64(size);
    else dd.u32(size).u32(size);
    const descriptor = dd.done();
    yield descriptor;
    offset += descriptor.length;

    central.push({ name, crc, size, offset: headerOffset, time, date, mtime, zip64: always || size >= U32_MAX || headerOffset >= U32_MAX });
  }

  const cdStart = offset;
  for (const r of central) {
    const z: number[] = [];
    if (always || r.size >= U32_MAX) z.push(r.size, r.size);
    if (always || r.offset >= U32_MAX) z.push(r.offset);
    const zipExtra = z.length ? 4 + 8 * z.length : 0;
    const w = new Writer(46 + r.name.length + 9 + zipExtra)
      .u32(0x02014b50)
      .u16(MADE_BY)
      .u16(r.zip64 ? VERSION_45 : VERSION_20)
      .u16(FLAGS)
      .u16(0)
      .u16(r.time)
      .u16(r.date)
      .u32(r.crc)
      .u32(always || r.size >= U32_MAX ? U32_MAX : r.size)
      .u32(always || r.size >= U32_MAX ? U32_MAX : r.size)
      .u16(r.name.length)
      .u16(9 + zipExtra)
      .u16(0) // comment
      .u16(0) // disk
      .u16(0) // internal attributes
      .u32((0o100644 << 16) >>> 0)
      .u32(always || r.offset >= U32_MAX ? U32_MAX : r.offset)
      .raw(r.name)
      .u16(0x5455).u16(5).raw(new Uint8Array([1])).u32(r.mtime);
    if (z.length) {
      w.u16(0x0001).u16(8 * z.length);
      for (const v of z) w.u64(v);
    }
    const rec = w.done();
    yield rec;
    offset += rec.length;
  }
  const cdSize = offset - cdStart;
  const n = central.length;

  if (always || n >= U16_MAX || cdStart >= U32_MAX || cdSize >= U32_MAX) {
    const eocd64At = offset;
    yield new Writer(56)
      .u32(0x06064b50)
      .u64(44)
      .u16(MADE_BY)
      .u16(VERSION_45)
      .u32(0)
      .u32(0)
      .u64(n)
      .u64(n)
      .u64(cdSize)
      .u64(cdStart)
      .done();
    yield new Writer(20).u32(0x07064b50).u32(0).u64(eocd64At).u32(1).done();
    yield new Writer(22)
      .u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(Math.min(n, U16_MAX))
      .u16(Math.min(n, U16_MAX))
      .u32(Math.min(cdSize, U32_MAX))
      .u32(always ? U32_MAX : Math.min(cdStart, U32_MAX))
      .u16(0)
      .done();
  } else {
    yield new Writer(22).u32(0x06054b50).u16(0).u16(0).u16(n).u16(n).u32(cdSize).u32(cdStart).u16(0).done();
  }
}
