/**
 * crypt12 / crypt14 / crypt15 headers (shared/spec/backup-formats.md §4, §5).
 *
 * crypt12: fixed 67 bytes. crypt14/15: a length prefix, then a `BackupPrefix` protobuf. The
 * prefix is read both ways the spec describes (§5.1 reader rule): (1) a 2-byte varint when
 * byte 0 ≥ 0x80; (2) L = byte 0, protobuf at 2 if byte 1 is the tools' `0x01` marker, else at 1;
 * (3) L = byte 0 at 1. The first candidate whose protobuf parses to exactly L bytes with a 16-byte
 * IV wins. The data offset is computed from it, never guessed.
 *
 * Errors: `truncated` when the file ends inside the header (the protobuf read so far is a clean
 * prefix); `corrupt` when the bytes are recognisably a crypt14/15 header but do not parse
 * (a damaged header); `not-a-backup` when the bytes are no header at all.
 */

import { UnsealError } from '../errors';
import { sniffBackup } from './sniff';

export interface BackupHeader {
  format: 'crypt12' | 'crypt14' | 'crypt15';
  iv: Uint8Array;
  /** Offset of the first ciphertext byte. */
  dataOffset: number;
  /** crypt14/15: bytes of the length prefix (1 or 2) and the protobuf length. */
  prefixBytes?: number;
  protobufLength?: number;
  /** crypt14/15: 0 = WhatsApp-provided key, 1 = E2E. */
  keyType?: number;
  /** crypt12/14: 2 bytes, `00 01`. */
  cipherVersion?: Uint8Array;
  /** crypt12: the raw byte; crypt14: the ASCII digit's value (`"2"` → 2), NaN when not a digit. */
  keyVersion?: number;
  serverSalt?: Uint8Array;
  googleIdSalt?: Uint8Array;
  appVersion?: string;
  jidSuffix?: string;
  backupVersion?: number;
  /** Feature flags (info fields 5+ with varint values), by field number. */
  features: Record<number, number>;
  /** Field numbers skipped because we do not know them (e.g. "prefix.7", "info.2"). */
  unknownFields: string[];
}

// ---------------------------------------------------------------- minimal protobuf reader

class PbError extends Error {
  constructor(readonly kind: 'bad' | 'eof') {
    super(kind);
  }
}

interface PbField {
  no: number;
  wire: number;
  /** varint value (wire 0) */
  n: number;
  /** bytes (wire 1, 2, 5) */
  bytes: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new PbError('eof');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (!(b & 0x80)) return [value, pos];
  }
  throw new PbError('bad');
}

const NO_BYTES = new Uint8Array(0);

/** Reads one field at `pos`. Running past `end` throws 'eof'. */
function readField(buf: Uint8Array, pos: number, end: number): [PbField, number] {
  const [tag, p0] = readVarint(buf, pos, end);
  const no = Math.floor(tag / 8);
  const wire = tag % 8;
  if (no === 0) throw new PbError('bad');
  let p = p0;
  switch (wire) {
    case 0: {
      const [n, p1] = readVarint(buf, p, end);
      return [{ no, wire, n, bytes: NO_BYTES }, p1];
    }
    case 1:
    case 5: {
      const len = wire === 1 ? 8 : 4;
      if (p + len > end) throw new PbError('eof');
      return [{ no, wire, n: 0, bytes: buf.subarray(p, p + len) }, p + len];
    }
    case 2: {
      const [len, p1] = readVarint(buf, p, end);
      p = p1;
      if (p + len > end) throw new PbError('eof');
      return [{ no, wire, n: len, bytes: buf.subarray(p, p + len) }, p + len];
    }
    default:
      throw new PbError('bad');
  }
}

/** All fields of a message that must span exactly [start, end). */
function readMessage(buf: Uint8Array, start = 0, end = buf.length): PbField[] {
  const out: PbField[] = [];
  let pos = start;
  try {
    while (pos < end) {
      const [f, next] = readField(buf, pos, end);
      out.push(f);
      pos = next;
    }
  } catch (e) {
    if (e instanceof PbError) throw new PbError('bad'); // inside a declared length: overrun = damage
    throw e;
  }
  return out;
}

const utf8 = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);

type Interpretation = { ok: true; header: BackupHeader } | { ok: false; why: 'bad' | 'eof' };

/** The BackupPrefix message in [start, start+len), which must all be present. */
function interpretPrefix(fields: PbField[]): BackupHeader | null {
  const h: BackupHeader = { format: 'crypt15', iv: NO_BYTES, dataOffset: 0, features: {}, unknownFields: [] };
  let kinds = 0;
  const seen = new Set<number>();
  for (const f of fields) {
    if (f.no <= 4) {
      if (seen.has(f.no)) return null; // a known field twice: not a real header
      seen.add(f.no);
    }
    if (f.no === 1 && f.wire === 0) h.keyType = f.n;
    else if (f.no === 2 && f.wire === 2) {
      kinds++;
      h.format = 'crypt14';
      for (const g of readMessage(f.bytes)) {
        if (g.wire !== 2) {
          h.unknownFields.push(`c14.${g.no}`);
          continue;
        }
        if (g.no === 1) h.cipherVersion = g.bytes.slice();
        else if (g.no === 2) h.keyVersion = g.bytes.length === 1 && g.bytes[0] >= 0x30 && g.bytes[0] <= 0x39 ? g.bytes[0] - 0x30 : NaN;
        else if (g.no === 3) h.serverSalt = g.bytes.slice();
        else if (g.no === 4) h.googleIdSalt = g.bytes.slice();
        else if (g.no === 5) h.iv = g.bytes.slice();
        else h.unknownFields.push(`c14.${g.no}`);
      }
    } else if (f.no === 3 && f.wire === 2) {
      kinds++;
      h.format = 'crypt15';
      for (const g of readMessage(f.bytes)) {
        if (g.no === 1 && g.wire === 2) h.iv = g.bytes.slice();
        else h.unknownFields.push(`c15.${g.no}`);
      }
    } else if (f.no === 4 && f.wire === 2) {
      for (const g of readMessage(f.bytes)) {
        if (g.no === 1 && g.wire === 2) h.appVersion = utf8(g.bytes);
        else if (g.no === 3 && g.wire === 2) h.jidSuffix = utf8(g.bytes);
        else if (g.no === 4 && g.wire === 0) h.backupVersion = g.n;
        else if (g.no >= 5 && g.wire === 0) h.features[g.no] = g.n;
        else h.unknownFields.push(`info.${g.no}`);
      }
    } else if (f.no <= 4) return null; // a known field with the wrong wire type
    else h.unknownFields.push(`prefix.${f.no}`);
  }
  if (kinds !== 1 || h.iv.length !== 16) return null;
  return h;
}

/**
 * The file ends before the declared protobuf length: is what we have a clean start of a
 * BackupPrefix (then the file is truncated) or garbage (a damaged length prefix)? Known fields
 * only, each at most once, nested messages of complete fields must parse.
 */
function cleanPrefixUntilEof(buf: Uint8Array, start: number): boolean {
  let pos = start;
  const seen = new Set<number>();
  try {
    while (pos < buf.length) {
      const [f, next] = readField(buf, pos, buf.length);
      const known = (f.no === 1 && f.wire === 0) || ((f.no === 2 || f.no === 3 || f.no === 4) && f.wire === 2);
      if (!known || seen.has(f.no)) return false;
      seen.add(f.no);
      if (f.wire === 2) readMessage(f.bytes);
      pos = next;
    }
    return true; // ends on a field boundary, short of the declared length
  } catch (e) {
    if (e instanceof PbError) return e.kind === 'eof';
    throw e;
  }
}

function tryCandidate(head: Uint8Array, fileSize: number, len: number, start: number): Interpretation {
  if (len === 0) return { ok: false, why: 'bad' };
  const end = start + len;
  if (end > head.length) {
    // head holds min(fileSize, HEAD_BYTES) ≥ any 2-byte-prefix header, so this is the real EOF
    if (head.length < fileSize) return { ok: false, why: 'bad' };
    if (start >= head.length) return { ok: false, why: 'eof' };
    return { ok: false, why: cleanPrefixUntilEof(head, start) ? 'eof' : 'bad' };
  }
  let fields: PbField[];
  try {
    fields = readMessage(head, start, end);
  } catch (e) {
    if (e instanceof PbError) return { ok: false, why: 'bad' };
    throw e;
  }
  let header: BackupHeader | null;
  try {
    header = interpretPrefix(fields);
  } catch (e) {
    if (e instanceof PbError) return { ok: false, why: 'bad' };
    throw e;
  }
  if (!header) return { ok: false, why: 'bad' };
  header.prefixBytes = start;
  header.protobufLength = len;
  header.dataOffset = end;
  return { ok: true, header };
}

/** Parses the crypt14/15 protobuf header. `head` is the file's first min(size, HEAD_BYTES) bytes. */
export function parseProtobufHeader(head: Uint8Array, fileSize: number): BackupHeader {
  if (head.length < 2) {
    throw new UnsealError('truncated', 'The file ends inside the backup header.', { where: 'header', size: fileSize });
  }
  const b0 = head[0];
  const b1 = head[1];
  const candidates: [number, number][] = [];
  if (b0 >= 0x80 && b1 < 0x80) candidates.push([(b0 & 0x7f) | (b1 << 7), 2]);
  candidates.push([b0, b1 === 0x01 ? 2 : 1]);
  candidates.push([b0, 1]);
  let cut = false;
  const tried = new Set<string>();
  for (const [len, start] of candidates) {
    const id = `${len}@${start}`;
    if (tried.has(id)) continue;
    tried.add(id);
    const r = tryCandidate(head, fileSize, len, start);
    if (r.ok) return r.header;
    if (r.why === 'eof') cut = true;
  }
  if (cut) {
    throw new UnsealError('truncated', 'The file ends inside the backup header.', { where: 'header', size: fileSize });
  }
  throw new UnsealError('corrupt', 'The backup header is damaged: it does not parse.', { where: 'header', size: fileSize });
}

export const CRYPT12_HEADER_SIZE = 67;

export function parseCrypt12Header(head: Uint8Array, fileSize: number): BackupHeader {
  if (head.length < CRYPT12_HEADER_SIZE) {
    throw new UnsealError('truncated', 'The file ends inside the crypt12 header.', {
      where: 'header',
      format: 'crypt12',
      size: fileSize,
      needed: CRYPT12_HEADER_SIZE,
    });
  }
  return {
    format: 'crypt12',
    cipherVersion: head.slice(0, 2),
    keyVersion: head[2],
    serverSalt: head.slice(3, 35),
    googleIdSalt: head.slice(35, 51),
    iv: head.slice(51, 67),
    dataOffset: CRYPT12_HEADER_SIZE,
    features: {},
    unknownFields: [],
  };
}

/** Sniffs and parses the header of a crypt12/14/15 file. */
export function parseHeader(head: Uint8Array, fileSize: number): BackupHeader {
  const s = sniffBackup(head, fileSize);
  if (s.kind === 'crypt12') return parseCrypt12Header(head, fileSize);
  if (s.kind === 'crypt14' || s.kind === 'crypt15') return parseProtobufHeader(head, fileSize);
  throw new UnsealError('not-a-backup', 'This is not a WhatsApp crypt12/14/15 backup.', { found: s.kind });
}
