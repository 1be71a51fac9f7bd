/**
 * "Export chats": several chats into one streamed `.zip`:
 *
 * ```
 * index.html                    every chat, its message count and date span, links (last entry)
 * chats/001 Family.html         the single-file HTML export (html.ts)
 * chats/001 Family.txt          WhatsApp's Android text layout (txt.ts)
 * chats/001 Family.json         the normalized model (json.ts)
 * chats/001 Family media/…      with `media`: the chat's linked files its messages refer to
 * …
 * ```
 * Each chat's pages are read once per format (three passes), so memory stays at one page.
 * `index.html` is written last because its counts are those of the exported files.
 *
 * Media files: the writers ask `mediaHref(message)` for each message with a file; the first ask
 * names the file (media.ts: its original name, safe and unique in the folder), later passes get
 * the same answer. So only files of exported messages (inside the date range) are named, and
 * after the chat's .json they are written in that order, each streamed from `media.read`.
 */
import type { Chat, Message } from '../msgstore/model';
import { filterPages, type DateRange, type ExportTimeOptions } from './common';
import { exportChatHtml, type ExportStats } from './html';
import { exportIndexHtml, type IndexItem } from './index-page';
import { exportChatJson } from './json';
import { carriesFile, mediaFileName, UniqueNames, type MediaFileRef, type MediaHref } from './media';
import { safeFileName } from './names';
import { exportChatTxt } from './txt';
import { zipStream, type ZipEntry } from './zip';

export { safeFileName };

/** Where an export's media files come from: the worker reads them, core only names them. */
export interface BundleMediaSource {
  /** The chat's messages that have a file, by position, with its mime type; asked once per chat. */
  linked(chat: Chat): Promise<ReadonlyMap<number, { mime?: string }>>;
  /** The bytes of one of those files, streamed; only asked for files the chat's pages refer to. */
  read(chat: Chat, pos: number): AsyncIterable<Uint8Array>;
}

export interface BundleOptions extends ExportTimeOptions {
  generatedAt: number;
  appVersion: string;
  dateRange?: DateRange;
  /** Name for the owner's messages in the .txt files (default `You`). */
  selfName?: string;
  /** Which per-chat files besides the HTML (default both). */
  txt?: boolean;
  json?: boolean;
  zip64?: 'auto' | 'always';
  /** Include the chats' media files, each chat's in `chats/NNN <title> media/`. */
  media?: BundleMediaSource;
}


/** Which way a chat's pages are read: the HTML is written newest month first, the rest oldest first. */
export type PageOrder = 'oldest-first' | 'newest-first';

/**
 * Streams the zip; `pagesFor(chat, order)` is called once per file and must return the chat's
 * pages in that order (each page's messages always oldest first).
 */
export async function* exportChatsZip(
  chats: Chat[],
  pagesFor: (chat: Chat, order: PageOrder) => AsyncIterable<Message[]> | Iterable<Message[]>,
  opts: BundleOptions,
): AsyncGenerator<Uint8Array> {
  const width = String(chats.length).length;
  const items: IndexItem[] = [];
  const common = { generatedAt: opts.generatedAt, appVersion: opts.appVersion, dateRange: opts.dateRange, timeZone: opts.timeZone, locale: opts.locale };

  async function* entries(): AsyncGenerator<ZipEntry> {
    for (let i = 0; i < chats.length; i++) {
      const chat = chats[i];
      const stem = `${String(i + 1).padStart(Math.max(3, width), '0')} ${safeFileName(chat.title)}`;
      const base = `chats/${stem}`;
      const item: IndexItem = { title: chat.title, kind: chat.kind, messageCount: 0, html: `${base}.html` };
      const onDone = (s: ExportStats) => {
        item.messageCount = s.messageCount;
        item.firstTs = s.firstTs;
        item.lastTs = s.lastTs;
      };
      const source = opts.media;
      const linked = source ? await source.linked(chat) : undefined;
      // Files named so far, in order of first reference; paths relative to the chat's files.
      const included = new Map<number, MediaFileRef>();
      let mediaHref: MediaHref | undefined;
      if (linked && linked.size > 0) {
        const names = new UniqueNames();
        mediaHref = (m) => {
          if (!carriesFile(m)) return undefined;
          let ref = included.get(m.pos);
          const link = linked.get(m.pos);
          if (!ref && link) {
            ref = { path: `${stem} media/${names.claim(mediaFileName(m, link.mime))}`, mime: link.mime };
            included.set(m.pos, ref);
          }
          return ref;
        };
        // Name the files in chat order (a repeated name's " (2)" goes to the later message), before
        // the HTML, which is written newest month first.
        for await (const page of filterPages(pagesFor(chat, 'oldest-first'), opts.dateRange)) for (const m of page) mediaHref(m);
      }
      yield { name: item.html, modified: opts.generatedAt, data: exportChatHtml(chat, pagesFor(chat, 'newest-first'), { ...common, onDone, mediaHref }) };
      if (opts.txt !== false) {
        item.txt = `${base}.txt`;
        yield { name: item.txt, modified: opts.generatedAt, data: exportChatTxt(chat, pagesFor(chat, 'oldest-first'), { ...common, selfName: opts.selfName, mediaHref }) };
      }
      if (opts.json !== false) {
        item.json = `${base}.json`;
        yield { name: item.json, modified: opts.generatedAt, data: exportChatJson(chat, pagesFor(chat, 'oldest-first'), { ...common, mediaHref }) };
      }
      if (source) for (const [pos, ref] of included) yield { name: `chats/${ref.path}`, modified: opts.generatedAt, data: source.read(chat, pos) };
      items.push(item);
    }
    yield { name: 'index.html', modified: opts.generatedAt, data: await exportIndexHtml(items, common) };
  }

  yield* zipStream(entries(), { zip64: opts.zip64, timeZone: opts.timeZone });
}
