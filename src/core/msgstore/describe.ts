/**
 * One-line summaries of a message, for the chat list, search results and the plain-text export.
 */
import type { Message } from './model';

export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const withText = (label: string, t?: string) => (t && oneLine(t) ? `${label} · ${oneLine(t)}` : label);
const dur = (m: Message) => (m.media?.durationSec ? ` (${formatDuration(m.media.durationSec)})` : '');

export function previewText(m: Message): string {
  if (m.deleted) return m.deleted === 'admin' ? 'This message was deleted by an admin' : 'This message was deleted';
  switch (m.kind) {
    case 'text':
      return oneLine(m.text ?? m.link?.url ?? '');
    case 'image':
      return withText('📷 Photo', m.text);
    case 'video':
      return withText(`🎥 Video${dur(m)}`, m.text);
    case 'gif':
      return withText('🎞️ GIF', m.text);
    case 'video-note':
      return `📹 Video message${dur(m)}`;
    case 'voice':
      return `🎤 Voice message${dur(m)}`;
    case 'audio':
      return withText(`🎵 ${m.media?.fileName ?? 'Audio'}${dur(m)}`, m.text);
    case 'sticker':
      return '💟 Sticker';
    case 'document':
      return withText(`📄 ${m.media?.fileName ?? 'Document'}`, m.text);
    case 'contact': {
      const names = m.contacts?.map((c) => c.name).filter(Boolean) ?? [];
      if (names.length > 1) return `👤 ${names.length} contacts: ${names.join(', ')}`;
      return `👤 Contact: ${names[0] ?? m.text ?? ''}`.trimEnd();
    }
    case 'location':
    case 'live-location': {
      const label = m.kind === 'live-location' ? '📍 Live location' : '📍 Location';
      const l = m.location;
      const where = l ? (l.name ?? l.address ?? `${round(l.lat)}, ${round(l.lon)}`) : '';
      return withText(where ? `${label}: ${oneLine(where)}` : label, m.text);
    }
    case 'call': {
      const c = m.call;
      const what = `${c?.video ? 'video' : 'voice'} call`;
      const group = c?.group ? 'group ' : '';
      if (c?.outcome === 'missed') return `📞 Missed ${group}${what}`;
      if (c?.outcome === 'rejected') return `📞 Declined ${group}${what}`;
      const d = c?.durationSec ? ` (${formatDuration(c.durationSec)})` : '';
      const dir = m.fromMe ? 'Outgoing' : 'Incoming';
      return `📞 ${dir} ${group}${what}${d}`;
    }
    case 'system':
      return m.system?.text ?? `System message (type ${m.type})`;
    case 'deleted':
      return 'This message was deleted';
    case 'poll':
      return `📊 Poll: ${oneLine(m.poll?.question ?? m.text ?? '')}`.trimEnd();
    case 'view-once':
      return '1️⃣ View-once media';
    case 'waiting':
      return 'Waiting for this message';
    case 'event':
      return `📅 Event: ${oneLine(m.event?.name ?? m.text ?? '')}`.trimEnd();
    case 'unsupported':
      return `Unsupported message (type ${m.type})`;
  }
}

function round(x: number): string {
  return (Math.round(x * 1e5) / 1e5).toString();
}
