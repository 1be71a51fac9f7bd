/**
 * Exports, streamed into an output file (output-file.ts) that the page downloads. Memory stays at
 * about one page of messages, except for protected exports, which encrypt the whole page at once
 * (see src/core/export/protect.ts). Media files go into the zip chunk by chunk from
 * `File.stream()`; every file is got through `mediaFile` (media.ts), whatever holds it.
 */
import argon2Script from 'hash-wasm/dist/argon2.umd.min.js?raw';
import { throwIfAborted } from '../core/errors';
import { exportChatHtml } from '../core/export/html';
import { exportChatsZip, safeFileName, type BundleMediaSource, type PageOrder } from '../core/export/bundle';
import { protectHtml } from '../core/export/protect';
import type { DateRange } from '../core/export/common';
import type { Chat, Message } from '../core/msgstore/model';
import { listChats, readPage, type UnsealDb } from '../store/db';
import type { ChatSummary, Progress } from './protocol';
import { writeOutputFile } from './output-file';
import { kdfInWorker } from './kdf-remote';
import { fileChunks, linkedPositions, mediaFile } from './media';

export const APP_VERSION = __APP_VERSION__;
async function* chatPages(
  db: UnsealDb,
  libraryId: string,
  chat: ChatSummary,
  order: PageOrder,
  onPage: (messages: number) => void,
): AsyncGenerator<Message[]> {
  for (let i = 0; i < chat.pageCount; i++) {
    const page = order === 'oldest-first' ? i : chat.pageCount - 1 - i;
    const { messages } = await readPage(db, libraryId, chat.id, page);
    onPage(messages.length);
    yield messages;
  }
}

async function chatById(db: UnsealDb, libraryId: string, chatId: number): Promise<ChatSummary> {
  const chat = (await listChats(db, libraryId)).find((c) => c.id === chatId);
  if (!chat) throw new Error(`No chat ${chatId} in this library`);
  return chat;
}

export async function exportChat(
  db: UnsealDb,
  args: { libraryId: string; chatId: number; password?: string; dateRange?: DateRange },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<File> {
  const chat = await chatById(db, args.libraryId, args.chatId);
  let done = 0;
  const pages = chatPages(db, args.libraryId, chat, 'newest-first', (n) => {
    done += n;
    onProgress({ phase: 'exporting', done, total: chat.messageCount });
  });
  const html = exportChatHtml(chat, pages, { generatedAt: Date.now(), appVersion: APP_VERSION, dateRange: args.dateRange });
  const name = `WhatsApp Chat - ${safeFileName(chat.title)}.html`;
  if (!args.password) return writeOutputFile(name, html, signal);
  // A protected export encrypts the finished page as one piece (one chat fits in memory).
  let whole = '';
  for await (const part of html) {
    throwIfAborted(signal);
    whole += part;
  }
  const protectedPage = await protectHtml(whole, args.password, { argon2Script, appVersion: APP_VERSION, deriveKey: kdfInWorker(signal) });
  return writeOutputFile(name, (async function* () {
    yield protectedPage;
  })(), signal);
}

/**
 * Progress of a zip counts messages (once per format) and media bytes in one unit: a message
 * written once weighs as much as this many bytes of media copied (an estimate, not a
 * measurement: it only shapes how evenly the bar moves).
 */
const MESSAGE_WEIGHT = 4096;

/**
 * The zip's media: each chat's linked files, looked up when the chat starts (`File` handles
 * only; no bytes) and streamed into the zip when the writer asks. `onBytes` gets every chunk's
 * length, and the bytes of files that will not be written (outside the date range, or gone).
 */
function zipMedia(
  db: UnsealDb,
  libraryId: string,
  linkedByChat: Map<number, { pos: number; size: number }[]>,
  signal: AbortSignal,
  onBytes: (n: number) => void,
): BundleMediaSource {
  let files = new Map<number, File>();
  let unread = 0;
  const countUnwritten = () => {
    onBytes(unread);
    unread = 0;
  };
  return {
    async linked(chat) {
      countUnwritten(); // the previous chat's files that were not written
      files = new Map();
      for (const { pos, size } of linkedByChat.get(chat.id) ?? []) {
        throwIfAborted(signal);
        unread += size;
        const file = await mediaFile(db, libraryId, chat.id, pos);
        if (file) files.set(pos, file);
      }
      return new Map([...files].map(([pos, file]) => [pos, { mime: file.type || undefined }]));
    },
    async *read(_chat, pos) {
      const file = files.get(pos);
      if (!file) return;
      for await (const chunk of fileChunks(file, signal)) {
        const n = Math.min(chunk.length, unread);
        unread -= n;
        onBytes(n);
        yield chunk;
      }
    },
  };
}

export async function exportChats(
  db: UnsealDb,
  args: { libraryId: string; chatIds: number[]; dateRange?: DateRange; includeMedia?: boolean },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<File> {
  const wanted = new Set(args.chatIds);
  const chats = (await listChats(db, args.libraryId)).filter((c) => wanted.has(c.id));
  const linkedByChat = new Map<number, { pos: number; size: number }[]>();
  if (args.includeMedia) for (const chat of chats) linkedByChat.set(chat.id, await linkedPositions(db, args.libraryId, chat.id));
  let mediaBytes = 0;
  for (const list of linkedByChat.values()) for (const { size } of list) mediaBytes += size;
  // Each chat is read three times (html, txt, json), and once more to name its media files.
  const passes = (chat: ChatSummary) => (linkedByChat.get(chat.id)?.length ? 4 : 3);
  const total = chats.reduce((n, c) => n + c.messageCount * passes(c), 0) * MESSAGE_WEIGHT + mediaBytes;
  let done = 0;
  const advance = (n: number) => {
    done += n;
    onProgress({ phase: 'exporting', done, total });
  };
  const media = args.includeMedia ? zipMedia(db, args.libraryId, linkedByChat, signal, advance) : undefined;
  const zip = exportChatsZip(
    chats,
    (chat: Chat, order: PageOrder) => chatPages(db, args.libraryId, chat as ChatSummary, order, (n) => advance(n * MESSAGE_WEIGHT)),
    { generatedAt: Date.now(), appVersion: APP_VERSION, dateRange: args.dateRange, media },
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return writeOutputFile(`Unseal export ${stamp}.zip`, zip, signal);
}
