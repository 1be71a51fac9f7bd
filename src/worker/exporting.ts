/**
 * Exports, written as a stream into the Origin Private File System and handed to the page as a
 * `File` (it downloads it). Memory stays at about one page of messages, except for protected
 * exports, which encrypt the whole page at once (see src/core/export/protect.ts).
 * Export files are temporary: the previous ones are removed when a new export starts.
 */
import argon2Script from 'hash-wasm/dist/argon2.umd.min.js?raw';
import { throwIfAborted } from '../core/errors';
import { exportChatHtml } from '../core/export/html';
import { exportChatsZip, safeFileName } from '../core/export/bundle';
import { protectHtml } from '../core/export/protect';
import type { DateRange } from '../core/export/common';
import type { Chat, Message } from '../core/msgstore/model';
import { listChats, readPage, type UnsealDb } from '../store/db';
import type { ChatSummary, Progress } from './protocol';

export const APP_VERSION = __APP_VERSION__;
const EXPORTS_DIR = 'exports';

async function exportsDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  // Earlier exports were downloaded already (or abandoned): clear them before writing a new one.
  await root.removeEntry(EXPORTS_DIR, { recursive: true }).catch(() => undefined);
  return root.getDirectoryHandle(EXPORTS_DIR, { create: true });
}

/** Writes chunks to a fresh OPFS file through a sync access handle and returns it as a File. */
async function writeFile(name: string, chunks: AsyncIterable<string | Uint8Array>, signal: AbortSignal): Promise<File> {
  const dir = await (await exportsDir()).getDirectoryHandle(crypto.randomUUID(), { create: true });
  const handle = await dir.getFileHandle(name, { create: true });
  const access = await handle.createSyncAccessHandle();
  const encoder = new TextEncoder();
  let at = 0;
  try {
    for await (const chunk of chunks) {
      throwIfAborted(signal);
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      at += access.write(bytes, { at });
    }
    access.flush();
  } catch (e) {
    access.close();
    await dir.removeEntry(name).catch(() => undefined);
    throw e;
  }
  access.close();
  return handle.getFile();
}

async function* chatPages(
  db: UnsealDb,
  libraryId: string,
  chat: ChatSummary,
  onPage: (messages: number) => void,
): AsyncGenerator<Message[]> {
  for (let page = 0; page < chat.pageCount; page++) {
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
  const pages = chatPages(db, args.libraryId, chat, (n) => {
    done += n;
    onProgress({ phase: 'exporting', done, total: chat.messageCount });
  });
  const html = exportChatHtml(chat, pages, { generatedAt: Date.now(), appVersion: APP_VERSION, dateRange: args.dateRange });
  const name = `WhatsApp Chat - ${safeFileName(chat.title)}.html`;
  if (!args.password) return writeFile(name, html, signal);
  // A protected export encrypts the finished page as one piece (one chat fits in memory).
  let whole = '';
  for await (const part of html) {
    throwIfAborted(signal);
    whole += part;
  }
  const protectedPage = await protectHtml(whole, args.password, { argon2Script, appVersion: APP_VERSION });
  return writeFile(name, (async function* () {
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
    (chat: Chat) =>
      chatPages(db, args.libraryId, chat as ChatSummary, (n) => {
        done += n;
        onProgress({ phase: 'exporting', done, total });
      }),
    { generatedAt: Date.now(), appVersion: APP_VERSION, dateRange: args.dateRange },
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return writeFile(`Unseal export ${stamp}.zip`, zip, signal);
}
