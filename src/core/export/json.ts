/**
 * JSON export of one chat, for people who script: the normalized model
 * (`src/core/msgstore/model.ts`) as it is stored, streamed one page at a time.
 *
 * ```
 * {"format":"unseal-chat","version":1,"generatedAt":"…ISO…","appVersion":"…",
 *  "dateRange":{"from":ms,"to":ms}|null,"chat":{…Chat…},"messages":[
 * {…Message…},
 * …
 * ]}
 * ```
 * One message per line. Byte fields (`media.thumbnail`) are standard base64 strings; times are
 * ms since epoch (UTC). Fields that are absent in the model are absent here.
 *
 * When media files are exported with the chat (`mediaHref`), a message whose file is included
 * carries one field the model does not have: `"file":{"path":"001 Family media/IMG-….jpg",
 * "mime":"image/jpeg"}`, the path relative to the .json file (`/`-separated, not URL-encoded).
 */
import type { Chat, Message } from '../msgstore/model';
import { base64, filterPages, type DateRange } from './common';
import { carriesFile, type MediaHref } from './media';

export interface JsonExportOptions {
  generatedAt: number;
  appVersion: string;
  dateRange?: DateRange;
  mediaHref?: MediaHref;
}

const replacer = (_key: string, value: unknown) => (value instanceof Uint8Array ? base64(value) : value);

export async function* exportChatJson(chat: Chat, pages: AsyncIterable<Message[]> | Iterable<Message[]>, opts: JsonExportOptions): AsyncGenerator<string> {
  const head = {
    format: 'unseal-chat',
    version: 1,
    generatedAt: new Date(opts.generatedAt).toISOString(),
    appVersion: opts.appVersion,
    dateRange: opts.dateRange ?? null,
  };
  yield `${JSON.stringify(head, replacer).slice(0, -1)},"chat":${JSON.stringify(chat, replacer)},"messages":[`;
  let first = true;
  for await (const page of filterPages(pages, opts.dateRange)) {
    let out = '';
    for (const m of page) {
      const file = opts.mediaHref && carriesFile(m) ? opts.mediaHref(m) : undefined;
      out += `${first ? '\n' : ',\n'}${JSON.stringify(file ? { ...m, file } : m, replacer)}`;
      first = false;
    }
    yield out;
  }
  yield '\n]}\n';
}
