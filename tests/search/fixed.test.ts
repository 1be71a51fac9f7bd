import { describe, expect, it } from 'vitest';
import { foldText, searchableText } from '../../src/core/search/fold';
import { parseQuery } from '../../src/core/search/query';
import { build, keys, msg, type TestChat } from './helpers';

const texts = [
  'Meet me at the café tomorrow', // 0
  'CAFÉ OPEN', // 1
  'I love kaleidoscopes!', // 2
  'ذهبت إلى المكتبة اليوم', // 3
  'पुस्तकालय बंद है', // 4
  'पस्तकलय typo', // 5
  'the ﬁnal word', // 6
  'ＡＢＣ fullwidth', // 7
  'party time 🎉🎉 yes', // 8
  'quick brown fox jumps', // 9
  'brown quick', // 10
  '<img src=x onerror=alert(1)>', // 11
  'ΟΔΟΣ street', // 12
  'Straße gesperrt', // 13
  'e\u0301te\u0301 decomposed', // 14
  'مَكْتَبَة with harakat', // 15
];

function chats(): TestChat[] {
  const a: TestChat = { id: 7, peerJid: 'peer@s.whatsapp.net', messages: texts.map((t, i) => msg(i, t, { fromMe: i % 2 === 0 })) };
  const b: TestChat = {
    id: 3,
    messages: [
      msg(0, 'group hello', { sender: { jid: 'x@s.whatsapp.net', title: 'x' } }),
      msg(1, undefined, { kind: 'document', media: { fileName: 'Quarterly-Report.pdf' } }),
      msg(2, 'holiday pic', { kind: 'image', media: {} }),
      msg(3, 'see https://example.com/page', {}),
      msg(4, undefined, { kind: 'system', system: { code: 1, text: 'café group created' } }),
      msg(5, undefined, { kind: 'poll', poll: { question: 'Where to eat?', options: [{ name: 'Pizzeria', votes: 1 }] } }),
      msg(6, undefined, { kind: 'location', location: { lat: 0, lon: 0, name: 'Central Library', address: 'Main St 1' } }),
      msg(7, 'card', { kind: 'contact', contacts: [{ name: 'Anita Desai', numbers: [] }] }),
      msg(8, undefined, { kind: 'event', event: { name: 'Birthday bash' } }),
    ],
  };
  return [a, b];
}

const q = async (query: string, filters = {}) => {
  const { engine } = build(chats(), { bucketCount: 8 });
  const r = await engine.search(query, filters, { limit: 1000 });
  expect(r.hits.length).toBe(r.total);
  return keys(r.hits);
};

describe('fold', () => {
  it('folds Latin diacritics, NFKC and case, keeps other scripts', () => {
    expect(foldText('CAFÉ')).toBe('cafe');
    expect(foldText('ﬁ')).toBe('fi');
    expect(foldText('ＡＢＣ')).toBe('abc');
    expect(foldText('  a \t\n b  ')).toBe('a b');
    expect(foldText('पुस्तकालय')).toBe('पुस्तकालय'.normalize('NFC'));
    expect(foldText('مَكْتَبَة')).toBe('مَكْتَبَة');
    expect(foldText('ΟΔΟΣ')).toBe('οδοσ');
    expect(foldText('Ά')).toBe('α');
    expect(foldText('й')).toBe('й');
    expect(foldText('İstanbul')).toBe('istanbul');
  });
  it('system messages have no searchable text', () => {
    expect(searchableText(msg(0, 'x', { kind: 'system', system: { code: 1, text: 'y' } }))).toBe('');
  });
  it('parses words and phrases', () => {
    expect(parseQuery('Foo  "Bar   Baz" qux')).toEqual({ words: ['foo', 'qux'], phrases: ['bar baz'] });
    expect(parseQuery('"single"')).toEqual({ words: ['single'], phrases: [] });
    expect(parseQuery('ab abc')).toEqual({ words: ['abc'], phrases: [] });
    expect(parseQuery('“open ended')).toEqual({ words: [], phrases: ['open ended'] });
  });
});

describe('search, fixed cases', () => {
  it('diacritics fold both ways', async () => {
    expect(await q('cafe')).toEqual(['7:0', '7:1']);
    expect(await q('CAFÉ')).toEqual(['7:0', '7:1']);
    expect(await q('ete')).toEqual(['7:14']);
    expect(await q('été')).toEqual(['7:14']);
  });
  it('substrings, not words', async () => {
    expect(await q('kaleidoscope')).toEqual(['7:2']);
    expect(await q('مكتبة')).toEqual(['7:3']);
  });
  it('Devanagari vowel signs are letters', async () => {
    expect(await q('पुस्तकालय')).toEqual(['7:4']);
    expect(await q('पस्तकलय')).toEqual(['7:5']);
  });
  it('Arabic harakat stay', async () => {
    expect(await q('مَكْتَبَة')).toEqual(['7:15']);
  });
  it('NFKC, sigma, sharp s', async () => {
    expect(await q('final')).toEqual(['7:6']);
    expect(await q('abc')).toEqual(['7:7']);
    expect(await q('οδος')).toEqual(['7:12']);
    expect(await q('strasse')).toEqual(['7:13']);
  });
  it('emoji', async () => {
    expect(await q('🎉')).toEqual(['7:8']);
    expect(await q('🎉🎉')).toEqual(['7:8']);
  });
  it('several words and phrases', async () => {
    expect(await q('quick brown')).toEqual(['7:10', '7:9']);
    expect(await q('"quick brown"')).toEqual(['7:9']);
    expect(await q('"brown quick"')).toEqual(['7:10']);
    expect(await q('"ick bro"')).toEqual(['7:9']);
    expect(await q('"quick brown fox" jump')).toEqual(['7:9']);
    expect(await q('quick nothing')).toEqual([]);
  });
  it('hostile strings are plain text', async () => {
    expect(await q('<img src=x onerror=alert(1)>')).toEqual(['7:11']);
    expect(await q('onerror=alert(1)')).toEqual(['7:11']);
  });
  it('searches file names, polls, locations, contacts, events; not system events', async () => {
    expect(await q('report.pdf')).toEqual(['3:1']);
    expect(await q('pizzeria')).toEqual(['3:5']);
    expect(await q('eat?')).toEqual(['3:5']);
    expect(await q('library')).toEqual(['3:6']);
    expect(await q('main st')).toEqual(['3:6']);
    expect(await q('desai')).toEqual(['3:7']);
    expect(await q('bash')).toEqual(['3:8']);
    expect(await q('created')).toEqual([]);
  });
  it('filters', async () => {
    expect(await q('e', { chatId: 3 })).toEqual(['3:0', '3:1', '3:3', '3:5', '3:6', '3:7']);
    expect(await q('cafe', { sender: 'me' })).toEqual(['7:0']);
    expect(await q('cafe', { sender: 'peer@s.whatsapp.net' })).toEqual(['7:1']);
    expect(await q('hello', { sender: 'x@s.whatsapp.net' })).toEqual(['3:0']);
    expect(await q('hello', { sender: 'nobody' })).toEqual([]);
    expect(await q('', { kind: 'document' })).toEqual(['3:1']);
    expect(await q('', { kind: 'media' })).toEqual(['3:2']);
    expect(await q('', { kind: 'link' })).toEqual(['3:3']);
    expect(await q('holiday', { kind: 'text' })).toEqual([]);
    const t0 = 1_600_000_000_000;
    expect(await q('', { chatId: 7, since: t0 + 2 * 60_000, until: t0 + 4 * 60_000 })).toEqual(['7:2', '7:3']);
    expect(await q('', { chatId: 99 })).toEqual([]);
  });
  it('newest first, exact total, offset', async () => {
    const { engine } = build(chats(), { bucketCount: 4 });
    const all = await engine.search('e', {}, { limit: 1000 });
    const ts = all.hits.map((h) => h.ts);
    expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    const page = await engine.search('e', {}, { limit: 3, offset: 2 });
    expect(page.total).toBe(all.total);
    expect(page.hits).toEqual(all.hits.slice(2, 5));
  });
  it('an empty library and a missing index', async () => {
    const { engine } = build([]);
    expect((await engine.search('x')).total).toBe(0);
    expect((await engine.search('')).total).toBe(0);
  });
});

describe('phrase hits before the exact count (exactTotal: false)', () => {
  // 3,000 messages, every third the phrase, the others its words in the other order: all are
  // candidates, a third of them match.
  const messages = Array.from({ length: 3000 }, (_, pos) => msg(pos, pos % 3 === 0 ? `well, good morning ${pos}` : `morning, good ${pos}`));
  const { engine } = build([{ id: 1, messages }]);

  it('returns the same newest hits as the exact search, stops early and says the total is a lower bound', async () => {
    const exact = await engine.search('"good morning"', {}, { limit: 20 });
    expect(exact.total).toBe(1000);
    expect(exact.totalExact).toBe(true);
    expect(exact.verified).toBe(3000);
    const first = await engine.search('"good morning"', {}, { limit: 20, exactTotal: false });
    expect(first.hits).toEqual(exact.hits);
    expect(first.totalExact).toBe(false);
    expect(first.total).toBeGreaterThanOrEqual(20);
    expect(first.total).toBeLessThan(1000);
    expect(first.verified).toBeLessThan(3000);
    // With an offset too: hits offset … offset + limit − 1.
    const later = await engine.search('"good morning"', {}, { limit: 10, offset: 30, exactTotal: false });
    expect(later.hits).toEqual((await engine.search('"good morning"', {}, { limit: 10, offset: 30 })).hits);
  });

  it('is exact when every candidate had to be verified anyway', async () => {
    const few = await engine.search('"well, good morning 150"', {}, { limit: 20, exactTotal: false });
    const exact = await engine.search('"well, good morning 150"', {}, { limit: 20 });
    expect(few.totalExact).toBe(true);
    expect(few.total).toBe(exact.total);
    expect(few.hits).toEqual(exact.hits);
  });

  it('word queries are always exact', async () => {
    const words = await engine.search('good morning', {}, { limit: 5, exactTotal: false });
    expect(words.totalExact).toBe(true);
    expect(words.total).toBe(3000);
  });
});
