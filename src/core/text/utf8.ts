/**
 * UTF-8 bytes to a string, the cheap way for the common case. In browsers a TextDecoder call
 * costs about a microsecond whatever the length (measured: 7 s of a 1M-message archive open in a
 * worker went to `decode`), and most values we read (ids, jids, paths, short messages) are short
 * ASCII, which needs no decoding at all.
 */

/** Strings of up to this many bytes take the ASCII path. */
export const SHORT_UTF8 = 0x7f;

const decoder = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `bytes[start, end)` as a string when they are at most SHORT_UTF8 ASCII bytes, else undefined. */
export function shortAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > SHORT_UTF8) return undefined;
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return undefined;
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** Decodes UTF-8 as TextDecoder does (malformed bytes become U+FFFD; a leading BOM is dropped). */
export function decodeUtf8(bytes: Uint8Array): string {
  // A BOM is three non-ASCII bytes, so the ASCII path never sees one.
  return shortAscii(bytes, 0, bytes.length) ?? decoder.decode(bytes);
}

/** Decodes UTF-8 strictly, BOM kept as U+FEFF; throws a TypeError on malformed bytes. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  return shortAscii(bytes, 0, bytes.length) ?? strict.decode(bytes);
}
