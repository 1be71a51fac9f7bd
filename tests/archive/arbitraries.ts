/** fast-check arbitraries: structured values and whole random libraries as archive records. */
import fc from 'fast-check';
import type { ArchiveRecord } from '../../src/core/archive/records';
import type { Message } from '../../src/core/msgstore/model';

/** Any UTF-16 code unit, so lone surrogates appear. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const stringArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
);

export const typedArrayArb = fc.oneof(
  fc.uint8Array(),
  fc.int8Array(),
  fc.uint8ClampedArray(),
  fc.int16Array(),
  fc.uint16Array(),
  fc.int32Array(),
  fc.uint32Array(),
  fc.float32Array(),
  fc.float64Array(),
  fc.bigInt64Array(),
  fc.bigUint64Array(),
);

export const numberArb = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, -(2 ** 53), 2 ** 64, 0.1, 127, 128, 16383, 16384),
);

export const leafArb = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), numberArb, stringArb, typedArrayArb);

/**
 * Structured values. `specialKeys` adds `__proto__` and `constructor` as keys: they round-trip,
 * but vitest's toStrictEqual looks at them (prototype / constructor identity), so properties
 * with them compare re-encoded bytes instead.
 */
export function valueArbitrary(specialKeys: boolean): fc.Arbitrary<unknown> {
  const plainKey = fc.oneof(fc.string({ maxLength: 8 }), stringArb, fc.constantFrom('type', '', 'a')).filter((k) => k !== '__proto__' && k !== 'constructor');
  const key = specialKeys ? fc.oneof(plainKey, fc.constantFrom('__proto__', 'constructor')) : plainKey;
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc.array(tie('value'), { maxLength: 6 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }),
    ),
  })).value;
}

export const valueArb = valueArbitrary(false);

const person = fc.record({ jid: fc.string({ maxLength: 30 }), title: stringArb }, { noNullPrototype: true });

function messageArb(pos: number): fc.Arbitrary<Message> {
  return fc.record(
    {
      id: fc.nat(),
      pos: fc.constant(pos),
      keyId: fc.string({ maxLength: 20 }),
      ts: fc.integer({ min: 0, max: 2_000_000_000_000 }),
      fromMe: fc.boolean(),
      sender: person,
      kind: fc.constantFrom('text', 'image', 'voice', 'system', 'deleted', 'poll', 'location'),
      type: fc.integer({ min: -1, max: 100 }),
      text: stringArb,
      media: fc.record(
        { mime: fc.constantFrom('image/jpeg', 'audio/ogg'), size: fc.nat(), durationSec: fc.double({ min: 0, max: 1e4 }), thumbnail: fc.uint8Array({ maxLength: 300 }), fileName: stringArb },
        { requiredKeys: [], noNullPrototype: true },
      ),
      reactions: fc.array(fc.record({ emoji: fc.constantFrom('👍', '❤️', '😂'), fromMe: fc.boolean(), ts: fc.nat() }, { noNullPrototype: true }), { maxLength: 3 }),
      location: fc.record({ lat: fc.double({ min: -90, max: 90 }), lon: fc.double({ min: -180, max: 180 }) }, { noNullPrototype: true }),
      edited: fc.constant(undefined),
    },
    { requiredKeys: ['id', 'pos', 'ts', 'fromMe', 'kind', 'type'], noNullPrototype: true },
  ) as fc.Arbitrary<Message>;
}

/** A random library in the record order the format requires (ending with `end`). */
export const libraryArb: fc.Arbitrary<ArchiveRecord[]> = fc
  .record({
    library: fc.record({ id: fc.uuid(), fileName: stringArb, fileSize: fc.nat(), openedAt: fc.nat(), format: fc.constantFrom('crypt15', 'crypt14', 'unseal-archive'), era: fc.constantFrom('legacy', 'current'), chatCount: fc.nat(), messageCount: fc.nat() }, { noNullPrototype: true }),
    chats: fc.uniqueArray(fc.integer({ min: -5, max: 1000 }), { maxLength: 4 }).chain((ids) =>
      fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }), stringArb)))),
    search: fc.option(
      fc.record({
        meta: fc.record({ version: fc.constant(1), bucketCount: fc.nat(4096), docCount: fc.nat(), chatIds: fc.float64Array({ maxLength: 20 }), chatBases: fc.uint32Array({ maxLength: 20 }), ts: fc.float64Array({ maxLength: 50 }), kinds: fc.uint8Array({ maxLength: 50 }), senders: fc.uint32Array({ maxLength: 50 }), senderJids: fc.array(fc.string(), { maxLength: 5 }), vocab: stringArb }, { noNullPrototype: true }),
        buckets: fc.array(fc.record({ bucket: fc.nat(4095), segment: fc.nat(3), tokens: fc.uint32Array({ maxLength: 20 }), offsets: fc.uint32Array({ maxLength: 21 }), postings: fc.uint8Array({ maxLength: 200 }) }, { noNullPrototype: true }), { maxLength: 4 }),
      }),
    ),
  })
  .chain(({ library, chats, search }) => {
    const sorted = [...chats].sort((a, b) => a[0] - b[0]);
    const pageArbs = sorted.flatMap(([chatId, sizes]) =>
      sizes.map((n, page) => fc.tuple(...Array.from({ length: n }, (_, i) => messageArb(page * 500 + i))).map((messages) => ({ type: 'page' as const, chatId, page, messages }))),
    );
    return fc.tuple(...pageArbs).map((pages) => {
      const records: ArchiveRecord[] = [{ type: 'library', library }];
      for (const [id, , title] of chats) {
        records.push({ type: 'chat', chat: { id, jid: `${id}@s.whatsapp.net`, kind: 'person', title, participants: [], archived: false, lastActivity: 0, messageCount: 0 } });
      }
      records.push(...pages);
      if (search) {
        records.push({ type: 'searchMeta', meta: search.meta as never });
        for (const b of search.buckets) records.push({ type: 'searchBucket', bucket: b });
      }
      records.push({ type: 'end', chats: chats.length, pages: pages.length, searchBuckets: search ? search.buckets.length : 0 });
      return records;
    });
  });
