/**
 * UTF-8 bytes to a string, the cheap way for short values. In browsers a TextDecoder call costs
 * about a microsecond whatever the length (worker profiles: 7 s of a 1M-message archive open, ~2 s
 * of a 1M import went to `decode`), and most values we read (ids, jids, paths, messages) are
 * short. Short inputs are decoded here by the Encoding Standard's UTF-8 decoder (same output as
 * TextDecoder, U+FFFD replacement included); longer ones by TextDecoder.
 */

/** Inputs of up to this many bytes are decoded in JS. */
export const SHORT_UTF8 = 256;

const decoder = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A UTF-16 unit buffer for decodeShort: at most one unit per input byte. */
const units = new Uint16Array(SHORT_UTF8);

/**
 * The Encoding Standard's UTF-8 decoder (https://encoding.spec.whatwg.org/#utf-8-decoder) over
 * `bytes[start, end)`, end − start ≤ SHORT_UTF8: `fatal` throws a TypeError where TextDecoder's
 * fatal mode does, else errors become U+FFFD; `dropBom` drops one leading BOM.
 */
function decodeShort(bytes: Uint8Array, start: number, end: number, fatal: boolean, dropBom: boolean): string {
  let k = 0;
  let needed = 0;
  let seen = 0;
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let i = start;
  if (dropBom && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) i += 3;
  while (i < end) {
    const b = bytes[i];
    if (needed === 0) {
      i++;
      if (b < 0x80) units[k++] = b;
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x07;
      } else {
        if (fatal) throw new TypeError('The encoded data was not valid for encoding utf-8');
        units[k++] = 0xfffd;
      }
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence is cut short: an error, and this byte starts over (not consumed).
      if (fatal) throw new TypeError('The encoded data was not valid for encoding utf-8');
      units[k++] = 0xfffd;
      needed = seen = cp = 0;
      lower = 0x80;
      upper = 0xbf;
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      if (cp > 0xffff) {
        cp -= 0x10000;
        units[k++] = 0xd800 + (cp >> 10);
        units[k++] = 0xdc00 + (cp & 0x3ff);
      } else units[k++] = cp;
      needed = seen = cp = 0;
    }
  }
  if (needed !== 0) {
    if (fatal) throw new TypeError('The encoded data was not valid for encoding utf-8');
    units[k++] = 0xfffd;
  }
  return String.fromCharCode.apply(null, units.subarray(0, k) as unknown as number[]);
}

/** Decodes UTF-8 as TextDecoder does (malformed bytes become U+FFFD; a leading BOM is dropped). */
export function decodeUtf8(bytes: Uint8Array): string {
  return bytes.length <= SHORT_UTF8 ? decodeShort(bytes, 0, bytes.length, false, true) : decoder.decode(bytes);
}

/** Decodes UTF-8 strictly, a BOM kept as U+FEFF; throws a TypeError on malformed bytes. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  return bytes.length <= SHORT_UTF8 ? decodeShort(bytes, 0, bytes.length, true, false) : strict.decode(bytes);
}
