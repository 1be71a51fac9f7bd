/**
 * The `index.html` of a multi-chat export zip: every chat with its message count and date
 * span, linking to its files. Static (no script at all); the same CSP discipline as the chat
 * pages.
 */
import type { ChatKind } from '../msgstore/model';
import { makeClock, makeLabels, pad2, type DateRange, type ExportTimeOptions } from './common';
import { buildCsp } from './csp';
import { escapeHtml as esc } from './escape';
import { hrefForPath } from './names';

export interface IndexItem {
  title: string;
  kind: ChatKind;
  messageCount: number;
  firstTs?: number;
  lastTs?: number;
  /** Paths inside the zip, relative to index.html. */
  html: string;
  txt?: string;
  json?: string;
}

export interface IndexOptions extends ExportTimeOptions {
  generatedAt: number;
  appVersion: string;
  dateRange?: DateRange;
}

export const INDEX_CSS = `
:root{color-scheme:light dark}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}
h1{font-size:1.4rem}
p{color:#667}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid #8884;vertical-align:top}
td.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
td a{margin-right:.5rem}
td.c{overflow-wrap:anywhere}
`;

const KIND: Record<ChatKind, string> = { person: 'Chat', group: 'Group', broadcast: 'Broadcast list', channel: 'Channel' };

export async function exportIndexHtml(items: IndexItem[], opts: IndexOptions): Promise<string> {
  const clock = makeClock(opts.timeZone);
  const labels = makeLabels(opts.locale);
  const date = (ts: number) => {
    const p = clock(ts);
    return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
  };
  const csp = await buildCsp({ styles: [INDEX_CSS], scripts: [] });
  const total = items.reduce((s, i) => s + i.messageCount, 0);
  let h = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n';
  h += `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`;
  h += '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  h += `<title>WhatsApp chats (${items.length})</title>\n<style>${INDEX_CSS}</style>\n</head>\n<body>\n`;
  h += `<h1>WhatsApp chats</h1>\n<p>${items.length} ${items.length === 1 ? 'chat' : 'chats'}, ${total} messages. Exported with Unseal ${esc(opts.appVersion)} on ${esc(labels.day(clock(opts.generatedAt)))}.`;
  const r = opts.dateRange;
  if (r && (r.from !== undefined || r.to !== undefined)) {
    h += ` Only messages from ${r.from !== undefined ? esc(date(r.from)) : 'the start'} until ${r.to !== undefined ? esc(date(r.to)) : 'the end'}.`;
  }
  h += '</p>\n<table>\n<thead><tr><th scope="col">Chat</th><th scope="col">Messages</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Files</th></tr></thead>\n<tbody>\n';
  for (const it of items) {
    h += `<tr><td class="c"><a href="${esc(hrefForPath(it.html))}" dir="auto">${esc(it.title)}</a> <small>${KIND[it.kind] ?? ''}</small></td>`;
    h += `<td class="n">${it.messageCount}</td><td class="n">${it.firstTs !== undefined ? date(it.firstTs) : '–'}</td><td class="n">${it.lastTs !== undefined ? date(it.lastTs) : '–'}</td><td>`;
    h += `<a href="${esc(hrefForPath(it.html))}">HTML</a>`;
    if (it.txt) h += `<a href="${esc(hrefForPath(it.txt))}">Text</a>`;
    if (it.json) h += `<a href="${esc(hrefForPath(it.json))}">JSON</a>`;
    h += '</td></tr>\n';
  }
  h += '</tbody>\n</table>\n</body></html>\n';
  return h;
}
