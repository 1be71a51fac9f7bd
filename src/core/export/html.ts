/**
 * The single-file HTML export of one chat: archival first, fast to open, offline forever.
 *
 * What the file is:
 * - One self-contained document: the stylesheet and one small script inline, thumbnails as
 *   `data:` URIs, a Content-Security-Policy `<meta>` that allows only those (by SHA-256) and
 *   `data:` images: `default-src 'none'; img-src data:; style-src 'sha256-…';
 *   script-src 'sha256-…'; base-uri 'none'; form-action 'none'`. Nothing is ever fetched.
 * - In a multi-chat zip with media files (`mediaHref`), a message's included file is shown from
 *   its relative path instead (`<img>`, `<video controls>`, `<audio controls>`, a link for a
 *   document) and the CSP adds `'self'` to `img-src` and `media-src 'self'` (csp.ts); remote
 *   loads stay forbidden.
 * - Every message is escaped HTML text in the document, grouped into one
 *   `<section class="mo" id="mo-YYYY-MM">` per month. The sections are in the file newest month
 *   first (each month's messages oldest first), and the stylesheet lays the page out as a
 *   `column-reverse` flex box that is its own scroll container: the browser shows the newest
 *   messages as soon as it has parsed them and the page opens at the end without any script,
 *   while a 100,000-message file is still being parsed. On screen and in print it reads oldest to
 *   newest; `content-visibility: auto` on the sections lays out only what is on screen (plain
 *   blocks when printed). Message `i` of the chat is `id="m{pos}"`; replies link to `#m{pos}`.
 * - Without script it reads top to bottom, with a month index (plain anchor links) shown at the
 *   top. The script only focuses the scroller for the keyboard, and adds find-in-chat and a
 *   month picker. It never contains message text.
 *
 * How the worker uses this module (the whole export API, `src/core/export/`):
 *
 * ```ts
 * import { exportChatHtml } from '../core/export/html';
 * import { exportChatsZip } from '../core/export/bundle';
 * import { protectHtml } from '../core/export/protect';
 * import argon2Script from 'hash-wasm/dist/argon2.umd.min.js?raw'; // only for protected exports
 *
 * // pagesNewestFirst: the chat's stored pages from the last to the first
 * // (for (let p = chat.pageCount - 1; p >= 0; p--) yield (await readPage(p)).messages).
 *
 * // "Export chat" → one .html (strings; encode with TextEncoder as they come, write to OPFS):
 * for await (const chunk of exportChatHtml(chat, pagesNewestFirst, { generatedAt: Date.now(), appVersion, dateRange }))
 *   await writable.write(chunk);
 *
 * // … with a password: collect the HTML (one chat fits in memory), then wrap it:
 * const page = await protectHtml(html, password, { argon2Script, appVersion }); // a string
 *
 * // "Export chats" → one .zip (Uint8Array chunks; index.html, and per chat .html/.txt/.json):
 * for await (const bytes of exportChatsZip(chats, (chat, order) => pagesOf(chat, order), { generatedAt: Date.now(), appVersion, dateRange }))
 *   await writable.write(bytes);
 * ```
 *
 * Check `signal.aborted` between chunks to cancel: every generator stops when the consumer
 * stops pulling. Memory stays at about one month of messages plus its rendered HTML, except
 * for `protectHtml` (the whole page, plaintext and ciphertext: about 3× the HTML size).
 *
 * The chat argument is the core {@link Chat}; the worker's `ChatSummary` extends it and can be
 * passed as is (core does not import worker types).
 */
import type { CallInfo, Chat, Message, MessageKind, Person, Quote, Reaction } from '../msgstore/model';
import { CHAT_CSS, CHAT_JS } from './assets';
import {
  base64,
  dayKey,
  filterPages,
  formatBytes,
  hhmm,
  imageMime,
  makeClock,
  makeLabels,
  monthKey,
  senderColour,
  type CalendarParts,
  type DateRange,
  type ExportTimeOptions,
} from './common';
import { buildCsp } from './csp';
import { escapeHtml as esc, safeHref } from './escape';
import { carriesFile, type MediaFileRef, type MediaHref } from './media';
import { hrefForPath } from './names';
import { linkify } from '../text/links';

export interface HtmlExportOptions extends ExportTimeOptions {
  /** ms since epoch; written into the file's header. */
  generatedAt: number;
  /** Unseal's version, written into the file. */
  appVersion: string;
  /** Only messages with `from <= ts < to` are exported. */
  dateRange?: DateRange;
  /** Called once after the last chunk with what was written. */
  onDone?: (stats: ExportStats) => void;
  /**
   * Media files exported next to this page (the zip's `… media/` folder): a message with a file
   * shows it from that relative path (`<img>`, `<video>`, `<audio>`, a link for documents)
   * instead of the thumbnail, and the CSP allows `'self'` images and media (csp.ts).
   */
  mediaHref?: MediaHref;
}

export interface ExportStats {
  messageCount: number;
  /** ms since epoch of the oldest and newest exported message (undefined when none). */
  firstTs?: number;
  lastTs?: number;
}

/** One month of the index: `YYYY-MM`, its label and how many messages it holds. */
interface MonthEntry {
  key: string;
  parts: CalendarParts;
  count: number;
}

const KIND_LABEL: Record<MessageKind, string> = {
  text: 'Message',
  image: 'Photo',
  video: 'Video',
  gif: 'GIF',
  audio: 'Audio',
  voice: 'Voice message',
  'video-note': 'Video message',
  sticker: 'Sticker',
  document: 'Document',
  contact: 'Contact',
  location: 'Location',
  'live-location': 'Live location',
  call: 'Call',
  system: 'System message',
  deleted: 'This message was deleted',
  poll: 'Poll',
  'view-once': 'View once message',
  waiting: 'Waiting for this message',
  event: 'Event',
  unsupported: 'Unsupported message',
};

export const kindLabel = (k: MessageKind): string => KIND_LABEL[k] ?? 'Message';

const CHAT_KIND: Record<Chat['kind'], string> = {
  person: 'Chat',
  group: 'Group',
  broadcast: 'Broadcast list',
  channel: 'Channel',
};

/** `3:12`, `1:02:03` */
export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Escaped text with links; the caller wraps it (`white-space: pre-wrap` keeps line breaks). */
export function richText(text: string): string {
  let out = '';
  for (const seg of linkify(text)) {
    out += seg.kind === 'link' ? `<a href="${esc(seg.href)}" rel="noopener noreferrer">${esc(seg.text)}</a>` : esc(seg.text);
  }
  return out;
}

const para = (text: string, cls = 't') => `<p class="${cls}" dir="auto">${richText(text)}</p>`;

export function callText(call: CallInfo | undefined, fromMe: boolean): string {
  if (!call) return 'Call';
  const what = `${call.group ? 'group ' : ''}${call.video ? 'video' : 'voice'} call`;
  if (call.outcome === 'missed') return `Missed ${what}`;
  if (call.outcome === 'rejected') return `Declined ${what}`;
  const d = call.durationSec ? ` · ${formatDuration(call.durationSec)}` : '';
  return `${fromMe ? 'Outgoing' : 'Incoming'} ${what}${d}`;
}

export function osmUrl(lat: number, lon: number): string {
  const la = lat.toFixed(5);
  const lo = lon.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}`;
}

/** Renders messages of one chat; holds the little state a run of messages needs. */
class Renderer {
  readonly clock;
  readonly labels;
  readonly group: boolean;
  private lastSender: string | undefined;
  private lastDay = '';

  constructor(
    readonly chat: Chat,
    readonly opts: HtmlExportOptions,
  ) {
    this.clock = makeClock(opts.timeZone);
    this.labels = makeLabels(opts.locale);
    this.group = chat.kind === 'group' || chat.kind === 'broadcast' || chat.kind === 'channel';
  }

  who(m: { fromMe: boolean; sender?: Person }): string {
    if (m.fromMe) return 'You';
    return m.sender?.title ?? this.chat.title;
  }

  /**
   * Sets the run state to what it is right after `previous` (the message before the next one
   * rendered), or to the start of the chat when there is none. Rendering resumes exactly as if
   * everything before had just been rendered.
   */
  resumeAfter(previous: Message | undefined): void {
    this.lastDay = '';
    this.lastSender = undefined;
    if (!previous) return;
    const p = this.clock(previous.ts);
    this.day(p);
    this.message(previous, p);
  }

  /** A day separator when `p` starts a new day. */
  day(p: CalendarParts): string {
    const key = dayKey(p);
    if (key === this.lastDay) return '';
    this.lastDay = key;
    this.lastSender = undefined;
    return `<h3 class="dy" id="d-${key}"><span>${esc(this.labels.day(p))}</span></h3>\n`;
  }

  message(m: Message, p: CalendarParts): string {
    // Seconds precision is all the model's times carry in practice; the attribute keeps them.
    const time = `<time class="mt" datetime="${new Date(m.ts).toISOString().slice(0, 19)}Z">${hhmm(p)}</time>`;
    if (m.kind === 'system' && !m.deleted) {
      this.lastSender = undefined;
      return `<div class="m s" id="m${m.pos}">${para(m.system?.text ?? m.text ?? 'System message')}${time}</div>\n`;
    }
    const senderKey = m.fromMe ? '\u0000me' : (m.sender?.jid ?? '\u0000them');
    const first = senderKey !== this.lastSender;
    this.lastSender = senderKey;
    const colour = m.sender ? senderColour(m.sender.jid) : 0;
    let h = `<div class="m ${m.fromMe ? 'o' : 'i'}${first ? ' nw' : ''}" id="m${m.pos}">`;
    if (this.group && !m.fromMe && first) h += `<b class="sn c${colour}" dir="auto">${esc(this.who(m))}</b>`;
    if (m.forwarded) h += '<i class="fw">Forwarded</i>';
    if (m.quoted) h += this.quote(m.quoted);
    h += this.body(m);
    if (m.starred || m.edited) h += `<div class="mt">${m.starred ? '<span title="Starred">★</span> ' : ''}${m.edited ? 'Edited ' : ''}${time}</div>`;
    else h += time;
    if (m.reactions && m.reactions.length > 0) h += this.reactions(m.reactions);
    return `${h}</div>\n`;
  }

  quote(q: Quote): string {
    const inner = `<span class="qs" dir="auto">${esc(this.who(q))}</span><span class="qt" dir="auto">${esc(q.text ?? kindLabel(q.kind))}</span>`;
    return q.pos !== undefined
      ? `<a class="q" href="#m${q.pos}">${inner}</a>`
      : `<div class="q" title="The original message is not in this chat any more">${inner}</div>`;
  }

  reactions(list: Reaction[]): string {
    const groups = new Map<string, string[]>();
    for (const r of list) {
      const names = groups.get(r.emoji) ?? [];
      names.push(this.who(r));
      groups.set(r.emoji, names);
    }
    let h = '<ul class="rx" aria-label="Reactions">';
    for (const [emoji, names] of groups) h += `<li>${esc(emoji)} <span class="x">${esc(names.join(', '))}</span></li>`;
    return `${h}</ul>`;
  }

  thumb(m: Message): string {
    const md = m.media;
    const label = kindLabel(m.kind);
    if (!md?.thumbnail || md.thumbnail.length === 0) {
      const facts = [label, md?.durationSec !== undefined ? formatDuration(md.durationSec) : '', md?.size !== undefined ? formatBytes(md.size) : '']
        .filter(Boolean)
        .join(' · ');
      return `<p class="muted">${esc(facts)}</p>`;
    }
    const size = md.width && md.height && md.width > 0 && md.height > 0 ? ` width="${Math.round(md.width)}" height="${Math.round(md.height)}"` : '';
    const alt = m.text ? `${label}: ${m.text.slice(0, 120)}` : label;
    let h = `<img class="th${m.kind === 'sticker' ? ' stk' : ''}" src="data:${imageMime(md.thumbnail)};base64,${base64(md.thumbnail)}" alt="${esc(alt)}"${size} loading="lazy" decoding="async">`;
    if (m.kind === 'video' || m.kind === 'video-note' || m.kind === 'gif') {
      const facts = [label, md.durationSec !== undefined ? formatDuration(md.durationSec) : ''].filter(Boolean).join(' · ');
      h += `<div class="x">${esc(facts)}</div>`;
    }
    return h;
  }

  /** The message's included file, if any. */
  file(m: Message): MediaFileRef | undefined {
    return this.opts.mediaHref && carriesFile(m) ? this.opts.mediaHref(m) : undefined;
  }

  /** A photo or sticker as `<img>`, a video, GIF or video note as `<video>`, from the included file. */
  visualFile(m: Message, file: MediaFileRef): string {
    const md = m.media;
    const label = kindLabel(m.kind);
    const src = esc(hrefForPath(file.path));
    const size = md?.width && md.height && md.width > 0 && md.height > 0 ? ` width="${Math.round(md.width)}" height="${Math.round(md.height)}"` : '';
    if (m.kind === 'image' || m.kind === 'sticker') {
      const alt = m.text ? `${label}: ${m.text.slice(0, 120)}` : label;
      return `<a class="mf" href="${src}"><img class="th${m.kind === 'sticker' ? ' stk' : ''}" src="${src}" alt="${esc(alt)}"${size} loading="lazy" decoding="async"></a>`;
    }
    const loop = m.kind === 'gif' ? ' loop muted' : '';
    const facts = [label, md?.durationSec !== undefined ? formatDuration(md.durationSec) : ''].filter(Boolean).join(' · ');
    return `<video class="th" controls preload="metadata"${loop} src="${src}"${size}><a href="${src}">${esc(label)}</a></video><div class="x">${esc(facts)}</div>`;
  }

  body(m: Message): string {
    if (m.deleted || m.kind === 'deleted') {
      return `<p class="muted">${m.deleted === 'admin' ? 'This message was deleted by an admin' : 'This message was deleted'}</p>`;
    }
    const caption = m.text ? para(m.text) : '';
    switch (m.kind) {
      case 'text': {
        let h = '';
        const l = m.link;
        if (l && (l.title || l.description)) {
          const href = l.url ? safeHref(l.url) : undefined;
          h += '<div class="card">';
          if (l.title) h += `<b dir="auto">${esc(l.title)}</b>`;
          if (l.description) h += `<span class="x" dir="auto">${esc(l.description)}</span>`;
          if (href) h += `<a href="${esc(href)}" rel="noopener noreferrer" dir="ltr">${esc(l.url ?? href)}</a>`;
          h += '</div>';
        }
        return h + para(m.text ?? m.link?.url ?? '');
      }
      case 'image':
      case 'video':
      case 'gif':
      case 'sticker':
      case 'video-note': {
        const file = this.file(m);
        return (file ? this.visualFile(m, file) : this.thumb(m)) + (m.kind === 'sticker' ? '' : caption);
      }
      case 'voice':
      case 'audio': {
        const name = m.kind === 'voice' ? '🎤 Voice message' : `🎵 ${m.media?.fileName ?? 'Audio'}`;
        const d = m.media?.durationSec !== undefined ? ` · ${formatDuration(m.media.durationSec)}` : '';
        const file = this.file(m);
        const player = file ? `<audio controls preload="metadata" src="${esc(hrefForPath(file.path))}"></audio>` : '';
        return `<div class="card"><b dir="auto">${esc(name)}</b><span class="x">${esc(d.slice(3))}</span>${player}</div>${m.kind === 'audio' ? caption : ''}`;
      }
      case 'document': {
        const md = m.media;
        const name = md?.fileName ?? 'Document';
        const ext = md?.fileName?.includes('.') ? md.fileName.split('.').pop()?.toUpperCase() : undefined;
        const facts = [md?.pageCount !== undefined ? plural(md.pageCount, 'page', 'pages') : '', ext ?? '', md?.size !== undefined ? formatBytes(md.size) : '']
          .filter(Boolean)
          .join(' · ');
        const file = this.file(m);
        const thumb = !file && md?.thumbnail && md.thumbnail.length > 0 ? this.thumb(m) : '';
        // An included file: the name links to it (opens it, or downloads it where the browser cannot show it).
        const title = file
          ? `<a href="${esc(hrefForPath(file.path))}"${file.mime ? ` type="${esc(file.mime)}"` : ''} dir="auto">📄 ${esc(name)}</a>`
          : `<b dir="auto">📄 ${esc(name)}</b>`;
        return `${thumb}<div class="card">${title}${facts ? `<span class="x">${esc(facts)}</span>` : ''}</div>${m.text && m.text !== name ? caption : ''}`;
      }
      case 'contact': {
        const cards = m.contacts && m.contacts.length > 0 ? m.contacts : [{ name: m.text ?? 'Contact', numbers: [] }];
        let h = '';
        for (const c of cards) {
          h += `<div class="card"><b dir="auto">👤 ${esc(c.name)}</b>`;
          for (const n of c.numbers) {
            const href = safeHref(`tel:${n.replace(/[^\d+]/g, '')}`);
            h += href && /\d/.test(n) ? `<a href="${esc(href)}" dir="ltr">${esc(n)}</a>` : `<span dir="ltr">${esc(n)}</span>`;
          }
          h += '</div>';
        }
        return h;
      }
      case 'location':
      case 'live-location': {
        const loc = m.location;
        if (!loc) return `<p class="muted">${kindLabel(m.kind)}</p>${caption}`;
        let h = `<div class="card"><b>📍 ${m.kind === 'live-location' || loc.live ? 'Live location' : 'Location'}</b>`;
        if (loc.name) h += `<span dir="auto">${esc(loc.name)}</span>`;
        if (loc.address) h += `<span class="x" dir="auto">${esc(loc.address)}</span>`;
        if (Number.isFinite(loc.lat) && Number.isFinite(loc.lon)) {
          h += `<span class="x" dir="ltr">${loc.lat.toFixed(5)}, ${loc.lon.toFixed(5)}</span>`;
          h += `<a href="${esc(osmUrl(loc.lat, loc.lon))}" rel="noopener noreferrer">Open in OpenStreetMap</a>`;
        }
        return `${h}</div>${caption}`;
      }
      case 'call': {
        const missed = m.call?.outcome === 'missed' || m.call?.outcome === 'rejected';
        return `<p class="t${missed ? ' miss' : ''}">${m.call?.video ? '🎥' : '📞'} ${esc(callText(m.call, m.fromMe))}</p>`;
      }
      case 'poll': {
        const poll = m.poll;
        if (!poll) return `<p class="muted">Poll</p>${caption}`;
        const total = poll.options.reduce((s, o) => s + o.votes, 0);
        const max = Math.max(1, ...poll.options.map((o) => o.votes));
        let h = `<div class="card poll"><b dir="auto">📊 ${esc(poll.question)}</b><span class="x">${poll.multiSelect ? 'Select one or more' : 'Select one'}</span><ul>`;
        for (const o of poll.options) {
          h += `<li><span dir="auto">${esc(o.name)}</span> <span class="x">${plural(o.votes, 'vote', 'votes')}</span><progress max="${max}" value="${o.votes}"></progress></li>`;
        }
        return `${h}</ul><span class="x">${plural(total, 'vote', 'votes')} in total</span></div>`;
      }
      case 'event': {
        const ev = m.event;
        let h = `<div class="card"><b dir="auto">📅 ${esc(ev?.name ?? m.text ?? 'Event')}</b>`;
        if (ev?.startTime !== undefined) {
          const p = this.clock(ev.startTime);
          h += `<span class="x">${esc(this.labels.day(p))}, ${hhmm(p)}</span>`;
        }
        if (ev?.location) h += `<span class="x" dir="auto">${esc(ev.location)}</span>`;
        if (ev?.description) h += para(ev.description, 't x');
        return `${h}</div>`;
      }
      case 'view-once': {
        const mime = m.media?.mime ?? '';
        return `<p class="muted">${mime.startsWith('video') ? 'View once video' : mime.startsWith('image') ? 'View once photo' : 'View once message'}</p>`;
      }
      case 'waiting':
        return '<p class="muted">Waiting for this message</p>';
      case 'unsupported':
        return `<p class="muted">Unsupported message (type ${m.type})</p>${caption}`;
      case 'system':
        return para(m.system?.text ?? m.text ?? 'System message');
      default:
        return caption || `<p class="muted">${esc(kindLabel(m.kind))}</p>`;
    }
  }
}

const cspPromises = new Map<boolean, Promise<string>>();
/** The chat page's policy (constant: the style and script never change at run time); `localFiles` with media files next to it. */
export function chatCsp(localFiles = false): Promise<string> {
  let csp = cspPromises.get(localFiles);
  if (!csp) cspPromises.set(localFiles, (csp = buildCsp({ styles: [CHAT_CSS], scripts: [CHAT_JS], localFiles })));
  return csp;
}

function dateText(ts: number, r: Renderer): string {
  const p = r.clock(ts);
  return `${r.labels.day(p)}, ${hhmm(p)}`;
}

/**
 * Streams one chat as a self-contained HTML document. `pagesNewestFirst` gives the chat's pages
 * from the newest to the oldest, each page's messages oldest first (the stored pages, read
 * backwards). The newest month is written first so a browser shows it while it still parses
 * the rest of a large file; each month is kept as rendered chunks until it is complete (then
 * written oldest first), so memory is one page of messages and one month of HTML. Yields the
 * head, then the months' chunks, then the month index, footer and script.
 */
export async function* exportChatHtml(
  chat: Chat,
  pagesNewestFirst: AsyncIterable<Message[]> | Iterable<Message[]>,
  opts: HtmlExportOptions,
): AsyncGenerator<string> {
  const r = new Renderer(chat, opts);
  const csp = await chatCsp(opts.mediaHref !== undefined);
  const title = `${CHAT_KIND[chat.kind] ?? 'Chat'}: ${chat.title}`;
  const range = opts.dateRange;

  let head = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n';
  head += `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`;
  head += '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  head += `<meta name="generator" content="Unseal ${esc(opts.appVersion)}">\n`;
  head += `<title>${esc(title)}</title>\n<style>${CHAT_CSS}</style>\n</head>\n<body tabindex="-1">\n`;
  head += `<header class="hd"><h1 dir="auto">${esc(chat.title)}</h1>\n`;
  const facts = [CHAT_KIND[chat.kind] ?? 'Chat', chat.jid];
  if (chat.participants.length > 0) facts.push(plural(chat.participants.length, 'participant', 'participants'));
  head += `<p class="sub" dir="auto">${esc(facts.join(' · '))}</p>\n`;
  if (range && (range.from !== undefined || range.to !== undefined)) {
    const from = range.from !== undefined ? dateText(range.from, r) : 'the start';
    const to = range.to !== undefined ? dateText(range.to, r) : 'the end';
    head += `<p class="sub">Messages from ${esc(from)} until ${esc(to)}</p>\n`;
  }
  head += `<p class="sub">Exported with Unseal ${esc(opts.appVersion)} on ${esc(dateText(opts.generatedAt, r))}. <a href="#end">Newest message</a></p>\n`;
  if (chat.participants.length > 0) {
    head += `<details><summary>Participants</summary><ul>`;
    for (const p of chat.participants) head += `<li dir="auto">${esc(p.title)}${p.admin ? ' (admin)' : ''}</li>`;
    head += '</ul></details>\n';
  }
  head += '<div class="tools" id="tools" hidden><input id="q" type="search" placeholder="Find in chat" aria-label="Find in chat">';
  head += '<button id="qprev" type="button">Older</button><button id="qnext" type="button">Newer</button><span id="qs" role="status"></span>';
  head += '<select id="month" aria-label="Jump to month"><option value="">Jump to month…</option></select></div>\n';
  head += '</header>\n<main id="chat">\n';
  yield head;

  // Pages arrive newest first; each is rendered oldest first once the page before it (older)
  // has arrived, because the rendering of a message depends on the one before it (day headings,
  // sender names). A month's rendered chunks are kept until the month is complete, then written
  // oldest chunk first. Memory: one page of messages and one month of HTML.
  /** Months written so far, newest first. */
  const months: MonthEntry[] = [];
  let month: { key: string; parts: CalendarParts; chunks: string[]; count: number } | undefined;
  let count = 0;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  /** Rendered chunks ready to be written, in file order. */
  let ready: string[] = [];
  const closeMonth = (): void => {
    if (!month) return;
    months.push({ key: month.key, parts: month.parts, count: month.count });
    const label = esc(r.labels.month(month.parts));
    ready.push(`<section class="mo" id="mo-${month.key}" aria-label="${label}"><h2 class="mh">${label}</h2>\n`);
    for (let i = month.chunks.length - 1; i >= 0; i--) ready.push(month.chunks[i]);
    ready.push('</section>\n');
    month = undefined;
  };
  /** Renders `page` (oldest first) after `previous`; the months it completes become `ready`. */
  const renderPage = (page: Message[], previous: Message | undefined): void => {
    r.resumeAfter(previous);
    // Split the page by month, oldest part first; the parts are then filed newest first.
    const parts: { key: string; parts: CalendarParts; html: string; count: number }[] = [];
    for (const m of page) {
      const p = r.clock(m.ts);
      const key = monthKey(p);
      let part = parts.at(-1);
      if (part?.key !== key) {
        part = { key, parts: p, html: '', count: 0 };
        parts.push(part);
      }
      part.html += r.day(p) + r.message(m, p);
      part.count++;
    }
    for (let i = parts.length - 1; i >= 0; i--) {
      const part = parts[i];
      if (month?.key !== part.key) {
        closeMonth();
        month = { key: part.key, parts: part.parts, chunks: [], count: 0 };
      }
      month.chunks.push(part.html);
      month.count += part.count;
    }
  };
  let pending: Message[] | undefined;
  for await (const page of filterPages(pagesNewestFirst, range)) {
    count += page.length;
    lastTs ??= page.at(-1)!.ts;
    firstTs = page[0].ts;
    if (pending) renderPage(pending, page.at(-1));
    pending = page;
    yield* ready;
    ready = [];
  }
  if (pending) renderPage(pending, undefined);
  closeMonth();
  yield* ready;
  months.reverse();

  let tail = count > 0 ? '' : '<p class="muted">No messages.</p>\n';
  tail += '</main>\n';
  const span = firstTs !== undefined && lastTs !== undefined ? ` · ${dateText(firstTs, r)} – ${dateText(lastTs, r)}` : '';
  tail += `<p id="end">End of chat · ${plural(count, 'message', 'messages')}${esc(span)} · <a href="#top-months">Months</a></p>\n`;
  tail += `<nav class="months" id="months" aria-label="Months"><h2 id="top-months">${plural(count, 'message', 'messages')}${esc(span)}</h2><ol>`;
  const shortMonth = new Intl.DateTimeFormat(opts.locale, { timeZone: 'UTC', month: 'short' });
  let year = -1;
  for (const mo of months) {
    if (mo.parts.year !== year) {
      if (year !== -1) tail += '</li>';
      year = mo.parts.year;
      tail += `<li><b>${year}</b> `;
    }
    const name = esc(shortMonth.format(Date.UTC(mo.parts.year, mo.parts.month - 1, 1)));
    tail += `<a href="#mo-${mo.key}" title="${plural(mo.count, 'message', 'messages')}">${name}</a>`;
  }
  if (year !== -1) tail += '</li>';
  tail += '</ol></nav>\n';
  tail += `<footer><p>Exported from a WhatsApp backup with Unseal ${esc(opts.appVersion)} (offline; this file loads nothing from the network). Times are shown in ${esc(opts.timeZone ?? 'the exporting device’s time zone')}.</p></footer>\n`;
  tail += `<script>${CHAT_JS}</script>\n</body></html>\n`;
  yield tail;
  opts.onDone?.({ messageCount: count, firstTs, lastTs });
}
