/**
 * Small pure helpers shared by the export writers: calendar parts in a time zone, date-range
 * filtering of message pages, base64, and a few number formats.
 */
import type { Message } from '../msgstore/model';

/** Export-wide options every writer understands. */
export interface ExportTimeOptions {
  /**
   * IANA time zone for dates and times in the file. Default: the runtime's local zone (in the
   * worker, the user's), which is what WhatsApp's own export uses.
   */
  timeZone?: string;
  /** BCP 47 locale for month and day names. Default: the runtime's locale. */
  locale?: string;
}

/** Inclusive start, exclusive end, both ms since epoch; either may be missing. */
export interface DateRange {
  from?: number;
  to?: number;
}

export interface CalendarParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type Clock = (ts: number) => CalendarParts;

/** Calendar parts of an instant in `timeZone` (or the runtime's local zone). */
export function makeClock(timeZone?: string): Clock {
  if (timeZone === undefined) {
    return (ts) => {
      const d = new Date(ts);
      return {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
      };
    };
  }
  if (timeZone === 'UTC') {
    return (ts) => {
      const d = new Date(ts);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      };
    };
  }
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (ts) => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(ts)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
  };
}

export const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `13:05` */
export const hhmm = (p: CalendarParts): string => `${pad2(p.hour)}:${pad2(p.minute)}`;

/** `2021-04` */
export const monthKey = (p: CalendarParts): string => `${p.year}-${pad2(p.month)}`;

/** `2021-04-28` */
export const dayKey = (p: CalendarParts): string => `${monthKey(p)}-${pad2(p.day)}`;

/** Month and day names for calendar parts (formatted as UTC so no zone shifts them). */
export function makeLabels(locale?: string): { month(p: CalendarParts): string; day(p: CalendarParts): string } {
  const month = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' });
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  return {
    month: (p) => month.format(Date.UTC(p.year, p.month - 1, 1)),
    day: (p) => day.format(Date.UTC(p.year, p.month - 1, p.day)),
  };
}

export function inRange(ts: number, range?: DateRange): boolean {
  if (!range) return true;
  if (range.from !== undefined && ts < range.from) return false;
  if (range.to !== undefined && ts >= range.to) return false;
  return true;
}

/** The messages of a page stream that fall in `range`, one array per page (empty pages dropped). */
export async function* filterPages(pages: AsyncIterable<Message[]> | Iterable<Message[]>, range?: DateRange): AsyncGenerator<Message[]> {
  for await (const page of pages) {
    const kept = range ? page.filter((m) => inRange(m.ts, range)) : page;
    if (kept.length > 0) yield kept;
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding. */
export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  if (i < n) {
    const v = (bytes[i] << 16) | ((i + 1 < n ? bytes[i + 1] : 0) << 8);
    chunk += B64[v >> 18] + B64[(v >> 12) & 63] + (i + 1 < n ? B64[(v >> 6) & 63] : '=') + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** Image MIME type sniffed from thumbnail bytes (WhatsApp stores JPEG, sometimes WebP or PNG). */
export function imageMime(bytes: Uint8Array): string {
  if (bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (bytes.length > 4 && bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  return 'image/jpeg';
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

/** Number of sender colours in the export's stylesheet (`.c0` … `.c11`), as in the app. */
export const SENDER_COLOURS = 12;

/** A stable colour slot for a sender: FNV-1a of the jid (the same rule as the conversation view). */
export function senderColour(jid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < jid.length; i++) {
    h ^= jid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SENDER_COLOURS;
}
