/**
 * The law (STYLE.md, Tests): search finds exactly the messages a brute-force scan finds.
 * Oracle: foldText(searchableText(m)).includes(needle) for every needle, plus the filters
 * checked on the message fields. Small bucket counts, tiny flush thresholds and small pages
 * put many tokens in one bucket and spread postings over several segments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, MessageKind } from '../../src/core/msgstore/model';
import { foldForHighlight, foldText, searchableText } from '../../src/core/search/fold';
import { highlightSegments, snippet } from '../../src/core/search/highlight';
import type { SearchFilters } from '../../src/core/search/query';
import { build, keys, oracle, type TestChat } from './helpers';

const ALPHABET = [
  'a', 'b', 'c', 'e', 'é', 'e\u0301', 'E', 'É', 'ß', 's', 'ﬁ', 'f', 'i', 'Ａ', 'σ', 'ς', 'Σ', 'ά', 'İ', 'й',
  'प', 'ु', 'स', '्', 'त', 'क', 'ा', 'ल', 'य',
  'م', 'ك', 'ت', 'ب', 'ة', 'ا', 'ل', 'َ',
  '😀', '👍', '🏽', '❤', '\uFE0F', '\u200D',
  '.', ',', '!', '<', '>', '=', '-', ':', '/',
  ' ', ' ', ' ', '\n', '\t', '\u00a0', '\u3000',
];
const JIDS = ['a@s.whatsapp.net', 'b@s.whatsapp.net', 'c@lid'];
const KINDS: MessageKind[] = ['text', 'text', 'text', 'image', 'document', 'system', 'poll', 'location', 'deleted'];

const str = (max: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: max }).map((a) => a.join(''));

const messageArb = fc.record({
  text: fc.option(str(24), { nil: undefined }),
  extra: str(10),
  kind: fc.constantFrom(...KINDS),
  fromMe: fc.boolean(),
  sender: fc.option(fc.constantFrom(...JIDS), { nil: undefined }),
  ts: fc.integer({ min: 0, max: 40 }),
  gap: fc.integer({ min: 1, max: 2 }),
  link: fc.boolean(),
});

const chatsArb = fc
  .array(fc.array(messageArb, { maxLength: 20 }), { minLength: 1, maxLength: 4 })
  .map((chats) =>
    chats.map((ms, ci): TestChat => {
      let pos = -1;
      return {
        id: 100 - ci * 7,
        peerJid: ci % 2 === 0 ? 'peer@s.whatsapp.net' : undefined,
        messages: ms.map((r, i): Message => {
          pos += r.gap;
          const m: Message = {
            id: ci * 1000 + i,
            pos,
            ts: 1_700_000_000_000 + r.ts * 1000,
            fromMe: r.fromMe,
            kind: r.kind,
            type: 0,
            text: r.text,
          };
          if (r.sender && !r.fromMe) m.sender = { jid: r.sender, title: r.sender };
          if (r.kind === 'document') m.media = { fileName: r.extra };
          if (r.kind === 'image') m.media = {};
          if (r.kind === 'system') m.system = { code: 1, text: r.extra };
          if (r.kind === 'poll') m.poll = { question: r.extra, options: [{ name: r.extra.slice(2), votes: 0 }] };
          if (r.kind === 'location') m.location = { lat: 0, lon: 0, name: r.extra };
          if (r.link) m.link = { url: 'x' };
          return m;
        }),
      };
    }),
  );

const optsArb = fc.record({
  bucketCount: fc.constantFrom(1, 2, 3, 17, 64),
  flushBytes: fc.constantFrom(1, 64, 512, 1 << 20),
  pageSize: fc.constantFrom(1, 3, 7, 500),
});

const filtersArb: fc.Arbitrary<SearchFilters> = fc.record(
  {
    chatId: fc.constantFrom(100, 93, 86, 5),
    sender: fc.constantFrom('me', ...JIDS, 'peer@s.whatsapp.net', 'nobody'),
    since: fc.integer({ min: 0, max: 40 }).map((s) => 1_700_000_000_000 + s * 1000),
    until: fc.integer({ min: 0, max: 40 }).map((s) => 1_700_000_000_000 + s * 1000),
    kind: fc.constantFrom('text' as const, 'media' as const, 'document' as const, 'link' as const),
  },
  { requiredKeys: [] },
);

/** A substring of some message's searchable text, chosen by three random numbers. */
function pickSubstring(chats: TestChat[], a: number, b: number, c: number): string {
  const texts = chats.flatMap((ch) => ch.messages.map(searchableText)).filter((t) => t !== '');
  if (texts.length === 0) return 'zz';
  const t = texts[a % texts.length];
  const i = b % (t.length + 1);
  const j = i + (c % (t.length - i + 1));
  return t.slice(i, j);
}

function asQuery(sub: string): string {
  return /\s/.test(sub) ? `"${sub}"` : sub;
}

async function check(chats: TestChat[], opts: object, query: string, needles: string[], filters: SearchFilters = {}) {
  const { engine, meta } = build(chats, opts);
  const want = oracle(chats, needles.filter((n) => n !== ''), filters);
  const got = await engine.search(query, filters, { limit: 100_000 });
  expect(got.total).toBe(want.length);
  expect(keys(got.hits)).toEqual(keys(want));
  // Newest first, ties by docId descending; and a small page is the prefix.
  for (let i = 1; i < got.hits.length; i++) {
    const p = got.hits[i - 1];
    const h = got.hits[i];
    expect(p.ts > h.ts || (p.ts === h.ts && p.docId > h.docId)).toBe(true);
  }
  const page = await engine.search(query, filters, { limit: 3 });
  expect(page.total).toBe(want.length);
  expect(page.hits).toEqual(got.hits.slice(0, 3));
  return meta;
}

describe('search = brute force', () => {
  it('random substrings (quoted when they hold whitespace)', async () => {
    await fc.assert(
      fc.asyncProperty(chatsArb, optsArb, fc.nat(), fc.nat(), fc.nat(), async (chats, opts, a, b, c) => {
        const sub = pickSubstring(chats, a, b, c);
        await check(chats, opts, asQuery(sub), [foldText(sub)]);
      }),
      { numRuns: 400 },
    );
  });

  it('random multi-word AND queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        chatsArb,
        optsArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
        async (chats, opts, picks) => {
          const words = picks.flatMap(([a, b, c]) => pickSubstring(chats, a, b, c).split(/\s+/)).filter((w) => w !== '');
          await check(chats, opts, words.join(' '), words.map(foldText));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('filters, with substring queries, phrases and the empty query', async () => {
    await fc.assert(
      fc.asyncProperty(chatsArb, optsArb, filtersArb, fc.nat(), fc.nat(), fc.nat(), fc.boolean(), async (chats, opts, f, a, b, c, empty) => {
        const sub = empty ? '' : pickSubstring(chats, a, b, c);
        await check(chats, opts, asQuery(sub), [foldText(sub)], f);
      }),
      { numRuns: 400 },
    );
  });
});

describe('search = brute force, tiny alphabet (many near-miss phrases)', () => {
  const tiny = fc.array(fc.constantFrom('a', 'b', 'á', ' ', ' '), { maxLength: 12 }).map((a) => a.join(''));
  const tinyChats = fc.array(tiny, { minLength: 1, maxLength: 30 }).map((texts): TestChat[] => [
    { id: 1, messages: texts.map((text, pos): Message => ({ id: pos, pos, ts: 1000 * (pos % 5), fromMe: false, kind: 'text', type: 0, text })) },
  ]);
  it('phrases and words', async () => {
    await fc.assert(
      fc.asyncProperty(tinyChats, optsArb, tiny, fc.boolean(), async (chats, opts, sub, quote) => {
        const query = quote ? `"${sub}"` : sub;
        const needles = quote ? [foldText(sub)] : sub.split(/\s+/).map(foldText);
        await check(chats, opts, query, needles);
      }),
      { numRuns: 300 },
    );
  });
});

describe('highlight', () => {
  it('segments give back the original; matches exist where the fold agrees', () => {
    fc.assert(
      fc.property(str(30), fc.nat(), fc.nat(), str(4), fc.boolean(), (text, b, c, other, fromText) => {
        const i = b % (text.length + 1);
        const sub = fromText ? text.slice(i, i + (c % 6)) : other;
        const q = asQuery(sub);
        const segs = highlightSegments(text, q);
        expect(segs.map((s) => s.text).join('')).toBe(text);
        const h = foldForHighlight(text);
        expect(h.start.length).toBe(h.folded.length);
        for (let k = 0; k < h.start.length; k++) {
          expect(h.start[k]).toBeGreaterThanOrEqual(0);
          expect(h.end[k]).toBeLessThanOrEqual(text.length);
          expect(h.start[k]).toBeLessThan(h.end[k]);
        }
        const needle = foldText(sub);
        if (needle !== '' && h.folded === foldText(text) && h.folded.includes(needle)) {
          expect(segs.some((s) => s.match)).toBe(true);
        }
        const sn = snippet(text, q, 5);
        const joined = sn.segments.map((s) => s.text).join('');
        expect(text.includes(joined)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
