/**
 * The one normalized model every schema era is read into. Everything downstream (store, UI,
 * search, export) sees only these types, never a WhatsApp table.
 *
 * Plain data only (structured-clone safe): it crosses the worker boundary and lives in IndexedDB.
 */

export type SchemaEra = 'legacy' | 'transitional' | 'current';

export type ChatKind = 'person' | 'group' | 'broadcast' | 'channel';

/** Someone shown in the UI: a jid and the title the ui-contract rule gives it. */
export interface Person {
  /** Raw jid, e.g. `4917612345000@s.whatsapp.net` or `1234@lid`. */
  jid: string;
  /** `+4917612345000`, `LID:1234`, or (later) a contact name. */
  title: string;
  /** `+` and the E.164 digits when known (set when names are applied, src/core/contacts/apply.ts). */
  number?: string;
}

export interface Participant extends Person {
  admin: boolean;
}

export interface Chat {
  /** The chat's id inside its library (the database's chat row id, or a stable synthetic id). */
  id: number;
  jid: string;
  kind: ChatKind;
  /** Group subject; `+digits` for a person; `LID:digits` for an unmapped privacy id. */
  title: string;
  participants: Participant[];
  archived: boolean;
  /** ms since epoch of the newest message. */
  lastActivity: number;
  /** ms since epoch, when known. */
  createdAt?: number;
  messageCount: number;
}

export type MessageKind =
  | 'text'
  | 'image'
  | 'video'
  | 'gif'
  | 'audio'
  | 'voice'
  | 'video-note'
  | 'sticker'
  | 'document'
  | 'contact'
  | 'location'
  | 'live-location'
  | 'call'
  | 'system'
  | 'deleted'
  | 'poll'
  | 'view-once'
  | 'waiting'
  | 'event'
  | 'unsupported';

export interface MediaInfo {
  mime?: string;
  /** Original file name (documents), `media_name`. */
  fileName?: string;
  /** Path relative to the WhatsApp folder, `message_media.file_path`. */
  filePath?: string;
  size?: number;
  durationSec?: number;
  width?: number;
  height?: number;
  /** Base64 SHA-256 of the plaintext file. */
  fileHash?: string;
  pageCount?: number;
  /** JPEG (or WebP) thumbnail bytes from the database. */
  thumbnail?: Uint8Array;
  animated?: boolean;
}

export interface Quote {
  /** Position of the original in the same chat, when it still exists there. */
  pos?: number;
  keyId?: string;
  fromMe: boolean;
  sender?: Person;
  kind: MessageKind;
  /** The snapshot saved with the reply (text or caption, or a file name). */
  text?: string;
}

export interface Reaction {
  emoji: string;
  fromMe: boolean;
  sender?: Person;
  ts?: number;
}

export interface SystemEvent {
  /** `message_system.action_type` (current era) or legacy `media_size` code. */
  code: number;
  /** Human wording, ready to show: "+91 98… added +91 97…", "Group name changed to …". */
  text: string;
}

export interface CallInfo {
  video: boolean;
  outcome: 'answered' | 'missed' | 'rejected' | 'unknown';
  durationSec?: number;
  group?: boolean;
}

export interface LocationInfo {
  lat: number;
  lon: number;
  name?: string;
  address?: string;
  url?: string;
  live?: boolean;
}

export interface ContactCard {
  name: string;
  /** Phone numbers found in the vCard (as written there). */
  numbers: string[];
}

export interface PollInfo {
  question: string;
  options: { name: string; votes: number }[];
  multiSelect?: boolean;
}

export interface EventInfo {
  name: string;
  description?: string;
  startTime?: number;
  location?: string;
}

export interface Message {
  /** Row id in the source database (`message._id` or legacy `messages._id`). */
  id: number;
  /** 0-based position in its chat, oldest first. Pages and links use it. */
  pos: number;
  keyId?: string;
  /** ms since epoch (UTC). */
  ts: number;
  fromMe: boolean;
  /** The author in a group when not from me; undefined in 1:1 chats and for my own messages. */
  sender?: Person;
  kind: MessageKind;
  /** Raw WhatsApp type code (`message_type`, or legacy `media_wa_type`). */
  type: number;
  /** Message body, or the caption of media, or a contact card's display name. */
  text?: string;
  media?: MediaInfo;
  quoted?: Quote;
  reactions?: Reaction[];
  edited?: boolean;
  deleted?: 'sender' | 'admin';
  forwarded?: boolean;
  starred?: boolean;
  system?: SystemEvent;
  call?: CallInfo;
  location?: LocationInfo;
  contacts?: ContactCard[];
  poll?: PollInfo;
  event?: EventInfo;
  /** Link preview facts for text messages. */
  link?: { url?: string; title?: string; description?: string };
}
