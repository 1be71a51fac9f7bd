import type { Chat, Message, SchemaEra } from './model';

export interface MsgstoreReader {
  readonly era: SchemaEra;
  /** Real chats that hold messages (never the status feed), with counts and titles. */
  readChats(): Chat[];
  /**
   * Streams one chat's messages oldest first, `pageSize` (default 500) at a time. Every message
   * of the chat is delivered exactly once, with `pos` = its 0-based position in the chat.
   */
  readMessages(chatId: number, onPage: (page: Message[]) => void, pageSize?: number): void;
}

export const DEFAULT_PAGE_SIZE = 500;
