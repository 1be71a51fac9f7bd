/**
 * The typed boundary between the page and the worker. The page imports only these types (and
 * the client); the worker owns all heavy work and all storage.
 */
import type { ErrorCode } from '../core/errors';
import type { Chat, Message, SchemaEra } from '../core/msgstore/model';
import type { SearchFilters } from '../core/search/query';
import type { DateRange } from '../core/export/common';
import type { MediaReport } from '../core/media/paths';
import type { GalleryKind, GalleryPage } from '../core/gallery/gallery';

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
  /** The contacts file given with the backup: which kind, and how many entries it held. */
  contacts?: { kind: 'wa.db' | 'vcf'; entries: number };
  /** The last WhatsApp folder linked to this library (src/worker/media.ts). */
  media?: MediaLinkReport;
  /** Set while the library is locked: only its encrypted copy is kept (src/worker/lock.ts). */
  locked?: { at: number; bytes: number };
}

/** What linking a WhatsApp folder found (core/media/paths.ts `mediaReport`), plus what was copied. */
export interface MediaLinkReport extends MediaReport {
  /** ms since epoch. */
  linkedAt: number;
  /** `folder`: the files are read from the linked folder; `copy` (or absent, before v3): copied into OPFS. */
  mode?: MediaLinkMode;
  /** The linked folder's name (mode `folder`). */
  folderName?: string;
  /** Files copied into this browser's storage, and their bytes. */
  copiedFiles: number;
  copiedBytes: number;
}

/** A chat as the chat list needs it. */
export interface ChatSummary extends Chat {
  /** One line describing the newest message. */
  preview: string;
  /** How many pages of messages are stored; the newest page is `pageCount - 1`. */
  pageCount: number;
  /** Messages per stored page (the last page may hold fewer). */
  pageSize: number;
  /** `+` and the digits of a person chat's number (when names were applied). */
  number?: string;
  /** Messages carrying a file (photos, videos, voice notes, documents, stickers…). */
  mediaCount?: number;
}

export interface MessagePage {
  chatId: number;
  page: number;
  /** Oldest first; `messages[i].pos === page * pageSize + i`. */
  messages: Message[];
}

export type ProgressPhase =
  | 'reading-key'
  | 'decrypting'
  | 'reading-database'
  | 'storing'
  | 'cleaning-up'
  | 'exporting'
  | 'sealing'
  | 'verifying'
  | 'linking-media';

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
  /**
   * Default true. False: a phrase query may answer as soon as its hits are found, with
   * `totalExact: false` (the count so far); the exact count needs another request.
   */
  exactTotal?: boolean;
}

export interface SearchHitView {
  chatId: number;
  pos: number;
  ts: number;
  /** The message's searchable text (what matched). */
  text: string;
  /** 'You', the sender's title, or '' for the chat's partner. */
  sender: string;
}

export type SearchResponse =
  | { state: 'indexing'; status: IndexStatus }
  | { state: 'ready'; total: number; totalExact: boolean; hits: SearchHitView[]; ms: number };

/** The files of a picked folder, with their paths relative to it (`webkitRelativePath`). */
export interface MediaFolder {
  files: File[];
  paths: string[];
}

/**
 * A picked WhatsApp folder: its files (`<input webkitdirectory>` or a drop: nothing to keep, so
 * they can only be copied) or its directory handle (`showDirectoryPicker`: can stay linked).
 */
export type PickedFolder = MediaFolder | { handle: FileSystemDirectoryHandle };

/** `folder`: keep the folder linked and read the files from it; `copy`: copy them into OPFS. */
export type MediaLinkMode = 'folder' | 'copy';

/** A matched folder waiting for the choice (src/worker/media.ts): what it would link or copy. */
export interface MediaMatch {
  /** Names this match for `linkMedia`. */
  token: number;
  report: MediaReport;
  /** Whether the folder can stay linked (it came as a handle). */
  linkable: boolean;
  folderName: string;
  /** What `copy` would copy: distinct files and their bytes. */
  copyFiles: number;
  copyBytes: number;
}

/** Whether the library's linked folder can be read now (src/worker/media.ts `folderAccess`). */
export type MediaFolderAccess =
  | { state: 'none' }
  /** `prompt`: ask with `handle.requestPermission` from a click; `gone`: deleted or moved. */
  | { state: 'granted' | 'prompt' | 'denied' | 'gone'; name: string; handle: FileSystemDirectoryHandle };

/** Every request the worker serves, with its argument and result types. */
export interface WorkerApi {
  /** `contacts`: wa.db (plain or encrypted with the same key) or a .vcf; `media`: a WhatsApp folder, linked after the import. */
  /** A `media` handle is linked, picked files are copied (src/worker/media.ts). */
  open: { args: { file: File; key: KeyInput; contacts?: File; media?: PickedFolder }; result: OpenResult };
  /** Matches a picked WhatsApp folder to a library's media messages; nothing is stored yet. */
  matchMedia: { args: { libraryId: string; folder: PickedFolder }; result: MediaMatch };
  /** Stores the match `token` as the library's media: the folder linked, or the files copied into OPFS. */
  linkMedia: { args: { libraryId: string; token: number; mode: MediaLinkMode }; result: MediaLinkReport };
  /** The file of one message (from the linked folder or the OPFS copy), or undefined when there is none. */
  mediaFile: { args: { libraryId: string; chatId: number; pos: number }; result: File | undefined };
  /** Whether the linked folder can be read; its handle, so the page can ask for permission from a click. */
  mediaFolderAccess: { args: { libraryId: string }; result: MediaFolderAccess };
  listLibraries: { args: Record<string, never>; result: LibrarySummary[] };
  deleteLibrary: { args: { libraryId: string }; result: void };
  listChats: { args: { libraryId: string }; result: ChatSummary[] };
  readPage: { args: { libraryId: string; chatId: number; page: number }; result: MessagePage };
  /**
   * One page of a chat's gallery (media, links or docs), newest first: items with positions
   * before `cursor` (from the newest when absent). The result's `cursor` continues it; none when
   * the whole chat has been scanned. Bounded in items and in pages read (src/worker/gallery.ts).
   */
  chatGallery: { args: { libraryId: string; chatId: number; kind: GalleryKind; cursor?: number; limit?: number }; result: GalleryPage };
  search: { args: SearchRequest; result: SearchResponse };
  /** One chat as a self-contained .html file (optionally password-protected). */
  exportChat: { args: { libraryId: string; chatId: number; password?: string; dateRange?: DateRange }; result: File };
  /**
   * Several chats as one .zip (index.html, and .html/.txt/.json per chat); with `includeMedia`,
   * each chat's linked files in `chats/NNN <title> media/`, referred to relatively.
   */
  exportChats: { args: { libraryId: string; chatIds: number[]; dateRange?: DateRange; includeMedia?: boolean }; result: File };
  /**
   * The library as an encrypted .unseal file (Argon2id + AES-256-GCM; docs/FORMATS.md); with
   * `includeMedia`, the linked media files too (read through `mediaFile`).
   */
  saveArchive: { args: { libraryId: string; passphrase: string; includeMedia?: boolean }; result: File };
  /**
   * Keeps the library only as an encrypted copy in this browser (checked to open with the
   * passphrase before anything readable is deleted); the result is its locked summary.
   */
  lockLibrary: { args: { libraryId: string; passphrase: string }; result: LibrarySummary };
  /** Restores a locked library from its encrypted copy (a new library id) and removes the copy. */
  unlockLibrary: { args: { libraryId: string; passphrase: string }; result: LibrarySummary };
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
