/** The short-ASCII path of src/core/text/utf8.ts must decode exactly as TextDecoder does. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SHORT_UTF8, decodeUtf8, decodeUtf8Strict, shortAscii } from '../../src/core/text/utf8';

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
    fc.uint8Array({ maxLength: 200 }),
    fc.uint8Array({ min: 0, max: 0x7f, maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => new TextEncoder().encode(s)),
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

  it('shortAscii takes only ASCII runs of at most SHORT_UTF8 bytes, at any offset', () => {
    const b = new TextEncoder().encode('xx' + 'a'.repeat(SHORT_UTF8) + 'é');
    expect(shortAscii(b, 2, 2 + SHORT_UTF8)).toBe('a'.repeat(SHORT_UTF8));
    expect(shortAscii(b, 1, 2 + SHORT_UTF8)).toBeUndefined(); // one byte too long
    expect(shortAscii(b, 3, b.length)).toBeUndefined(); // ends in é
    expect(shortAscii(b, 5, 5)).toBe('');
  });
});
