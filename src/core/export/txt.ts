/**
 * Plain-text export in the layout of WhatsApp's own Android "Export chat" (see
 * shared/spec/msgstore-schema.md §6): one message per line starting
 * `dd/mm/yyyy, hh:mm - Sender: text`, system lines without `Sender: `, further lines of a
 * message as they are (continuation lines), `<Media omitted>` (or `IMG-… (file attached)` when
 * the file is exported with it),
 * `This message was deleted` / `You deleted this message`, the suffix
 * `<This message was edited>`, `location: https://maps.google.com/?q=LAT,LON`, and polls as
 * `POLL:` / `OPTION: name (n votes)` lines. Times are 24-hour, in the zone given (default:
 * local), with no seconds, as Android writes them. LF line ends.
 *
 * Like WhatsApp's file, it has no reply links, reactions or message ids: the `.json` has those.
 * A text line that itself begins with a timestamp reads as a new message to parsers; WhatsApp's
 * own export has the same ambiguity.
 */
import type { Chat, Message } from '../msgstore/model';
import { previewText } from '../msgstore/describe';
import { filterPages, makeClock, pad2, type DateRange, type ExportTimeOptions } from './common';
import { callText } from './html';
import { carriesFile, type MediaHref } from './media';

export interface TxtExportOptions extends ExportTimeOptions {
  dateRange?: DateRange;
  /** The name written for the owner's own messages (WhatsApp writes their display name). Default `You`. */
  selfName?: string;
  /**
   * Media files exported with the text (media.ts): a message whose file is included reads
   * `IMG-20210428-WA0001.jpg (file attached)` (the file's name in its folder), as WhatsApp's
   * export with media does; any other media line reads `<Media omitted>`.
   */
  mediaHref?: MediaHref;
}

const lines = (s: string) => s.replace(/\r\n?/g, '\n');
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The body of one message (possibly several lines), without the timestamp and sender. */
export function txtBody(m: Message, opts: TxtExportOptions = {}): string {
  if (m.deleted || m.kind === 'deleted') {
    if (m.deleted === 'admin') return 'This message was deleted by an admin';
    return m.fromMe ? 'You deleted this message' : 'This message was deleted';
  }
  const edited = m.edited ? ' <This message was edited>' : '';
  const caption = m.text ? `\n${lines(m.text)}` : '';
  if (carriesFile(m)) {
    const file = opts.mediaHref?.(m);
    const head = file ? `${baseName(file.path)} (file attached)` : '<Media omitted>';
    const docName = m.kind === 'document' && !m.text && m.media?.fileName && !file ? `\n${m.media.fileName}` : '';
    return `${head}${caption}${docName}${edited}`;
  }
  switch (m.kind) {
    case 'text':
      return `${lines(m.text ?? m.link?.url ?? '')}${edited}`;
    case 'system':
      return lines(m.system?.text ?? m.text ?? previewText(m));
    case 'location':
    case 'live-location': {
      const l = m.location;
      if (!l) return previewText(m);
      const extra = [l.name, l.address, m.text].filter((x): x is string => !!x).map((x) => `\n${lines(x)}`).join('');
      return `location: https://maps.google.com/?q=${l.lat},${l.lon}${extra}`;
    }
    case 'poll': {
      const p = m.poll;
      if (!p) return previewText(m);
      return `POLL:\n${lines(p.question)}${p.options.map((o) => `\nOPTION: ${lines(o.name)} (${o.votes} ${o.votes === 1 ? 'vote' : 'votes'})`).join('')}`;
    }
    case 'contact': {
      const cards = m.contacts?.length ? m.contacts : [{ name: m.text ?? 'Contact', numbers: [] as string[] }];
      return `<Media omitted>${cards.map((c) => `\n${lines(c.name)}${c.numbers.length ? `: ${c.numbers.join(', ')}` : ''}`).join('')}`;
    }
    case 'call':
      return callText(m.call, m.fromMe);
    default:
      return lines(previewText(m));
  }
}

/** Streams the chat as WhatsApp-style text, one string per page of messages. */
export async function* exportChatTxt(chat: Chat, pages: AsyncIterable<Message[]> | Iterable<Message[]>, opts: TxtExportOptions = {}): AsyncGenerator<string> {
  const clock = makeClock(opts.timeZone);
  const self = opts.selfName ?? 'You';
  for await (const page of filterPages(pages, opts.dateRange)) {
    let out = '';
    for (const m of page) {
      const p = clock(m.ts);
      const stamp = `${pad2(p.day)}/${pad2(p.month)}/${p.year}, ${pad2(p.hour)}:${pad2(p.minute)} - `;
      const body = txtBody(m, opts);
      if (m.kind === 'system' && !m.deleted) out += `${stamp}${body}\n`;
      else out += `${stamp}${m.fromMe ? self : (m.sender?.title ?? chat.title)}: ${body}\n`;
    }
    yield out;
  }
}
