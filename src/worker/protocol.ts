/**
 * The typed boundary between the page and the worker. The page imports only these types (and
 * the client); the worker owns all heavy work and all storage.
 */
import type { ErrorCode } from '../core/errors';
import type { Chat, Message, SchemaEra } from '../core/msgstore/model';
import type { SearchFilters } from '../core/search/query';
import type { DateRange } from '../core/export/common';

/** How the user supplied their key. Key material is posted once per job and dropped after. */
export type KeyInput =
  | { kind: 'text'; text: string }
  | { kind: 'file'; bytes: Uint8Array }
  /** The passphrase of an Unseal encrypted copy (.unseal). */
  | { kind: 'passphrase'; text: string }
  | { kind: 'none' };

export interface LibrarySummary {
  id: string;
  /** The backup's file name as the user picked it. */
  fileName: string;
  fileSize: number;
  /** ms since epoch. */
  openedAt: number;
  format: string;
  era: SchemaEra;
  chatCount: number;
  messageCount: number;
}

/** A chat as the chat list needs it. */
export interface ChatSummary extends Chat {
  /** One line describing the newest message. */
  preview: string;
  /** How many pages of messages are stored; the newest page is `pageCount - 1`. */
  pageCount: number;
  /** Messages per stored page (the last page may hold fewer). */
  pageSize: number;
}

export interface MessagePage {
  chatId: number;
  page: number;
  /** Oldest first; `messages[i].pos === page * pageSize + i`. */
  messages: Message[];
}

export type ProgressPhase = 'reading-key' | 'decrypting' | 'reading-database' | 'storing' | 'cleaning-up' | 'exporting' | 'sealing';

export interface Progress {
  phase: ProgressPhase;
  /** Bytes or messages done; with `total` 0 the work is indeterminate. */
  done: number;
  total: number;
}

export interface OpenResult {
  library: LibrarySummary;
}

export interface IndexStatus {
  state: 'ready' | 'indexing';
  /** Messages indexed so far, of `total` (0 while counting). */
  done: number;
  total: number;
}

export interface SearchRequest {
  libraryId: string;
  query: string;
  filters: SearchFilters;
  /** Hits wanted, newest first, starting at `offset`. */
  limit: number;
  offset: number;
}

export interface SearchHitView {
  chatId: number;
  pos: number;
  ts: number;
  message: Message;
}

export type SearchResponse =
  | { state: 'indexing'; status: IndexStatus }
  | { state: 'ready'; total: number; hits: SearchHitView[]; ms: number };

/** Every request the worker serves, with its argument and result types. */
export interface WorkerApi {
  open: { args: { file: File; key: KeyInput }; result: OpenResult };
  listLibraries: { args: Record<string, never>; result: LibrarySummary[] };
  deleteLibrary: { args: { libraryId: string }; result: void };
  listChats: { args: { libraryId: string }; result: ChatSummary[] };
  readPage: { args: { libraryId: string; chatId: number; page: number }; result: MessagePage };
  search: { args: SearchRequest; result: SearchResponse };
  /** One chat as a self-contained .html file (optionally password-protected). */
  exportChat: { args: { libraryId: string; chatId: number; password?: string; dateRange?: DateRange }; result: File };
  /** Several chats as one .zip (index.html, and .html/.txt/.json per chat). */
  exportChats: { args: { libraryId: string; chatIds: number[]; dateRange?: DateRange }; result: File };
  /** The library as an encrypted .unseal file (Argon2id + AES-256-GCM; docs/FORMATS.md). */
  saveArchive: { args: { libraryId: string; passphrase: string }; result: File };
  indexStatus: { args: { libraryId: string }; result: IndexStatus };
  /**
   * Deletes every library (the whole `unseal` IndexedDB database) and everything in this origin's
   * OPFS; cancels an import or indexing in progress first. The page clears Cache Storage itself.
   */
  deleteEverything: { args: Record<string, never>; result: void };
}

export type Op = keyof WorkerApi;

export type RequestMessage = {
  [K in Op]: { id: number; op: K; args: WorkerApi[K]['args'] };
}[Op];

export type CancelMessage = { id: number; op: 'cancel' };

export type ToWorker = RequestMessage | CancelMessage;

export interface WireError {
  code: ErrorCode;
  message: string;
  detail: Record<string, string | number | boolean>;
}

export type FromWorker =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; error: WireError };
