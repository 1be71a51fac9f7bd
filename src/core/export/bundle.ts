/**
 * "Export chats": several chats into one streamed `.zip`:
 *
 * ```
 * index.html                    every chat, its message count and date span, links (last entry)
 * chats/001 Family.html         the single-file HTML export (html.ts)
 * chats/001 Family.txt          WhatsApp's Android text layout (txt.ts)
 * chats/001 Family.json         the normalized model (json.ts)
 * …
 * ```
 * Each chat's pages are read once per format (three passes), so memory stays at one page.
 * `index.html` is written last because its counts are those of the exported files.
 */
import type { Chat, Message } from '../msgstore/model';
import type { DateRange, ExportTimeOptions } from './common';
import { exportChatHtml, type ExportStats } from './html';
import { exportIndexHtml, type IndexItem } from './index-page';
import { exportChatJson } from './json';
import { exportChatTxt } from './txt';
import { zipStream, type ZipEntry } from './zip';

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
}

/** A file-name-safe version of a chat title (no path separators, reserved or control characters). */
export function safeFileName(title: string, max = 60): string {
  const cleaned = [...title.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '_').replace(/\s+/g, ' ')]
    .slice(0, max)
    .join('')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned || 'chat';
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
      const base = `chats/${String(i + 1).padStart(Math.max(3, width), '0')} ${safeFileName(chat.title)}`;
      const item: IndexItem = { title: chat.title, kind: chat.kind, messageCount: 0, html: `${base}.html` };
      const onDone = (s: ExportStats) => {
        item.messageCount = s.messageCount;
        item.firstTs = s.firstTs;
        item.lastTs = s.lastTs;
      };
      yield { name: item.html, modified: opts.generatedAt, data: exportChatHtml(chat, pagesFor(chat, 'newest-first'), { ...common, onDone }) };
      if (opts.txt !== false) {
        item.txt = `${base}.txt`;
        yield { name: item.txt, modified: opts.generatedAt, data: exportChatTxt(chat, pagesFor(chat, 'oldest-first'), { ...common, selfName: opts.selfName }) };
      }
      if (opts.json !== false) {
        item.json = `${base}.json`;
        yield { name: item.json, modified: opts.generatedAt, data: exportChatJson(chat, pagesFor(chat, 'oldest-first'), common) };
      }
      items.push(item);
    }
    yield { name: 'index.html', modified: opts.generatedAt, data: await exportIndexHtml(items, common) };
  }

  yield* zipStream(entries(), { zip64: opts.zip64, timeZone: opts.timeZone });
}
