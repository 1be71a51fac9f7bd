/**
 * Test helpers for the export: a chat with every kind of message, a strict little HTML
 * tokenizer (fails on any `<` or `&` our writer should have escaped), and an unescape that
 * knows only the references `escapeHtml` writes.
 */
import type { Chat, Message } from '../../src/core/msgstore/model';

export async function collect(gen: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const s of gen) parts.push(s);
  return parts.join('');
}

export async function collectBytes(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const b of gen) {
    parts.push(b);
    n += b.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const alice = { jid: '4917600000001@s.whatsapp.net', title: 'Alice' };
const bob = { jid: '4917600000002@s.whatsapp.net', title: 'Bob' };
// A tiny JPEG-ish thumbnail (FF D8 … FF D9); content does not matter for the export.
export const THUMB = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0xd9]);

export function makeChat(over: Partial<Chat> = {}): Chat {
  return {
    id: 7,
    jid: '120363000000000001@g.us',
    kind: 'group',
    title: 'Family 👪',
    participants: [
      { ...alice, admin: true },
      { ...bob, admin: false },
    ],
    archived: false,
    lastActivity: Date.UTC(2021, 4, 2, 9, 0),
    messageCount: 0,
    ...over,
  };
}

/** One message of each kind the app draws, in two months and several days (UTC times). */
export function sampleMessages(): Message[] {
  const t = (mo: number, d: number, h: number, mi = 0) => Date.UTC(2021, mo, d, h, mi);
  const list: Omit<Message, 'pos' | 'id'>[] = [
    { ts: t(3, 28, 8), fromMe: false, kind: 'system', type: 7, system: { code: 1, text: 'Alice created group "Family 👪"' } },
    { ts: t(3, 28, 9, 5), fromMe: false, sender: alice, kind: 'text', type: 0, text: 'Hello <b>everyone</b> & "friends"\nsecond line https://example.com/a?b=1&c=2.' },
    { ts: t(3, 28, 9, 6), fromMe: true, kind: 'text', type: 0, text: 'Hi Alice', edited: true, quoted: { pos: 1, fromMe: false, sender: alice, kind: 'text', text: 'Hello <b>everyone</b>' } },
    { ts: t(3, 28, 9, 7), fromMe: false, sender: bob, kind: 'text', type: 0, text: 'مرحبا بالجميع', reactions: [{ emoji: '👍', fromMe: true }, { emoji: '👍', fromMe: false, sender: alice }, { emoji: '😂', fromMe: false, sender: bob }] },
    { ts: t(3, 28, 10), fromMe: false, sender: alice, kind: 'image', type: 1, text: 'Beach photo', media: { mime: 'image/jpeg', thumbnail: THUMB, width: 640, height: 480, filePath: 'Media/WhatsApp Images/IMG-20210428-WA0001.jpg' } },
    { ts: t(3, 29, 11), fromMe: true, kind: 'deleted', type: 15, deleted: 'sender' },
    { ts: t(3, 29, 12), fromMe: false, sender: bob, kind: 'call', type: 90, call: { video: false, outcome: 'missed' } },
    { ts: t(3, 29, 13), fromMe: false, sender: alice, kind: 'location', type: 5, location: { lat: 52.520008, lon: 13.404954, name: 'Alexanderplatz', address: 'Berlin' } },
    { ts: t(3, 29, 14), fromMe: false, sender: bob, kind: 'contact', type: 4, text: 'Carol', contacts: [{ name: 'Carol', numbers: ['+49 176 1234567'] }] },
    { ts: t(3, 30, 15), fromMe: true, kind: 'poll', type: 66, poll: { question: 'Dinner where?', options: [{ name: 'Pizza', votes: 2 }, { name: 'Sushi', votes: 1 }] } },
    { ts: t(4, 1, 9), fromMe: false, sender: alice, kind: 'document', type: 9, text: 'the report', media: { fileName: 'report Q1.pdf', size: 123456, pageCount: 3, mime: 'application/pdf' } },
    { ts: t(4, 1, 10), fromMe: false, sender: bob, kind: 'voice', type: 2, media: { durationSec: 65 } },
    { ts: t(4, 2, 9), fromMe: false, sender: alice, kind: 'text', type: 0, text: 'deleted by admin', deleted: 'admin' },
    { ts: t(4, 2, 9, 30), fromMe: false, sender: bob, kind: 'sticker', type: 20, media: { thumbnail: THUMB } },
    { ts: t(4, 2, 10), fromMe: false, sender: alice, kind: 'event', type: 70, event: { name: 'Picnic', startTime: t(4, 10, 12), location: 'Park' } },
    { ts: t(4, 2, 11), fromMe: false, sender: bob, kind: 'video', type: 3, text: 'clip', media: { durationSec: 12, fileName: undefined, filePath: 'Media/WhatsApp Video/VID-20210502-WA0003.mp4' } },
  ];
  return list.map((m, i) => ({ ...m, id: 100 + i, pos: i }));
}

export async function* pagesOf(messages: Message[], size = 5): AsyncGenerator<Message[]> {
  for (let i = 0; i < messages.length; i += size) yield messages.slice(i, i + size);
}

/** The same pages from the last to the first (each page still oldest first), as the HTML export reads them. */
export async function* pagesNewestFirst(messages: Message[], size = 5): AsyncGenerator<Message[]> {
  const pages: Message[][] = [];
  for (let i = 0; i < messages.length; i += size) pages.push(messages.slice(i, i + size));
  for (let p = pages.length - 1; p >= 0; p--) yield pages[p];
}

/** Pages in the order an export asks for. */
export function pagesInOrder(messages: Message[], order: 'oldest-first' | 'newest-first', size = 5): AsyncGenerator<Message[]> {
  return order === 'oldest-first' ? pagesOf(messages, size) : pagesNewestFirst(messages, size);
}

export type Token =
  | { type: 'tag'; name: string; closing: boolean; attrs: Map<string, string>; raw: string }
  | { type: 'text'; raw: string }
  | { type: 'raw'; name: 'script' | 'style'; raw: string };

const ATTR = /\s+([a-z][a-z-]*)(?:="([^"<]*)")?/y;

/**
 * Splits our own output into tags and text. Throws on anything our writer should never produce:
 * a `<` that does not start a well-formed tag, an unquoted or single-quoted attribute, a comment.
 */
export function tokenize(html: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push({ type: 'text', raw: html.slice(i) });
      break;
    }
    if (lt > i) out.push({ type: 'text', raw: html.slice(i, lt) });
    if (html.startsWith('<!doctype html>', lt)) {
      i = lt + '<!doctype html>'.length;
      continue;
    }
    const m = /^<(\/?)([a-z][a-z0-9]*)/.exec(html.slice(lt, lt + 20));
    if (!m) throw new Error(`stray < at ${lt}: ${JSON.stringify(html.slice(lt, lt + 40))}`);
    let j = lt + m[0].length;
    const attrs = new Map<string, string>();
    for (;;) {
      ATTR.lastIndex = j;
      const a = ATTR.exec(html);
      if (!a) break;
      attrs.set(a[1], a[2] ?? '');
      j = ATTR.lastIndex;
    }
    if (html[j] !== '>') throw new Error(`malformed tag at ${lt}: ${JSON.stringify(html.slice(lt, j + 20))}`);
    const name = m[2];
    out.push({ type: 'tag', name, closing: m[1] === '/', attrs, raw: html.slice(lt, j + 1) });
    i = j + 1;
    if (!m[1] && (name === 'script' || name === 'style')) {
      const end = html.indexOf(`</${name}>`, i);
      if (end === -1) throw new Error(`unterminated ${name}`);
      out.push({ type: 'raw', name, raw: html.slice(i, end) });
      i = end;
    }
  }
  return out;
}

const REFS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#13': '\r', '#8232': '\u2028', '#8233': '\u2029' };

/** Inverse of escapeHtml; throws on a bare `&` or any reference escapeHtml does not write. */
export function unescapeHtml(s: string): string {
  return s.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    const v = REFS[name];
    if (v === undefined || !whole.endsWith(';')) throw new Error(`unexpected & in ${JSON.stringify(s.slice(0, 80))}`);
    return v;
  });
}

/**
 * The text inside the first element after `start` whose open tag matches `pred`, with `<a>`
 * tags inside it dropped (links keep their text), unescaped. Throws if anything else is inside.
 */
export function textOfElement(tokens: Token[], start: number, pred: (t: Extract<Token, { type: 'tag' }>) => boolean): { text: string; end: number } {
  let k = start;
  for (; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'tag' && !t.closing && pred(t)) break;
  }
  if (k === tokens.length) throw new Error('element not found');
  const open = tokens[k] as Extract<Token, { type: 'tag' }>;
  let text = '';
  for (k++; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'text') text += unescapeHtml(t.raw);
    else if (t.type === 'tag' && t.name === 'a') continue;
    else if (t.type === 'tag' && t.closing && t.name === open.name) return { text, end: k };
    else throw new Error(`unexpected ${t.raw} inside <${open.name}>`);
  }
  throw new Error('element not closed');
}

export function indexOfId(tokens: Token[], id: string): number {
  const i = tokens.findIndex((t) => t.type === 'tag' && t.attrs.get('id') === id);
  if (i === -1) throw new Error(`no element #${id}`);
  return i;
}
