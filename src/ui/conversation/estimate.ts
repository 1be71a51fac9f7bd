import type { Message } from '../../core/msgstore/model';

/** A rough row height for a message before the browser has laid it out (px). */
export function estimateHeight(m: Message, isGroup: boolean): number {
  let h = 10; // row padding
  if (m.kind === 'system') return h + 34;
  h += 34; // bubble padding + meta line
  if (isGroup && !m.fromMe) h += 10;
  if (m.forwarded) h += 18;
  if (m.quoted) h += 56;
  if (m.reactions?.length) h += 22;
  const textLines = (t: string | undefined) => {
    if (!t) return 0;
    let lines = 0;
    for (const line of t.split('\n')) lines += Math.max(1, Math.ceil(line.length / 42));
    return lines;
  };
  switch (m.kind) {
    case 'image':
    case 'video':
    case 'gif':
    case 'video-note':
      h += 240 + textLines(m.text) * 20;
      break;
    case 'sticker':
      h += 120;
      break;
    case 'document':
    case 'voice':
    case 'audio':
    case 'contact':
    case 'event':
      h += 40 + textLines(m.text) * 20;
      break;
    case 'location':
    case 'live-location':
      h += 90;
      break;
    case 'poll':
      h += 60 + (m.poll?.options.length ?? 2) * 40;
      break;
    default:
      h += Math.max(0, textLines(m.text) - 1) * 20;
  }
  return h;
}
