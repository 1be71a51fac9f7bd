/** The short-ASCII path of src/core/text/utf8.ts must decode exactly as TextDecoder does. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SHORT_UTF8, decodeUtf8, decodeUtf8Strict } from '../../src/core/text/utf8';

const loose = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const strictOrError = (b: Uint8Array) => {
  try {
    return strict.decode(b);
  } catch (e) {
    return e instanceof TypeError ? 'TypeError' : String(e);
  }
};
const ours = (b: Uint8Array) => {
  try {
    return decodeUtf8Strict(b);
  } catch (e) {
    return e instanceof TypeError ? 'TypeError' : String(e);
  }
};

describe('utf8', () => {
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ min: 0x7e, max: 0xf5, maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) => new TextEncoder().encode(s)),
  );

  it('decodeUtf8 = TextDecoder, decodeUtf8Strict = fatal TextDecoder (same text or both TypeError)', () => {
    fc.assert(
      fc.property(bytesArb, (b) => {
        expect(decodeUtf8(b)).toBe(loose.decode(b));
        expect(ours(b)).toBe(strictOrError(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('a leading BOM: dropped by decodeUtf8, kept by decodeUtf8Strict', () => {
    const b = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    expect(decodeUtf8(b)).toBe('a');
    expect(decodeUtf8Strict(b)).toBe('\ufeffa');
  });

  it('every short edge case of the standard: overlongs, surrogates, > U+10FFFF, cut sequences, at the length limit', () => {
    const cases = [
      [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80], [0xff], [0x80], [0xe2, 0x82], [0xe2, 0x82, 0x41],
      [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61], [0x61, 0xef, 0xbb, 0xbf],
    ].map((c) => new Uint8Array(c));
    const emoji = new TextEncoder().encode('😀'.repeat(SHORT_UTF8 / 4));
    for (const b of [...cases, emoji, emoji.subarray(0, SHORT_UTF8 - 1), new Uint8Array([...emoji.subarray(0, SHORT_UTF8 - 2), 0xc3])]) {
      expect(decodeUtf8(b), [...b].join(',')).toBe(loose.decode(b));
      expect(ours(b), [...b].join(',')).toBe(strictOrError(b));
    }
  });
});
