import { describe, expect, it } from 'vitest';
import { highlightSegments, snippet } from '../../src/core/search/highlight';

const marked = (text: string, q: string) =>
  highlightSegments(text, q)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('');

describe('highlightSegments', () => {
  it('marks the original characters behind folded matches', () => {
    expect(marked('Meet at the Café!', 'cafe')).toBe('Meet at the [Café]!');
    expect(marked('Meet at the Cafe\u0301!', 'café')).toBe('Meet at the [Cafe\u0301]!');
    expect(marked('the ﬁnal ﬁx', 'fi')).toBe('the [ﬁ]nal [ﬁ]x');
    expect(marked('ＡＢＣＤ', 'bc')).toBe('Ａ[ＢＣ]Ｄ');
    expect(marked('Straße', 'strasse')).toBe('[Straße]');
    expect(marked('ذهبت إلى المكتبة', 'مكتبة')).toBe('ذهبت إلى ال[مكتبة]');
    expect(marked('पुस्तकालय', 'स्तक')).toBe('पु[स्तक]ालय'.replace('[स्तक]ा', '[स्तका]'));
    expect(marked('party 🎉🎉 time', '🎉')).toBe('party [🎉🎉] time');
    expect(marked('<img src=x onerror=alert(1)>', 'onerror')).toBe('<img src=x [onerror]=alert(1)>');
  });
  it('phrases across collapsed whitespace, several needles', () => {
    expect(marked('quick   brown\nfox', '"quick brown" fox')).toBe('[quick   brown]\n[fox]');
    expect(marked('aaa', 'aa')).toBe('[aaa]');
  });
  it('no query, no match', () => {
    expect(highlightSegments('hello', '')).toEqual([{ text: 'hello', match: false }]);
    expect(highlightSegments('', 'x')).toEqual([]);
  });
});

describe('snippet', () => {
  it('cuts around the first match', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen';
    const s = snippet(text, 'seven', 12);
    const joined = s.segments.map((x) => x.text).join('');
    expect(joined).toContain('seven');
    expect(s.cutStart).toBe(true);
    expect(s.cutEnd).toBe(true);
    expect(s.segments.find((x) => x.match)?.text).toBe('seven');
  });
  it('never splits a surrogate pair or a cluster', () => {
    const text = '😀😀😀😀😀 x 😀😀😀😀😀';
    const s = snippet(text, 'x', 3);
    const joined = s.segments.map((x) => x.text).join('');
    expect(joined).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });
});
