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
}

export const DEFAULT_PAGE_SIZE = 500;
