/**
 * Small, pure formatting helpers for the conversation view, the chat list and search results
 * (locale-aware, no DOM). Formatters are made once: `toLocaleDateString(…, options)` builds a
 * new one per call, which cost ~120 ms per render of a 2,000-chat list.
 */
import type { MessageKind } from '../../core/msgstore/model';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonthFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const numberFormat = new Intl.NumberFormat();

export const formatTime = (ts: number): string => timeFormat.format(ts);
export const formatDateTime = (ts: number): string => dateTimeFormat.format(ts);
export const formatShortDate = (ts: number): string => shortDateFormat.format(ts);
export const formatCount = (n: number): string => numberFormat.format(n);

/** Local calendar day number, for "is this the same day" checks. */
export function dayKey(ts: number): number {
  const d = new Date(ts);
  return d.getFullYear() * 10000 + d.getMonth() * 100 + d.getDate();
}

/** A chat's last activity in the chat list: the time today, day and month this year, else the date. */
export function formatListTime(ts: number, now: number = Date.now()): string {
  if (!ts) return '';
  if (dayKey(ts) === dayKey(now)) return clockFormat.format(ts);
  if (new Date(ts).getFullYear() === new Date(now).getFullYear()) return dayMonthFormat.format(ts);
  return shortDateFormat.format(ts);
}

/** "Today", "Yesterday", or a full date, as the separator between days shows it. */
export function dayLabel(ts: number, now: number = Date.now()): string {
  const key = dayKey(ts);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  return fullDateFormat.format(ts);
}

/** `3:12`, `1:02:03`. */
export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.round(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Number of sender colours defined in conversation.css (`.sender-c0` … `.sender-c11`). */
export const SENDER_COLOURS = 12;

/** A stable colour slot for a sender: FNV-1a of the jid, modulo the palette. */
export function senderColour(jid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < jid.length; i++) {
    h ^= jid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SENDER_COLOURS;
}

/** A word for a kind of message, for quotes, alt text and labels. */
export function kindLabel(kind: MessageKind): string {
  switch (kind) {
    case 'image': return 'Photo';
    case 'video': return 'Video';
    case 'gif': return 'GIF';
    case 'audio': return 'Audio';
    case 'voice': return 'Voice message';
    case 'video-note': return 'Video message';
    case 'sticker': return 'Sticker';
    case 'document': return 'Document';
    case 'contact': return 'Contact';
    case 'location': return 'Location';
    case 'live-location': return 'Live location';
    case 'call': return 'Call';
    case 'poll': return 'Poll';
    case 'view-once': return 'View once message';
    case 'waiting': return 'Waiting for this message';
    case 'event': return 'Event';
    case 'deleted': return 'This message was deleted';
    case 'system': return 'System message';
    case 'unsupported': return 'Unsupported message';
    case 'text': return 'Message';
  }
}
