/**
 * What is this file? Decided from its first bytes and its size, never its name
 * (shared/spec/backup-formats.md §10.2). Needs no key.
 *
 * crypt14/15 are recognised by the start of their protobuf header (`08 01 1a` crypt15,
 * `08 00 12` crypt14) after a 1- or 2-byte length prefix. A start that differs from the fixed
 * crypt14/15 header bytes by exactly one bit is reported as that format with `damaged: true`
 * (a flipped bit in a real backup, not a different file: random data hits this with
 * probability < 2^-40). crypt12 has only a 3-byte signature (`00 01 0x`, x = 1..3), so a damaged
 * crypt12 start is recognised later, with the key's server salt (decrypt.ts).
 */

import { startsWith, SQLITE_MAGIC, ZIP_MAGIC, bitDistance } from './bytes';
import { CRYPT15_KEY_FILE_SIZE, JAVA_KEY_MAGIC, LEGACY_KEY_FILE_SIZE, parseKeyText } from './key';

export type SniffResult =
  | { kind: 'key-file'; keyKind: 'crypt15' | 'legacy' | 'text' | 'unknown' }
  | { kind: 'sqlite' }
  | { kind: 'zip' }
  | { kind: 'unseal-archive' }
  | { kind: 'crypt12' | 'crypt14' | 'crypt15'; damaged: boolean }
  | { kind: 'unknown'; looksLike?: 'empty' | 'too-short' | 'jpeg' | 'png' | 'gif' | 'pdf' | 'gzip' | 'text' };

export type BackupKind = SniffResult['kind'];

/** Bytes the sniffer and header parser want to see: every 1- or 2-byte-prefix header fits. */
export const HEAD_BYTES = 65536;

const ARCHIVE_MAGIC = [...'unseal-archive/'].map((c) => c.charCodeAt(0));
// Fixed header bytes after the length prefix (spec §5.4): key_type, then the c15_iv / c14_cipher
// field start, up to the first byte that varies between files.
const C15_FIXED = [0x08, 0x01, 0x1a, 0x12, 0x0a, 0x10];
const C14_FIXED = [0x08, 0x00, 0x12, 0x4d, 0x0a, 0x02, 0x00, 0x01, 0x12, 0x01];

/** Offsets where a crypt14/15 protobuf may start: after a 1- or 2-byte length prefix. */
function protobufStarts(head: Uint8Array): number[] {
  return head.length >= 2 ? [1, 2] : [];
}

export function sniffBackup(head: Uint8Array, size: number): SniffResult {
  if (size === 0 || head.length === 0) return { kind: 'unknown', looksLike: 'empty' };
  if (startsWith(head, JAVA_KEY_MAGIC)) {
    const keyKind = size === CRYPT15_KEY_FILE_SIZE ? 'crypt15' : size === LEGACY_KEY_FILE_SIZE ? 'legacy' : 'unknown';
    return { kind: 'key-file', keyKind };
  }
  if (startsWith(head, SQLITE_MAGIC)) return { kind: 'sqlite' };
  if (startsWith(head, ZIP_MAGIC)) return { kind: 'zip' };
  if (startsWith(head, ARCHIVE_MAGIC)) return { kind: 'unseal-archive' };

  // crypt14/15, exact start
  for (const at of protobufStarts(head)) {
    if (at === 2 && !(head[0] >= 0x80 || head[1] === 0x01)) continue;
    if (startsWith(head, [0x08, 0x01, 0x1a], at)) return { kind: 'crypt15', damaged: false };
    if (startsWith(head, [0x08, 0x00, 0x12], at)) return { kind: 'crypt14', damaged: false };
  }
  // A crypt14/15 file cut inside its first protobuf bytes (3 or 4 bytes long): `84 01 08`, `27 08 01`.
  if (head.length === size && size >= 3 && size < 6) {
    for (const at of protobufStarts(head)) {
      if (at === 2 && !(head[0] >= 0x80 || head[1] === 0x01)) continue;
      const rest = head.subarray(at);
      if (rest.length > 0 && rest.length < 3) {
        if (startsWith(C15_FIXED, rest)) return { kind: 'crypt15', damaged: false };
        if (startsWith(C14_FIXED, rest)) return { kind: 'crypt14', damaged: false };
      }
    }
  }
  // crypt12: cipher version 00 01, key version 1..3
  if (head.length >= 3 && head[0] === 0 && head[1] === 1 && head[2] >= 1 && head[2] <= 3) {
    return { kind: 'crypt12', damaged: false };
  }
  // crypt14/15 with one flipped bit in the fixed header bytes (or in the prefix, which moves them)
  for (const at of protobufStarts(head)) {
    if (head.length >= at + C15_FIXED.length && bitDistance(head.subarray(at, at + C15_FIXED.length), new Uint8Array(C15_FIXED)) === 1) {
      return { kind: 'crypt15', damaged: true };
    }
    if (head.length >= at + C14_FIXED.length && bitDistance(head.subarray(at, at + C14_FIXED.length), new Uint8Array(C14_FIXED)) === 1) {
      return { kind: 'crypt14', damaged: true };
    }
  }
  if (size <= 512 && looksLikeKeyText(head)) return { kind: 'key-file', keyKind: 'text' };
  return { kind: 'unknown', looksLike: guess(head, size) };
}

function looksLikeKeyText(head: Uint8Array): boolean {
  try {
    return parseKeyText(new TextDecoder('utf-8', { fatal: true }).decode(head)).ok;
  } catch {
    return false;
  }
}

function guess(head: Uint8Array, size: number): Exclude<SniffResult, { kind: 'key-file' | 'sqlite' | 'zip' | 'unseal-archive' | 'crypt12' | 'crypt14' | 'crypt15' }>['looksLike'] {
  if (size < 3) return 'too-short';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  const n = Math.min(head.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2) printable++;
  }
  return printable === n ? 'text' : undefined;
}
