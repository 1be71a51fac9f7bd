/**
 * `message_type` (current) and legacy `media_wa_type` codes → MessageKind
 * (msgstore-schema.md §2.4 and §3.2). The two tables agree on the shared codes.
 */
import type { MessageKind } from './model';

const KINDS: Record<number, MessageKind> = {
  0: 'text',
  1: 'image',
  2: 'audio', // voice vs audio file is decided by path/mime: see audioKind()
  3: 'video',
  4: 'contact',
  5: 'location',
  7: 'system',
  9: 'document',
  10: 'call', // missed call
  11: 'waiting',
  13: 'gif',
  14: 'contact',
  15: 'deleted',
  16: 'live-location',
  20: 'sticker',
  36: 'system', // disappearing timer changed (1:1)
  42: 'view-once',
  43: 'view-once',
  64: 'deleted',
  66: 'poll',
  81: 'video-note',
  82: 'view-once',
  90: 'call',
  92: 'event',
};

export function kindOfType(type: number, legacy = false): MessageKind {
  if (legacy && type === 8) return 'call'; // legacy call record row
  return KINDS[type] ?? 'unsupported';
}

/** Types whose rows carry a `message_media` row. */
export const MEDIA_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 9, 13, 20, 42, 43, 81, 82]);

/** Type 2 is both voice notes (PTT) and audio files; tell them apart by path, name and mime. */
export function audioKind(path?: string, name?: string, mime?: string): 'voice' | 'audio' {
  const hay = `${path ?? ''}|${name ?? ''}`;
  if (/Voice Notes|(^|[/|])PTT-/i.test(hay)) return 'voice';
  if (/WhatsApp Audio|(^|[/|])AUD-/i.test(hay)) return 'audio';
  if (mime && /^audio\/ogg;\s*codecs=opus/i.test(mime)) return 'voice';
  return 'audio';
}
