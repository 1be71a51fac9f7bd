import type { Chat, Message, SchemaEra } from './model';

export interface MsgstoreReader {
  readonly era: SchemaEra;
  /** Real chats that hold messages (never the status feed), with counts and titles. */
  readChats(): Chat[];
  /**
   * One chat's messages oldest first, `pageSize` (default 500) at a time, read from the database
   * as the caller pulls (each page is its own query, so the caller may await between pages). Every
   * message of the chat comes exactly once, with `pos` = its 0-based position in the chat.
   */
  messagePages(chatId: number, pageSize?: number): Generator<Message[], void, undefined>;
  /**
   * Every page of every chat `readChats` lists: each chat's pages in order and exactly as
   * `messagePages` gives them, the chats interleaved in whatever order reads the database fastest
   * (the current reader sweeps the message table in row order for many chats at once, instead of
   * following each chat's index across the whole file). `bufferRows` bounds the rows held between
   * a chat's pages.
   */
  allPages(pageSize?: number, bufferRows?: number): Generator<ChatPage, void, undefined>;
}

export interface ChatPage {
  chatId: number;
  messages: Message[];
}

/** `allPages` as one chat after the other (readers with no faster order). */
export function* chatAfterChat(
  chatIds: Iterable<number>,
  messagePages: (chatId: number, pageSize?: number) => Generator<Message[], void, undefined>,
  pageSize?: number,
): Generator<ChatPage, void, undefined> {
  for (const chatId of chatIds) for (const messages of messagePages(chatId, pageSize)) yield { chatId, messages };
}

export const DEFAULT_PAGE_SIZE = 500;

/** Rows `allPages` may hold between pages, over all the chats of one pass (the 1M bench import: +35–50 MB peak). */
export const DEFAULT_BUFFER_ROWS = 100_000;
