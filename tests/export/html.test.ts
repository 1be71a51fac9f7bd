import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAT_CSS, CHAT_JS } from '../../src/core/export/assets';
import { escapeHtml, safeHref } from '../../src/core/export/escape';
import { exportChatHtml, type ExportStats } from '../../src/core/export/html';
import { linkify as linkSegments } from '../../src/core/text/links';
import type { Message } from '../../src/core/msgstore/model';
import { collect, indexOfId, makeChat, pagesNewestFirst, sampleMessages, textOfElement, tokenize, unescapeHtml, type Token } from './helpers';

const OPTS = { generatedAt: Date.UTC(2024, 0, 2, 3, 4), appVersion: '0.1.0', timeZone: 'UTC', locale: 'en-GB' };

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'p', 'a', 'details', 'summary', 'ul', 'ol', 'li',
  'div', 'input', 'button', 'span', 'select', 'option', 'main', 'section', 'time', 'b', 'i', 'img', 'progress', 'nav', 'footer', 'script',
]);
const ALLOWED_ATTRS = new Set([
  'tabindex',
  'lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'dir', 'id', 'hidden', 'type', 'placeholder', 'aria-label', 'role',
  'value', 'href', 'rel', 'title', 'datetime', 'src', 'alt', 'width', 'height', 'loading', 'decoding', 'max',
]);

/** Every tag is one we write, with attributes we write, and links/images only to safe places. */
function checkStructure(tokens: Token[]): void {
  let scripts = 0;
  let styles = 0;
  for (const t of tokens) {
    if (t.type === 'raw') {
      if (t.name === 'script') {
        scripts++;
        expect(t.raw).toBe(CHAT_JS);
      } else {
        styles++;
        expect(t.raw).toBe(CHAT_CSS);
      }
      continue;
    }
    if (t.type === 'text') {
      unescapeHtml(t.raw); // throws on a bare &
      continue;
    }
    expect(ALLOWED_TAGS.has(t.name), t.raw).toBe(true);
    for (const [k, v] of t.attrs) {
      expect(ALLOWED_ATTRS.has(k), t.raw).toBe(true);
      unescapeHtml(v);
    }
    const href = t.attrs.get('href');
    if (href !== undefined) expect(href.startsWith('#') || /^(https?:|mailto:|tel:)/.test(unescapeHtml(href)), t.raw).toBe(true);
    const src = t.attrs.get('src');
    if (src !== undefined) expect(src, t.raw).toMatch(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]*$/);
  }
  expect(scripts).toBe(1);
  expect(styles).toBe(1);
}

describe('escapeHtml / safeHref', () => {
  it('escapes markup characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('a\u2028b\rc\0')).toBe('a&#8232;b&#13;c\uFFFD');
    expect(escapeHtml('plain ✓')).toBe('plain ✓');
  });
  it('allows only http, https, mailto and tel links', () => {
    expect(safeHref('https://example.com/x')).toBe('https://example.com/x');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('tel:+4917')).toBe('tel:+4917');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'vbscript:x', 'http://', 'nonsense', ' javascript:alert(1)']) {
      expect(safeHref(bad), bad).toBeUndefined();
    }
  });
  it('linkSegments keeps every character and drops trailing punctuation from links', () => {
    const segs = linkSegments('see https://example.com/a. and www.x.org, mail me@ex.com!');
    expect(segs.map((s) => s.text).join('')).toBe('see https://example.com/a. and www.x.org, mail me@ex.com!');
    expect(segs.filter((s) => s.kind === 'link').map((s) => (s.kind === 'link' ? s.href : ''))).toEqual([
      'https://example.com/a',
      'https://www.x.org/',
      'mailto:me@ex.com',
    ]);
  });
});

describe('exportChatHtml', () => {
  it('renders every message kind the app shows', async () => {
    const msgs = sampleMessages();
    let stats: ExportStats | undefined;
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(msgs), { ...OPTS, onDone: (s) => (stats = s) }));
    const tokens = tokenize(html);
    checkStructure(tokens);
    expect(stats).toEqual({ messageCount: msgs.length, firstTs: msgs[0].ts, lastTs: msgs.at(-1)!.ts });
    for (const m of msgs) indexOfId(tokens, `m${m.pos}`);

    const text = (id: string) => {
      const i = indexOfId(tokens, id);
      const next = tokens.findIndex((t, k) => k > i && t.type === 'tag' && !t.closing && t.attrs.has('id') && /^m\d+$/.test(t.attrs.get('id')!));
      return tokens
        .slice(i, next === -1 ? undefined : next)
        .filter((t) => t.type === 'text')
        .map((t) => unescapeHtml(t.raw))
        .join('');
    };
    expect(text('m0')).toContain('Alice created group "Family 👪"');
    expect(text('m1')).toContain('Hello <b>everyone</b> & "friends"\nsecond line https://example.com/a?b=1&c=2.');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">https://example.com/a?b=1&amp;c=2</a>.');
    expect(text('m2')).toMatch(/Alice.*Hello <b>everyone<\/b>.*Hi Alice.*Edited/s);
    expect(html).toMatch(/<a class="q" href="#m1">/);
    expect(text('m3')).toMatch(/مرحبا بالجميع.*👍 You, Alice.*😂 Bob/s);
    expect(html).toContain('<p class="t" dir="auto">مرحبا بالجميع</p>');
    expect(text('m4')).toContain('Beach photo');
    expect(html).toMatch(/<img class="th" src="data:image\/jpeg;base64,\/9j\/4AECAwQFBgcICf\/Z" alt="Photo: Beach photo" width="640" height="480"/);
    expect(text('m5')).toContain('This message was deleted');
    expect(text('m6')).toContain('Missed voice call');
    expect(text('m7')).toMatch(/Alexanderplatz.*Berlin.*52\.52001, 13\.40495.*Open in OpenStreetMap/s);
    expect(html).toContain('href="https://www.openstreetmap.org/?mlat=52.52001&amp;mlon=13.40495#map=16/52.52001/13.40495"');
    expect(text('m8')).toMatch(/Carol.*\+49 176 1234567/s);
    expect(html).toContain('<a href="tel:+491761234567" dir="ltr">+49 176 1234567</a>');
    expect(text('m9')).toMatch(/Dinner where\?.*Pizza.*2 votes.*Sushi.*1 vote.*3 votes in total/s);
    expect(text('m10')).toMatch(/report Q1\.pdf.*3 pages · PDF · 121 KB.*the report/s);
    expect(text('m11')).toMatch(/Voice message.*1:05/s);
    expect(text('m12')).toContain('This message was deleted by an admin');
    expect(text('m12')).not.toContain('deleted by admin\u0000');
    expect(html).toMatch(/id="m13"><b class="sn c\d+" dir="auto">Bob<\/b><img class="th stk"/);
    expect(text('m14')).toMatch(/Picnic.*Monday, 10 May 2021, 12:00.*Park/s);
    expect(text('m15')).toMatch(/Video · 0:12.*clip/s);

    // Months, days, senders.
    expect(html).toContain('<section class="mo" id="mo-2021-04" aria-label="April 2021">');
    expect(html).toContain('<section class="mo" id="mo-2021-05" aria-label="May 2021">');
    expect(html).toContain('<h3 class="dy" id="d-2021-04-28"><span>Wednesday, 28 April 2021</span></h3>');
    expect(html).toContain('<a href="#mo-2021-04" title="10 messages">Apr</a><a href="#mo-2021-05" title="6 messages">May</a>');
    expect(html).toMatch(/<b class="sn c\d+" dir="auto">Alice<\/b>/);
    expect(html).toContain('<time class="mt" datetime="2021-04-28T09:05:00Z">09:05</time>');
  });

  it('writes the newest month first, each month oldest first, whatever the page size', async () => {
    const msgs = sampleMessages();
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(msgs), OPTS));
    const tokens = tokenize(html);
    const ids = tokens.flatMap((t) => (t.type === 'tag' && !t.closing && /^(mo-|m\d)/.test(t.attrs.get('id') ?? '') ? [t.attrs.get('id')] : []));
    const may = msgs.filter((m) => new Date(m.ts).getUTCMonth() === 4).map((m) => `m${m.pos}`);
    const april = msgs.filter((m) => new Date(m.ts).getUTCMonth() === 3).map((m) => `m${m.pos}`);
    expect(ids).toEqual(['mo-2021-05', ...may, 'mo-2021-04', ...april]);
    for (const size of [1, 2, 3, 7, 500]) {
      expect(await collect(exportChatHtml(makeChat(), pagesNewestFirst(msgs, size), OPTS))).toBe(html);
    }
  });

  it('exports only the date range asked for', async () => {
    const msgs = sampleMessages();
    let stats: ExportStats | undefined;
    const from = Date.UTC(2021, 4, 1);
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(msgs), { ...OPTS, dateRange: { from }, onDone: (s) => (stats = s) }));
    expect(stats?.messageCount).toBe(msgs.filter((m) => m.ts >= from).length);
    expect(html).not.toContain('id="m4"');
    expect(html).toContain('id="m10"');
    expect(html).not.toContain('id="mo-2021-04"');
  });

  it('writes a CSP whose hashes match the inline style and script', async () => {
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(sampleMessages()), OPTS));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; img-src data:; style-src ${sha(style)}; script-src ${sha(script)}; base-uri 'none'; form-action 'none'`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toMatch(/ style=|<link|<iframe|<object|<embed| on[a-z]+=/);
  });

  it('handles a chat with no messages', async () => {
    const html = await collect(exportChatHtml(makeChat({ kind: 'person', participants: [] }), pagesNewestFirst([]), OPTS));
    checkStructure(tokenize(html));
    expect(html).toContain('No messages.');
  });
});

// Strings that try hard to break out of text and attributes.
const hostile = fc.oneof(
  fc.string({
    unit: fc.constantFrom('<', '>', '&', '"', "'", '</script>', '<!--', '-->', '<script>', '\u2028', '\u2029', '\u200f', '\u200e', '\u202e',
      '😀', '👩🏻‍⚖️', 'a', ' ', '\n', '\r', '\t', '\0', 'https://x.io/<i>', 'www.', 'me@ex.com', '&amp;', '&#39;', ']]>', '`', 'ي', '\\'),
    maxLength: 30,
  }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
// What a reader sees: NUL becomes U+FFFD, lone surrogates become U+FFFD when encoded as UTF-8.
const seen = (s: string) => s.replace(/\0/g, '\uFFFD');

describe('exported HTML has no unescaped markup from backup strings (property)', () => {
  it('message text, sender, caption, file name, poll, quote, reactions, location, chat title', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 10, maxLength: 10 }), async (s) => {
        const sender = { jid: `${s[1]}@s.whatsapp.net`, title: s[1] };
        const ts = Date.UTC(2022, 1, 3, 4, 5);
        const base = { ts, fromMe: false, sender, type: 0 };
        const msgs: Message[] = [
          { ...base, id: 1, pos: 0, kind: 'text', text: s[0] },
          { ...base, id: 2, pos: 1, kind: 'image', text: `c${s[2]}`, media: { thumbnail: new Uint8Array([0xff, 0xd8, 1]), width: 10, height: 10 } },
          { ...base, id: 3, pos: 2, kind: 'document', text: s[2] + 'x', media: { fileName: s[3], size: 10 } },
          { ...base, id: 4, pos: 3, kind: 'poll', poll: { question: s[4], options: [{ name: s[5], votes: 1 }] } },
          { ...base, id: 5, pos: 4, kind: 'text', text: 'r', quoted: { pos: 0, fromMe: false, sender, kind: 'text', text: s[6] }, reactions: [{ emoji: s[7], fromMe: false, sender }] },
          { ...base, id: 6, pos: 5, kind: 'location', location: { lat: 1, lon: 2, name: `L${s[8]}` } },
          { ...base, id: 7, pos: 6, kind: 'system', system: { code: 1, text: s[9] } },
        ];
        const chat = makeChat({ title: s[9], participants: [{ ...sender, admin: false }] });
        const html = await collect(exportChatHtml(chat, pagesNewestFirst(msgs, 3), { ...OPTS, appVersion: s[0] }));
        const tokens = tokenize(html); // throws on any stray <
        checkStructure(tokens);
        const isP = (t: { name: string; attrs: Map<string, string> }) => t.name === 'p' && t.attrs.get('class') === 't';
        expect(textOfElement(tokens, indexOfId(tokens, 'm0'), isP).text).toBe(seen(s[0]));
        expect(textOfElement(tokens, indexOfId(tokens, 'm0'), (t) => t.attrs.get('class')?.startsWith('sn ') ?? false).text).toBe(seen(s[1]));
        expect(textOfElement(tokens, indexOfId(tokens, 'm1'), isP).text).toBe(`c${seen(s[2])}`);
        expect(textOfElement(tokens, indexOfId(tokens, 'm2'), (t) => t.name === 'b' && !t.attrs.has('class')).text).toBe(`📄 ${seen(s[3])}`);
        const poll = textOfElement(tokens, indexOfId(tokens, 'm3'), (t) => t.name === 'b' && !t.attrs.has('class'));
        expect(poll.text).toBe(`📊 ${seen(s[4])}`);
        expect(textOfElement(tokens, poll.end, (t) => t.name === 'span' && t.attrs.get('dir') === 'auto').text).toBe(seen(s[5]));
        expect(textOfElement(tokens, indexOfId(tokens, 'm4'), (t) => t.attrs.get('class') === 'qt').text).toBe(seen(s[6]));
        const li = tokens.findIndex((t, k) => k > indexOfId(tokens, 'm4') && t.type === 'tag' && t.name === 'li');
        const rx = tokens[li + 1];
        expect(rx.type === 'text' ? unescapeHtml(rx.raw) : s[7].length === 0 ? ' ' : '?').toBe(`${seen(s[7])} `);
        expect(textOfElement(tokens, indexOfId(tokens, 'm5'), (t) => t.name === 'span' && t.attrs.get('dir') === 'auto').text).toBe(`L${seen(s[8])}`);
        expect(textOfElement(tokens, indexOfId(tokens, 'm6'), isP).text).toBe(seen(s[9]));
        expect(textOfElement(tokens, 0, (t) => t.name === 'h1').text).toBe(seen(s[9]));
        expect(textOfElement(tokens, 0, (t) => t.name === 'title').text).toBe(`Group: ${seen(s[9])}`);
        // The one script and the one style are our constants, whatever the messages said.
        expect(html.match(/<script>/g)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
