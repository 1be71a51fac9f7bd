/** The structured-value encoding and the record order (docs/FORMATS.md "Records"). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecordChecker, decodeRecords, decodeValue, encodeRecord, encodeRecordParts, encodeValue, toRecord, type ArchiveRecord } from '../../src/core/archive/records';
import { isUnsealError } from '../../src/core/errors';
import { libraryArb, valueArb, valueArbitrary } from './arbitraries';
import { collect, concat } from './helpers';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

function expectCorrupt(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(isUnsealError(e, 'corrupt'), String(e)).toBe(true);
    return;
  }
  throw new Error('decoded');
}

describe('structured values', () => {
  it('decode(encode(x)) = x, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const enc = encodeValue(v);
        const dec = decodeValue(enc);
        expect(dec).toStrictEqual(v);
        expect(hex(encodeValue(dec))).toBe(hex(enc));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodeRecordParts: the same bytes as encodeRecord, big typed arrays passed as views, not copies', () => {
    const big = new Uint32Array(40_000).map((_, i) => i * 2654435761);
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    const record: ArchiveRecord = { type: 'searchBucket', bucket: { bucket: 1, segment: 0, tokens: big, offsets: new Uint32Array([0, 3]), postings: bytes } };
    const parts = encodeRecordParts(record);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.some((p) => p.buffer === big.buffer)).toBe(true);
    expect(parts.some((p) => p.buffer === bytes.buffer)).toBe(true);
    const joined = concat(parts);
    expect(hex(joined)).toBe(hex(encodeRecord(record)));
    const value = encodeValue(record);
    expect(hex(joined.subarray(joined.length - value.length))).toBe(hex(value));
    expect(decodeValue(joined.subarray(joined.length - value.length))).toStrictEqual(record);
    // Small records stay one part.
    expect(encodeRecordParts({ type: 'end', chats: 0, pages: 0, searchBuckets: 0 })).toHaveLength(1);
  });

  it('strings around the short-string length (127) encode as tag, minimal length, UTF-8 and decode back', () => {
    const varint = (n: number) => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
    for (const n of [0, 1, 126, 127, 128, 129, 300]) {
      for (const s of ['a'.repeat(n), 'a'.repeat(Math.max(0, n - 1)) + 'é', 'é'.repeat(n), 'a'.repeat(Math.max(0, n - 2)) + '😀']) {
        const utf8 = new TextEncoder().encode(s);
        const enc = encodeValue(s);
        expect(hex(enc), `${n}: ${s.slice(-3)}`).toBe(hex(new Uint8Array([0x07, ...varint(utf8.length), ...utf8])));
        expect(decodeValue(enc)).toBe(s);
      }
    }
  });

  it('a short string that is not UTF-8 is still corrupt', () => {
    expectCorrupt(() => decodeValue(bytes('07 02 c3 28')));
    expectCorrupt(() => decodeValue(bytes('07 01 ff')));
  });

  it('with __proto__ and constructor keys too: re-encoding the decoded value gives the same bytes', () => {
    fc.assert(
      fc.property(valueArbitrary(true), (v) => {
        const enc = encodeValue(v);
        expect(hex(encodeValue(decodeValue(enc)))).toBe(hex(enc));
      }),
      { numRuns: 1000 },
    );
  });

  it('known encodings', () => {
    expect(hex(encodeValue(undefined))).toBe('00');
    expect(hex(encodeValue(null))).toBe('01');
    expect(hex(encodeValue([false, true]))).toBe('20020203');
    expect(hex(encodeValue(0))).toBe('0400');
    expect(hex(encodeValue(300))).toBe('04ac02');
    expect(hex(encodeValue(-1))).toBe('0501');
    expect(hex(encodeValue(Number.MAX_SAFE_INTEGER))).toBe('04ffffffffffffff0f');
    expect(hex(encodeValue(-0))).toBe('068000000000000000');
    expect(hex(encodeValue(0.5))).toBe('063fe0000000000000');
    expect(hex(encodeValue('hé'))).toBe('070368c3a9');
    expect(hex(encodeValue('\ud800x'))).toBe('080200d87800');
    expect(hex(encodeValue(new Uint8Array([1, 2])))).toBe('10020102');
    expect(hex(encodeValue(new Uint32Array([1, 0x01020304])))).toBe('16020100000004030201');
    expect(hex(encodeValue(new Float64Array([1])))).toBe('1801000000000000f03f');
    // Keys: the first use spells the key, later ones refer to it (1-based).
    expect(hex(encodeValue([{ a: 1 }, { a: 2, b: 3 }]))).toBe('20 02 21 01 00 07 01 61 04 01 21 02 01 04 02 00 07 01 62 04 03'.replace(/ /g, ''));
  });

  it('keeps exact bytes: thumbnails, NaN payloads in typed arrays, lone surrogates, BOM, -0', () => {
    const f32 = new Float32Array(new Uint32Array([0x7fc00001, 0xffffffff, 0x80000000]).buffer);
    const v = { thumb: new Uint8Array([0xff, 0xd8, 0xff, 0, 1]), f32, s: '\ufeffa\udc00b\ud83d', z: -0, sub: new Uint8Array([9, 8, 7, 6]).subarray(1, 3) };
    const dec = decodeValue(encodeValue(v)) as typeof v;
    expect(new Uint32Array(dec.f32.buffer)).toEqual(new Uint32Array([0x7fc00001, 0xffffffff, 0x80000000]));
    expect(dec.s).toBe(v.s);
    expect(Object.is(dec.z, -0)).toBe(true);
    expect(dec.sub).toEqual(new Uint8Array([8, 7]));
    expect(dec.thumb).toBeInstanceOf(Uint8Array);
  });

  it('__proto__ is an ordinary key, not a prototype', () => {
    const v = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}');
    const dec = decodeValue(encodeValue(v)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(dec)).toBe(Object.prototype);
    expect(Object.keys(dec)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('array holes are written as undefined', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(decodeValue(encodeValue([1, , 3]))).toStrictEqual([1, undefined, 3]);
  });

  it('the encoder refuses what the format cannot hold (TypeError)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [() => 1, Symbol('s'), 1n, new Date(0), new Map(), new Set(), new DataView(new ArrayBuffer(1)), cyclic, new (class X {})(), new ArrayBuffer(2)]) {
      expect(() => encodeValue(bad), String(bad?.toString?.())).toThrow(TypeError);
    }
  });

  it('the decoder rejects malformed input as corrupt', () => {
    const cases = [
      '', // nothing
      '09', // unknown tag
      '1b00', // unknown typed-array tag
      '0480', // varint runs out
      '048000', // non-minimal varint
      '0480808080808080808001', // longer than 8 bytes
      '04ffffffffffffff10', // 2^53
      '0500', // negative zero integer
      '0400 00', // leftover byte
      '0702ffff', // invalid UTF-8
      '0703 6162', // string runs past the record
      '0801 00', // UTF-16 string runs past the record
      '1602 01000000', // typed array runs past the record
      '20 05 00', // array longer than its record
      '21 01 01 00', // key ref past the table
      '21 01 00 04 01 00', // a key that is not a string
      '21 02 00 07 01 61 00 01 00', // duplicate key
      '0688', // float runs out
    ];
    for (const c of cases) expectCorrupt(() => decodeValue(bytes(c)));
    expectCorrupt(() => decodeValue(bytes('20 01'.repeat(70) + '00')));
  });

  it('random bytes give a value or corrupt, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          decodeValue(b);
        } catch (e) {
          expect(isUnsealError(e, 'corrupt')).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('records', () => {
  it('a random library round-trips through encodeRecord/decodeRecords with any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(libraryArb, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), async (records, cuts) => {
        const payload = concat(records.map((r) => encodeRecord(r)));
        const pieces: Uint8Array[] = [];
        for (let at = 0, i = 0; at < payload.length; i++) {
          const n = cuts[i % cuts.length];
          pieces.push(payload.subarray(at, at + n));
          at += n;
        }
        const out: ArchiveRecord[] = [];
        const checker = new RecordChecker();
        for await (const r of decodeRecords(pieces)) {
          checker.accept(r);
          out.push(r);
        }
        checker.finish();
        expect(out).toStrictEqual(records);
      }),
      { numRuns: 200 },
    );
  });

  it('a payload that ends inside a record is corrupt', async () => {
    const payload = concat([encodeRecord({ type: 'library', library: {} }), encodeRecord({ type: 'end', chats: 0, pages: 0, searchBuckets: 0 })]);
    for (let n = 1; n < payload.length; n++) {
      const cut = payload.subarray(0, n);
      const whole = n === encodeRecord({ type: 'library', library: {} }).length;
      if (whole) continue;
      await expect(collect(decodeRecords([cut]) as never)).rejects.toMatchObject({ code: 'corrupt' });
    }
  });

  it('records of an unknown type or the wrong shape are corrupt', () => {
    expectCorrupt(() => toRecord({ type: 'photo' }));
    expectCorrupt(() => toRecord([1]));
    expectCorrupt(() => toRecord({ type: 'chat', chat: { id: 'x' } }));
    expectCorrupt(() => toRecord({ type: 'page', chatId: 1, page: -1, messages: [] }));
    expectCorrupt(() => toRecord({ type: 'end', chats: 1, pages: 0 }));
  });
});

describe('record order [order]', () => {
  const lib: ArchiveRecord = { type: 'library', library: {} };
  const chat = (id: number): ArchiveRecord => ({ type: 'chat', chat: { id, jid: '', kind: 'person', title: '', participants: [], archived: false, lastActivity: 0, messageCount: 0 } });
  const page = (chatId: number, p: number): ArchiveRecord => ({ type: 'page', chatId, page: p, messages: [] });
  const meta: ArchiveRecord = { type: 'searchMeta', meta: {} as never };
  const bucket: ArchiveRecord = { type: 'searchBucket', bucket: { bucket: 0, segment: 0, tokens: new Uint32Array(), offsets: new Uint32Array(1), postings: new Uint8Array() } };
  const end = (chats: number, pages: number, searchBuckets: number): ArchiveRecord => ({ type: 'end', chats, pages, searchBuckets });

  function run(records: ArchiveRecord[]): void {
    const c = new RecordChecker();
    for (const r of records) c.accept(r);
    c.finish();
  }

  it('accepts the documented order, and an empty library', () => {
    run([lib, chat(2), chat(1), page(1, 0), page(1, 1), page(2, 0), meta, bucket, bucket, end(2, 3, 2)]);
    run([lib, end(0, 0, 0)]);
    run([lib, chat(1), meta, end(1, 0, 0)]);
  });

  it('rejects every other order as corrupt', () => {
    const bad: ArchiveRecord[][] = [
      [], // no end
      [lib], // no end
      [chat(1), lib, end(1, 0, 0)], // library not first
      [lib, lib, end(0, 0, 0)], // two libraries
      [lib, chat(1), chat(1), end(2, 0, 0)], // chat twice
      [lib, chat(1), page(1, 0), chat(2), end(2, 1, 0)], // chat after pages
      [lib, chat(1), page(2, 0), end(1, 1, 0)], // page of an unknown chat
      [lib, chat(1), page(1, 1), page(1, 0), end(1, 2, 0)], // pages out of order
      [lib, chat(1), chat(2), page(2, 0), page(1, 0), end(2, 2, 0)], // chats out of order
      [lib, chat(1), page(1, 0), page(1, 0), end(1, 2, 0)], // page twice
      [lib, bucket, end(0, 0, 1)], // bucket before meta
      [lib, meta, meta, end(0, 0, 0)], // two metas
      [lib, meta, page(1, 0), end(0, 1, 0)], // page after search
      [lib, chat(1), end(0, 0, 0)], // wrong counts
      [lib, end(0, 0, 0), chat(1)], // after end
      [lib, end(0, 0, 0), end(0, 0, 0)],
    ];
    for (const records of bad) expectCorrupt(() => run(records));
  });
});
