/**
 * One message, drawn the way the phone draws it. Message text is hostile input: everything
 * here is built as Preact children (text nodes), never as HTML strings.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ChatKind, MediaInfo, Message, Quote, Reaction } from '../../core/msgstore/model';
import { linkify, safeHref } from '../../core/text/links';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatTime,
  kindLabel,
  plural,
  senderColour,
} from './format';
import { NotInFolder, useLinkedMedia, type LinkedMedia } from './media';

export interface MessageBubbleProps {
  message: Message;
  chatKind: ChatKind;
  /** Shown as the other side's name in one-to-one chats. */
  chatTitle: string;
  /** Draw the sender's name above the bubble (first of a run in a group). */
  showSender: boolean;
  /** Same sender as the message before: tighter spacing, no tail. */
  continued: boolean;
  highlighted?: boolean;
  /** Total messages in the chat (for aria-setsize). */
  setSize?: number;
  /** Jump to another message of the same chat (quoted replies). */
  onJump?: (pos: number) => void;
}

/** Text with clickable links, line breaks kept by CSS (`white-space: pre-wrap`). */
export function RichText({ text, class: cls = 'msg-text' }: { text: string; class?: string }) {
  return (
    <div class={cls} dir="auto">
      {linkify(text).map((seg, i) =>
        seg.kind === 'link' ? (
          <a key={i} href={seg.href} target="_blank" rel="noopener noreferrer">
            {seg.text}
          </a>
        ) : (
          seg.text
        ),
      )}
    </div>
  );
}

function senderName(m: { fromMe: boolean; sender?: { title: string } }, chatTitle: string): string {
  if (m.fromMe) return 'You';
  return m.sender?.title ?? chatTitle;
}

/** One line describing a message, for labels and quotes. */
export function describeMessage(m: Message): string {
  if (m.deleted === 'admin') return 'This message was deleted by an admin';
  if (m.deleted === 'sender' || m.kind === 'deleted') return 'This message was deleted';
  switch (m.kind) {
    case 'system':
      return m.system?.text ?? 'System message';
    case 'call':
      return m.call ? callText(m.call) : 'Call';
    case 'unsupported':
      return `Unsupported message (type ${m.type})`;
    case 'poll':
      return m.poll ? `Poll: ${m.poll.question}` : 'Poll';
    case 'location':
    case 'live-location':
      return [kindLabel(m.kind), m.location?.name].filter(Boolean).join(': ');
    case 'contact':
      return m.contacts?.length ? `Contact: ${m.contacts.map((c) => c.name).join(', ')}` : (m.text ?? 'Contact');
    case 'document':
      return m.media?.fileName ?? m.text ?? 'Document';
    case 'event':
      return m.event ? `Event: ${m.event.name}` : 'Event';
    case 'text':
      return m.text ?? '';
    default:
      return m.text ? `${kindLabel(m.kind)}: ${m.text}` : kindLabel(m.kind);
  }
}

function callText(call: NonNullable<Message['call']>): string {
  const what = `${call.group ? 'group ' : ''}${call.video ? 'video' : 'voice'} call`;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (call.outcome === 'missed') return `Missed ${what}`;
  if (call.outcome === 'rejected') return `Declined ${what}`;
  if (call.durationSec !== undefined && call.durationSec > 0) return `${cap(what)} · ${formatDuration(call.durationSec)}`;
  return cap(what);
}

function sniffImageType(bytes: Uint8Array): string {
  // RIFF....WEBP
  if (bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (bytes.length > 4 && bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  return 'image/jpeg';
}

/** An object URL for thumbnail bytes, revoked when the component goes away. */
function useObjectUrl(bytes: Uint8Array | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!bytes || bytes.length === 0) {
      setUrl(undefined);
      return;
    }
    const u = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: sniffImageType(bytes) }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [bytes]);
  return url;
}

function Icon({ name }: { name: 'play' | 'mic' | 'doc' | 'pin' | 'phone' | 'video' | 'user' | 'once' | 'clock' | 'ban' | 'forward' | 'image' | 'calendar' | 'music' }) {
  const paths: Record<typeof name, string> = {
    play: 'M8 5v14l11-7z',
    mic: 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11h-2z',
    doc: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6zm0 7V3.5L19.5 9H14z',
    pin: 'M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z',
    phone: 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
    video: 'M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z',
    user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z',
    once: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6H9V9h4z',
    clock: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 11h-5v-2h3V6h2z',
    ban: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM4 12a8 8 0 0 1 12.9-6.3L5.7 16.9A8 8 0 0 1 4 12zm8 8a8 8 0 0 1-4.9-1.7L18.3 7.1A8 8 0 0 1 12 20z',
    forward: 'M14 8V4l7 7-7 7v-4.1c-5 0-8.5 1.6-11 5.1 1-5 4-10 11-11z',
    image: 'M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5z',
    calendar: 'M19 4h-1V2h-2v2H8V2H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 16H5V9h14z',
    music: 'M12 3v10.55A4 4 0 1 0 14 17V7h4V3z',
  };
  return (
    <svg class="msg-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}

function VisuallyHidden({ children }: { children: ComponentChildren }) {
  return <span class="visually-hidden">{children}</span>;
}

function MediaThumb({ media, kind, caption, linked }: { media?: MediaInfo; kind: Message['kind']; caption?: string; linked: LinkedMedia }) {
  const url = useObjectUrl(media?.thumbnail);
  const [broken, setBroken] = useState(false);
  const label = kindLabel(kind);
  const alt = caption ? `${label}: ${caption.slice(0, 120)}` : label;
  const w = media?.width;
  const h = media?.height;
  // Keep the box's shape before the image decodes, so the row height does not jump.
  const ratio = kind === 'sticker' || kind === 'video-note' ? 1 : w && h && w > 0 && h > 0 ? Math.min(Math.max(w / h, 0.5), 2) : 4 / 3;
  const isVideo = kind === 'video' || kind === 'gif' || kind === 'video-note';
  // The linked file itself when there is one (the database thumbnail if it fails to decode).
  if (linked.status === 'found' && !broken) {
    return (
      <div class={`msg-media msg-media-${kind} msg-media-file`} style={{ aspectRatio: String(ratio) }}>
        {isVideo ? (
          <video
            src={linked.url}
            poster={url}
            controls
            preload="metadata"
            playsInline
            loop={kind === 'gif'}
            muted={kind === 'gif'}
            aria-label={alt}
            onError={() => setBroken(true)}
          />
        ) : (
          <img src={linked.url} alt={alt} decoding="async" draggable={false} onError={() => setBroken(true)} />
        )}
      </div>
    );
  }
  return (
    <div class={`msg-media msg-media-${kind}`} style={{ aspectRatio: String(ratio) }}>
      {linked.status === 'missing' && <NotInFolder />}
      {url ? (
        <img src={url} alt={alt} decoding="async" draggable={false} />
      ) : (
        <div class="msg-media-missing" role="img" aria-label={alt}>
          <Icon name={isVideo ? 'video' : 'image'} />
          <span aria-hidden="true">{label}</span>
        </div>
      )}
      {isVideo && (
        <span class="msg-media-badge" aria-hidden="true">
          {kind === 'gif' ? 'GIF' : <Icon name="play" />}
          {kind !== 'gif' && media?.durationSec !== undefined && <span>{formatDuration(media.durationSec)}</span>}
        </span>
      )}
      {isVideo && kind !== 'gif' && media?.durationSec !== undefined && (
        <VisuallyHidden>{`Duration ${formatDuration(media.durationSec)}`}</VisuallyHidden>
      )}
    </div>
  );
}

function QuoteBlock({ quote, chatTitle, onJump }: { quote: Quote; chatTitle: string; onJump?: (pos: number) => void }) {
  const who = senderName(quote, chatTitle);
  const text = quote.text ?? kindLabel(quote.kind);
  const colour = quote.fromMe ? 'me' : quote.sender ? String(senderColour(quote.sender.jid)) : 'other';
  const body = (
    <>
      <span class={`msg-quote-sender sender-c${colour}`} dir="auto">{who}</span>
      <span class="msg-quote-text" dir="auto">{text}</span>
    </>
  );
  if (quote.pos !== undefined && onJump) {
    const pos = quote.pos;
    return (
      <button
        type="button"
        class="msg-quote msg-quote-link"
        aria-label={`Go to the quoted message from ${who}: ${text.slice(0, 80)}`}
        onClick={() => onJump(pos)}
      >
        {body}
      </button>
    );
  }
  return (
    <div class="msg-quote" title="The original message is not in this chat any more">
      <VisuallyHidden>Quoted message from </VisuallyHidden>
      {body}
    </div>
  );
}

function Reactions({ reactions, chatTitle }: { reactions: Reaction[]; chatTitle: string }) {
  const groups = new Map<string, string[]>();
  for (const r of reactions) {
    const names = groups.get(r.emoji) ?? [];
    names.push(senderName(r, chatTitle));
    groups.set(r.emoji, names);
  }
  const list = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const label = `Reactions: ${list.map(([emoji, names]) => `${emoji} from ${names.join(', ')}`).join('; ')}`;
  return (
    <div class="msg-reactions" role="img" aria-label={label} title={label.slice('Reactions: '.length)}>
      {list.slice(0, 4).map(([emoji, names]) => (
        <span key={emoji} class="msg-reaction">
          {emoji}
          {names.length > 1 && <span class="msg-reaction-count">{names.length}</span>}
        </span>
      ))}
      {list.length > 4 && <span class="msg-reaction-count">+{list.length - 4}</span>}
    </div>
  );
}

function Body({ m, chatTitle, onJump }: { m: Message; chatTitle: string; onJump?: (pos: number) => void }) {
  if (m.deleted || m.kind === 'deleted') {
    return (
      <div class="msg-muted" dir="auto">
        <Icon name="ban" />
        {m.deleted === 'admin' ? 'This message was deleted by an admin' : 'This message was deleted'}
      </div>
    );
  }
  const caption = m.text ? <RichText text={m.text} /> : null;
  const linked = useLinkedMedia(m);
  switch (m.kind) {
    case 'text':
      return (
        <>
          {m.link && (m.link.title || m.link.description) && <LinkPreview link={m.link} />}
          <RichText text={m.text ?? ''} />
        </>
      );
    case 'image':
    case 'video':
    case 'gif':
    case 'sticker':
    case 'video-note':
      return (
        <>
          <MediaThumb media={m.media} kind={m.kind} caption={m.text} linked={linked} />
          {m.kind !== 'sticker' && caption}
        </>
      );
    case 'voice':
    case 'audio':
      return (
        <>
          <div class="msg-audio">
            <span class="msg-audio-icon"><Icon name={m.kind === 'voice' ? 'mic' : 'music'} /></span>
            <span class="msg-audio-text">
              <span class="msg-strong">{m.kind === 'voice' ? 'Voice message' : (m.media?.fileName ?? 'Audio')}</span>
              {m.media?.durationSec !== undefined && <span class="msg-sub">{formatDuration(m.media.durationSec)}</span>}
              {linked.status === 'missing' && <NotInFolder />}
            </span>
          </div>
          {linked.status === 'found' && (
            <audio class="msg-audio-player" src={linked.url} controls preload="metadata" aria-label={m.kind === 'voice' ? 'Voice message' : (m.media?.fileName ?? 'Audio')} />
          )}
          {m.kind === 'audio' && caption}
        </>
      );
    case 'document': {
      const md = m.media;
      const ext = md?.fileName?.includes('.') ? md.fileName.split('.').pop()?.toUpperCase() : undefined;
      const facts = [
        md?.pageCount !== undefined ? plural(md.pageCount, 'page', 'pages') : undefined,
        ext,
        md?.size !== undefined ? formatBytes(md.size) : undefined,
      ].filter(Boolean);
      const name = md?.fileName ?? 'Document';
      return (
        <>
          <div class="msg-doc">
            <span class="msg-doc-icon"><Icon name="doc" /></span>
            <span class="msg-doc-text">
              <span class="msg-strong msg-doc-name" dir="auto">{name}</span>
              {facts.length > 0 && <span class="msg-sub">{facts.join(' · ')}</span>}
              {linked.status === 'missing' && <NotInFolder />}
              {linked.status === 'found' && (
                <span class="msg-doc-actions">
                  <a href={linked.url} target="_blank" rel="noopener noreferrer">Open</a>
                  <a href={linked.url} download={md?.fileName ?? linked.name}>Download</a>
                </span>
              )}
            </span>
          </div>
          {m.text && m.text !== name && caption}
        </>
      );
    }
    case 'contact': {
      const cards = m.contacts && m.contacts.length > 0 ? m.contacts : [{ name: m.text ?? 'Contact', numbers: [] }];
      return (
        <ul class="msg-contacts" aria-label={cards.length === 1 ? 'Contact card' : `${cards.length} contact cards`}>
          {cards.map((c, i) => (
            <li key={i} class="msg-contact">
              <span class="msg-contact-avatar"><Icon name="user" /></span>
              <span class="msg-contact-text">
                <span class="msg-strong" dir="auto">{c.name}</span>
                {c.numbers.map((n, j) => {
                  const href = safeHref(`tel:${n.replace(/[^\d+]/g, '')}`);
                  return href ? (
                    <a key={j} class="msg-sub" href={href} dir="ltr">{n}</a>
                  ) : (
                    <span key={j} class="msg-sub" dir="ltr">{n}</span>
                  );
                })}
              </span>
            </li>
          ))}
        </ul>
      );
    }
    case 'location':
    case 'live-location': {
      const loc = m.location;
      if (!loc) return <div class="msg-muted">{kindLabel(m.kind)}</div>;
      const lat = loc.lat.toFixed(5);
      const lon = loc.lon.toFixed(5);
      const osm = `https://www.openstreetmap.org/?mlat=${encodeURIComponent(lat)}&mlon=${encodeURIComponent(lon)}#map=16/${lat}/${lon}`;
      return (
        <>
          <div class="msg-location">
            <span class="msg-location-icon"><Icon name="pin" /></span>
            <span class="msg-location-text">
              {(m.kind === 'live-location' || loc.live) && <span class="msg-sub msg-live">Live location</span>}
              {loc.name && <span class="msg-strong" dir="auto">{loc.name}</span>}
              {loc.address && <span class="msg-sub" dir="auto">{loc.address}</span>}
              <span class="msg-sub msg-coords" dir="ltr">{`${lat}, ${lon}`}</span>
              <a class="msg-location-link" href={osm} target="_blank" rel="noopener noreferrer">
                Open in OpenStreetMap
              </a>
            </span>
          </div>
          {caption}
        </>
      );
    }
    case 'call': {
      const call = m.call;
      const missed = call?.outcome === 'missed' || call?.outcome === 'rejected';
      return (
        <div class={`msg-call${missed ? ' msg-call-missed' : ''}`}>
          <span class="msg-call-icon"><Icon name={call?.video ? 'video' : 'phone'} /></span>
          <span>{call ? callText(call) : 'Call'}</span>
        </div>
      );
    }
    case 'poll': {
      const poll = m.poll;
      if (!poll) return <div class="msg-muted">Poll</div>;
      const total = poll.options.reduce((s, o) => s + o.votes, 0);
      const max = Math.max(1, ...poll.options.map((o) => o.votes));
      return (
        <div class="msg-poll">
          <div class="msg-strong" dir="auto">{poll.question}</div>
          <div class="msg-sub">{poll.multiSelect ? 'Select one or more' : 'Select one'}</div>
          <ul class="msg-poll-options">
            {poll.options.map((o, i) => (
              <li key={i} class="msg-poll-option">
                <span class="msg-poll-row">
                  <span class="msg-poll-name" dir="auto">{o.name}</span>
                  <span class="msg-poll-votes">{plural(o.votes, 'vote', 'votes')}</span>
                </span>
                <span class="msg-poll-bar" aria-hidden="true">
                  <span class="msg-poll-fill" style={{ width: `${(o.votes / max) * 100}%` }} />
                </span>
              </li>
            ))}
          </ul>
          <div class="msg-sub">{plural(total, 'vote', 'votes')} in total</div>
        </div>
      );
    }
    case 'event': {
      const ev = m.event;
      return (
        <div class="msg-event">
          <span class="msg-event-icon"><Icon name="calendar" /></span>
          <span class="msg-event-text">
            <span class="msg-strong" dir="auto">{ev?.name ?? 'Event'}</span>
            {ev?.startTime !== undefined && <span class="msg-sub">{formatDateTime(ev.startTime)}</span>}
            {ev?.location && <span class="msg-sub" dir="auto">{ev.location}</span>}
            {ev?.description && <RichText class="msg-sub msg-text" text={ev.description} />}
          </span>
        </div>
      );
    }
    case 'view-once':
      return (
        <div class="msg-muted">
          <Icon name="once" />
          {m.media?.mime?.startsWith('video') ? 'View once video' : m.media?.mime?.startsWith('image') ? 'View once photo' : 'View once message'}
        </div>
      );
    case 'waiting':
      return (
        <div class="msg-muted">
          <Icon name="clock" />
          Waiting for this message. This may take a while.
        </div>
      );
    case 'unsupported':
      return (
        <>
          <div class="msg-muted">{`Unsupported message (type ${m.type})`}</div>
          {caption}
        </>
      );
    case 'system':
      return <RichText class="msg-text" text={m.system?.text ?? m.text ?? 'System message'} />;
    default:
      return caption ?? <div class="msg-muted">{kindLabel(m.kind)}</div>;
  }
}

function LinkPreview({ link }: { link: NonNullable<Message['link']> }) {
  const href = link.url ? safeHref(link.url) : undefined;
  let host: string | undefined;
  if (href) {
    try {
      host = new URL(href).hostname;
    } catch {
      host = undefined;
    }
  }
  return (
    <div class="msg-preview">
      {link.title && <div class="msg-strong" dir="auto">{link.title}</div>}
      {link.description && <div class="msg-sub msg-preview-desc" dir="auto">{link.description}</div>}
      {host && <div class="msg-sub" dir="ltr">{host}</div>}
    </div>
  );
}

export function MessageBubble({ message: m, chatKind, chatTitle, showSender, continued, highlighted, setSize, onJump }: MessageBubbleProps) {
  const who = senderName(m, chatTitle);
  const time = formatTime(m.ts);
  const summary = describeMessage(m);
  const label = `${who}, ${time}: ${summary.length > 80 ? `${summary.slice(0, 80)}…` : summary}`;
  const common = {
    'aria-posinset': m.pos + 1,
    'aria-setsize': setSize,
    'data-pos': m.pos,
    tabIndex: -1,
  };

  if (m.kind === 'system') {
    return (
      <article {...common} class={`msg msg-system${highlighted ? ' is-highlighted' : ''}`} aria-label={`${time}: ${summary.slice(0, 80)}`}>
        <div class="msg-system-pill">
          <RichText text={m.system?.text ?? m.text ?? 'System message'} />
        </div>
      </article>
    );
  }

  const isGroup = chatKind === 'group' || chatKind === 'broadcast';
  const sticker = m.kind === 'sticker' && !m.deleted;
  const media = !m.deleted && (m.kind === 'image' || m.kind === 'video' || m.kind === 'gif' || m.kind === 'video-note');
  const colour = m.sender ? senderColour(m.sender.jid) : 0;
  const classes = [
    'msg',
    m.fromMe ? 'msg-out' : 'msg-in',
    continued ? 'msg-continued' : 'msg-first',
    sticker ? 'msg-sticker' : '',
    media ? 'msg-has-media' : '',
    highlighted ? 'is-highlighted' : '',
  ].filter(Boolean).join(' ');

  return (
    <article {...common} class={classes} aria-label={label}>
      <div class="msg-bubble">
        {isGroup && showSender && !m.fromMe && (
          <div class={`msg-sender sender-c${colour}`} dir="auto" title={m.sender?.number !== who ? m.sender?.number : undefined}>
            {who}
          </div>
        )}
        {m.forwarded && (
          <div class="msg-forwarded">
            <Icon name="forward" />
            Forwarded
          </div>
        )}
        {m.quoted && <QuoteBlock quote={m.quoted} chatTitle={chatTitle} onJump={onJump} />}
        <Body m={m} chatTitle={chatTitle} onJump={onJump} />
        <div class="msg-meta">
          {m.starred && <span class="msg-star" role="img" aria-label="Starred">★</span>}
          {m.edited && <span class="msg-edited">Edited</span>}
          <time dateTime={new Date(m.ts).toISOString()} title={formatDateTime(m.ts)}>{time}</time>
        </div>
      </div>
      {m.reactions && m.reactions.length > 0 && <Reactions reactions={m.reactions} chatTitle={chatTitle} />}
    </article>
  );
}
