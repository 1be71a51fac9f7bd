/**
 * Key material for WhatsApp backups (shared/spec/backup-formats.md §2.4, §3).
 *
 * - The 64-digit key (crypt15 root key) as people type it: `parseKeyText`, which never throws
 *   and says exactly what is wrong, so the UI can use it live while the user types.
 * - Key files: `encrypted_backup.key` (59 bytes, crypt15), the legacy `key` (158 bytes,
 *   crypt12/14), or a text file holding the 64 digits: `parseKeyFile`, which throws `bad-key`.
 */

import { UnsealError } from '../errors';
import { startsWith } from './bytes';

export type KeyMaterial =
  | { kind: 'crypt15'; root: Uint8Array }
  | {
      kind: 'legacy';
      /** The AES-256 key, used as is (no derivation). */
      aesKey: Uint8Array;
      /** 32 bytes, repeated in every crypt12/14 header made with this key. */
      serverSalt: Uint8Array;
      googleIdSalt: Uint8Array;
      /** Raw byte (1, 2 or 3 seen). */
      keyVersion: number;
      /** Big-endian 16-bit value, always 1 so far. */
      cipherVersion: number;
    };

export type KeyTextResult =
  | { ok: true; key: Uint8Array }
  | {
      ok: false;
      problem: 'empty' | 'length' | 'non-hex';
      message: string;
      /** Hex digits counted (separators ignored). */
      digits: number;
      /** For 'non-hex': index of the offending character in the original text. */
      index?: number;
    };

const SEPARATORS = new Set([' ', '\t', '\n', '\r', '-', ':', '\u00a0']);
const LOOKALIKES: Record<string, string> = { O: '0', o: '0', Q: '0', l: '1', I: '1', i: '1', L: '1', '|': '1', S: '5', s: '5', Z: '2', z: '2', G: '6', g: '9', q: '9' };

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses the 64-digit key: spaces, tabs, new lines, `-` and `:` are ignored, any letter case. */
export function parseKeyText(text: string): KeyTextResult {
  const nibbles: number[] = [];
  let firstBad: { char: string; index: number; digitPos: number } | undefined;
  let badCount = 0;
  const chars = [...text]; // code points, so an emoji counts once
  let index = 0;
  for (const ch of chars) {
    if (!SEPARATORS.has(ch)) {
      const v = ch.length === 1 ? hexValue(ch.charCodeAt(0)) : -1;
      if (v < 0) {
        badCount++;
        firstBad ??= { char: ch, index, digitPos: nibbles.length + badCount };
      } else nibbles.push(v);
    }
    index += ch.length;
  }
  const digits = nibbles.length;
  if (digits === 0 && badCount === 0) {
    return { ok: false, problem: 'empty', message: 'Enter the 64-digit key.', digits };
  }
  if (firstBad) {
    const hint = LOOKALIKES[firstBad.char];
    const more = badCount > 1 ? ` (and ${badCount - 1} more character${badCount > 2 ? 's' : ''} like it)` : '';
    const shown = /\s/u.test(firstBad.char) || firstBad.char.charCodeAt(0) < 32 ? `U+${firstBad.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : firstBad.char;
    return {
      ok: false,
      problem: 'non-hex',
      message: `“${shown}” at position ${firstBad.digitPos} is not a hex digit (0-9, a-f).${hint ? ` Did you mean ${hint}?` : ''}${more}`,
      digits,
      index: firstBad.index,
    };
  }
  if (digits !== 64) {
    return { ok: false, problem: 'length', message: `The key has ${digits} digit${digits === 1 ? '' : 's'}; it needs 64.`, digits };
  }
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return { ok: true, key };
}

/** ObjectOutputStream of a byte[]: magic, TC_ARRAY, class "[B", its serialVersionUID, flags… (§2.4). */
export const JAVA_BYTE_ARRAY_PREFIX: readonly number[] = [
  0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02, 0x5b, 0x42, 0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0, 0x02,
  0x00, 0x00, 0x78, 0x70,
];
/** The first bytes that identify a Java-serialized byte[] (used by the sniffer too). */
export const JAVA_KEY_MAGIC: readonly number[] = JAVA_BYTE_ARRAY_PREFIX.slice(0, 10);
export const CRYPT15_KEY_FILE_SIZE = 59;
export const LEGACY_KEY_FILE_SIZE = 158;

/** Reads a key file: Java-serialized byte[32] / byte[131], or a text file with the 64 digits. */
export function parseKeyFile(bytes: Uint8Array): KeyMaterial {
  if (startsWith(bytes, JAVA_KEY_MAGIC)) return parseJavaKey(bytes);
  if (bytes.length === 0) throw new UnsealError('bad-key', 'The key file is empty.', { reason: 'empty' });
  if (bytes.length <= 4096) {
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const r = parseKeyText(text.replace(/^\uFEFF/u, ''));
      if (r.ok) return { kind: 'crypt15', root: r.key };
      throw new UnsealError('bad-key', `The key file holds text, but not a 64-digit key: ${r.message}`, {
        reason: `text-${r.problem}`,
        digits: r.digits,
      });
    }
  }
  throw new UnsealError('bad-key', 'This is not a WhatsApp key file (neither encrypted_backup.key, key, nor the 64-digit key as text).', {
    reason: 'not-a-key-file',
    size: bytes.length,
  });
}

function parseJavaKey(bytes: Uint8Array): KeyMaterial {
  const fail = (message: string, reason: string): never => {
    throw new UnsealError('bad-key', message, { reason, size: bytes.length });
  };
  if (bytes.length < 27) fail('The key file is cut short.', 'truncated');
  if (!startsWith(bytes, JAVA_BYTE_ARRAY_PREFIX)) fail('The key file is a Java object, but not a plain byte array.', 'not-byte-array');
  const len = ((bytes[23] << 24) | (bytes[24] << 16) | (bytes[25] << 8) | bytes[26]) >>> 0;
  if (len !== 32 && len !== 131) fail(`The key file holds ${len} bytes; WhatsApp keys hold 32 (crypt15) or 131 (crypt12/14).`, 'payload-length');
  if (bytes.length < 27 + len) fail(`The key file is cut short: ${bytes.length} bytes of ${27 + len}.`, 'truncated');
  if (bytes.length > 27 + len) fail(`The key file has ${bytes.length - 27 - len} unexpected bytes after the key.`, 'trailing-bytes');
  const p = bytes.slice(27);
  if (len === 32) return { kind: 'crypt15', root: p };
  return {
    kind: 'legacy',
    cipherVersion: (p[0] << 8) | p[1],
    keyVersion: p[2],
    serverSalt: p.slice(3, 35),
    googleIdSalt: p.slice(35, 51),
    aesKey: p.slice(99, 131),
  };
}
