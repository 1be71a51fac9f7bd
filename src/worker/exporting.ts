/**
 * Exports, streamed into an output file (output-file.ts) that the page downloads. Memory stays at
 * about one page of messages, except for protected exports, which encrypt the whole page at once
 * (see src/core/export/protect.ts).
 */
import argon2Script from 'hash-wasm/dist/argon2.umd.min.js?raw';
import { throwIfAborted } from '../core/errors';
import { exportChatHtml } from '../core/export/html';
import { exportChatsZip, safeFileName, type PageOrder } from '../core/export/bundle';
import { protectHtml } from '../core/export/protect';
import type { DateRange } from '../core/export/common';
import type { Chat, Message } from '../core/msgstore/model';
import { listChats, readPage, type UnsealDb } from '../store/db';
import type { ChatSummary, Progress } from './protocol';
import { writeOutputFile } from './output-file';

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
  const protectedPage = await protectHtml(whole, args.password, { argon2Script, appVersion: APP_VERSION });
  return writeOutputFile(name, (async function* () {
    yield protectedPage;
  })(), signal);
}

export async function exportChats(
  db: UnsealDb,
  args: { libraryId: string; chatIds: number[]; dateRange?: DateRange },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<File> {
  const wanted = new Set(args.chatIds);
  const chats = (await listChats(db, args.libraryId)).filter((c) => wanted.has(c.id));
  // Each chat is read three times (html, txt, json).
  const total = chats.reduce((n, c) => n + c.messageCount, 0) * 3;
  let done = 0;
  const zip = exportChatsZip(
    chats,
    (chat: Chat, order: PageOrder) =>
      chatPages(db, args.libraryId, chat as ChatSummary, order, (n) => {
        done += n;
        onProgress({ phase: 'exporting', done, total });
      }),
    { generatedAt: Date.now(), appVersion: APP_VERSION, dateRange: args.dateRange },
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return writeOutputFile(`Unseal export ${stamp}.zip`, zip, signal);
}
