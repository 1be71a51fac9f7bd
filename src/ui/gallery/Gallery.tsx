/**
 * A chat's gallery: "Media, links and docs", opened from the conversation header. Three tabs,
 * each a list filled page by page from the worker (`chatGallery`, newest first; more items load
 * when the end of the list comes into view, or with "Load more"). Choosing an item closes the
 * dialog and the conversation jumps to that message.
 *
 * Message text is hostile: it only ever becomes text nodes; links are `<a>` elements built from
 * the core tokenizer's http(s) hrefs, with rel="noopener noreferrer".
 */
import './gallery.css';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import type { GalleryItem, GalleryKind } from '../../core/gallery/gallery';
import { snippet } from '../../core/gallery/gallery';
import type { Message } from '../../core/msgstore/model';
import type { ChatSummary, WireError } from '../../worker/protocol';
import { asWire, worker } from '../App';
import { errorText } from '../messages';
import { formatBytes, formatDuration, formatShortDate, kindLabel } from '../conversation/format';
import { NotInFolder, useLinkedMedia } from '../conversation/media';

export const GALLERY_TITLE = 'Media, links and docs';

const TABS: { kind: GalleryKind; label: string; empty: string; one: string; many: string }[] = [
  { kind: 'media', label: 'Media', empty: 'No photos, videos, GIFs or stickers in this chat.', one: 'media item', many: 'media items' },
  { kind: 'links', label: 'Links', empty: 'No links in this chat.', one: 'link message', many: 'link messages' },
  { kind: 'docs', label: 'Docs', empty: 'No documents in this chat.', one: 'document', many: 'documents' },
];

interface Section {
  items: GalleryItem[];
  /** Continue before this position; undefined once the whole chat has been scanned. */
  cursor?: number;
  done: boolean;
  loading: boolean;
  error?: WireError;
}

const EMPTY: Section = { items: [], done: false, loading: false };

function senderOf(m: Message, chatTitle: string): string {
  return m.fromMe ? 'You' : (m.sender?.title ?? chatTitle);
}

function sniffImageType(bytes: Uint8Array): string {
  if (bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (bytes.length > 4 && bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  return 'image/jpeg';
}

/** An object URL for the database thumbnail, revoked when the tile goes away. */
function useThumbnailUrl(bytes: Uint8Array | undefined): string | undefined {
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

function mediaLabel(m: Message, chatTitle: string): string {
  const caption = m.text ? `: ${snippet(m.text, 80)}` : '';
  return `${kindLabel(m.kind)} from ${senderOf(m, chatTitle)}, ${formatShortDate(m.ts)}${caption}`;
}

function MediaTile({ item, chatTitle, onChoose }: { item: GalleryItem; chatTitle: string; onChoose: (pos: number) => void }) {
  const m = item.message;
  const thumb = useThumbnailUrl(m.media?.thumbnail);
  const linked = useLinkedMedia(m);
  const [broken, setBroken] = useState(false);
  const isVideo = m.kind === 'video' || m.kind === 'gif' || m.kind === 'video-note';
  // A linked photo or sticker shows the file itself; videos show the database thumbnail.
  const src = linked.status === 'found' && !isVideo && !broken ? linked.url : thumb;
  return (
    <li class="gallery-tile" data-pos={m.pos}>
      <button type="button" aria-label={mediaLabel(m, chatTitle)} onClick={() => onChoose(m.pos)}>
        {src ? (
          <img src={src} alt="" decoding="async" draggable={false} onError={() => src !== thumb && setBroken(true)} />
        ) : (
          <span class="gallery-tile-empty" aria-hidden="true">
            {kindLabel(m.kind)}
          </span>
        )}
        {isVideo && (
          <span class="gallery-badge" aria-hidden="true">
            {m.kind === 'gif' ? 'GIF' : m.media?.durationSec !== undefined ? `▶ ${formatDuration(m.media.durationSec)}` : '▶'}
          </span>
        )}
      </button>
      {linked.status === 'missing' && <NotInFolder />}
    </li>
  );
}

function LinkRow({ item, chatTitle, onChoose }: { item: GalleryItem; chatTitle: string; onChoose: (pos: number) => void }) {
  const m = item.message;
  const links = item.links ?? [];
  return (
    <li class="gallery-row" data-pos={m.pos}>
      <ul class="gallery-links" aria-label="Links in this message">
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} target="_blank" rel="noopener noreferrer" dir="ltr">
              {l.text}
            </a>
          </li>
        ))}
      </ul>
      {m.link?.title && (
        <div class="gallery-link-title" dir="auto">
          {m.link.title}
        </div>
      )}
      <button type="button" class="gallery-open" onClick={() => onChoose(m.pos)}>
        <span class="gallery-snippet" dir="auto">
          {snippet(m.text ?? links[0]?.text ?? '')}
        </span>
        <span class="gallery-meta">{`${senderOf(m, chatTitle)} · ${formatShortDate(m.ts)}`}</span>
      </button>
    </li>
  );
}

function DocRow({ item, chatTitle, onChoose }: { item: GalleryItem; chatTitle: string; onChoose: (pos: number) => void }) {
  const m = item.message;
  const media = m.media;
  const name = media?.fileName ?? m.text ?? 'Document';
  const facts = [
    media?.size !== undefined ? formatBytes(media.size) : undefined,
    media?.pageCount ? `${media.pageCount} ${media.pageCount === 1 ? 'page' : 'pages'}` : undefined,
    senderOf(m, chatTitle),
    formatShortDate(m.ts),
  ].filter((x): x is string => !!x);
  return (
    <li class="gallery-row" data-pos={m.pos}>
      <button type="button" class="gallery-open" onClick={() => onChoose(m.pos)}>
        <span class="gallery-doc-name" dir="auto">
          {name}
        </span>
        <span class="gallery-meta">{facts.join(' · ')}</span>
      </button>
    </li>
  );
}

function countText(tab: (typeof TABS)[number], section: Section): string {
  const n = section.items.length;
  if (section.error) return '';
  if (section.done) return n === 0 ? tab.empty : `${n.toLocaleString()} ${n === 1 ? tab.one : tab.many}`;
  return n === 0 ? 'Looking…' : `${n.toLocaleString()} ${n === 1 ? tab.one : tab.many} so far`;
}

function GalleryDialog({
  libraryId,
  chat,
  onClose,
  onChoose,
}: {
  libraryId: string;
  chat: ChatSummary;
  onClose: () => void;
  onChoose: (pos: number) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<GalleryKind>('media');
  const [sections, setSections] = useState<Record<GalleryKind, Section>>({ media: EMPTY, links: EMPTY, docs: EMPTY });
  const inFlight = useRef(new Map<GalleryKind, AbortController>());
  const tabRefs = useRef(new Map<GalleryKind, HTMLButtonElement>());
  const baseId = useId();
  const titleId = `${baseId}-title`;

  useEffect(() => {
    dialog.current?.showModal();
    const jobs = inFlight.current;
    return () => {
      for (const c of jobs.values()) c.abort();
      jobs.clear();
    };
  }, []);

  const section = sections[active];

  const loadMore = useCallback(
    (kind: GalleryKind) => {
      const current = sections[kind];
      if (current.loading || current.done || current.error || inFlight.current.has(kind)) return;
      const controller = new AbortController();
      inFlight.current.set(kind, controller);
      setSections((s) => ({ ...s, [kind]: { ...s[kind], loading: true } }));
      worker
        .call('chatGallery', { libraryId, chatId: chat.id, kind, cursor: current.cursor }, { signal: controller.signal })
        .then(
          (page) =>
            setSections((s) => ({
              ...s,
              [kind]: { items: [...s[kind].items, ...page.items], cursor: page.cursor, done: page.cursor === undefined, loading: false },
            })),
          (e: unknown) => {
            if (controller.signal.aborted) return;
            setSections((s) => ({ ...s, [kind]: { ...s[kind], loading: false, error: asWire(e) } }));
          },
        )
        .finally(() => {
          if (inFlight.current.get(kind) === controller) inFlight.current.delete(kind);
        });
    },
    [sections, libraryId, chat.id],
  );

  // The first page of a tab when it is first shown; the next ones while the end of the list is in view.
  useEffect(() => {
    if (section.loading || section.done || section.error) return;
    if (section.items.length === 0) {
      loadMore(active);
      return;
    }
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore(active);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [active, section, loadMore]);

  const choose = (pos: number) => {
    onChoose(pos);
    dialog.current?.close();
  };

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.kind === active);
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    const kind = TABS[next]!.kind;
    setActive(kind);
    tabRefs.current.get(kind)?.focus();
  };

  const tab = TABS.find((t) => t.kind === active)!;

  return (
    <dialog ref={dialog} class="gallery-dialog" aria-labelledby={titleId} onClose={onClose}>
      <header class="gallery-header">
        <h2 id={titleId}>{GALLERY_TITLE}</h2>
        <button type="button" class="gallery-close" aria-label="Close" onClick={() => dialog.current?.close()}>
          ×
        </button>
      </header>
      <p class="gallery-chat" dir="auto">
        {chat.title}
      </p>
      <div role="tablist" aria-label="Gallery sections" class="gallery-tabs" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.kind}
            ref={(el) => {
              if (el) tabRefs.current.set(t.kind, el);
              else tabRefs.current.delete(t.kind);
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.kind}`}
            aria-selected={t.kind === active}
            aria-controls={`${baseId}-panel`}
            tabIndex={t.kind === active ? 0 : -1}
            onClick={() => setActive(t.kind)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${active}`} class="gallery-panel">
        <p class="gallery-count" aria-live="polite">
          {countText(tab, section)}
        </p>
        {section.items.length > 0 && (
          <ul aria-label={tab.label} class={active === 'media' ? 'gallery-grid' : 'gallery-list'}>
            {section.items.map((item) =>
              active === 'media' ? (
                <MediaTile key={item.pos} item={item} chatTitle={chat.title} onChoose={choose} />
              ) : active === 'links' ? (
                <LinkRow key={item.pos} item={item} chatTitle={chat.title} onChoose={choose} />
              ) : (
                <DocRow key={item.pos} item={item} chatTitle={chat.title} onChoose={choose} />
              ),
            )}
          </ul>
        )}
        {section.error && (
          <p role="alert" class="error">
            {errorText(section.error)}
          </p>
        )}
        {!section.done && !section.error && section.items.length > 0 && (
          <div ref={sentinel} class="gallery-more">
            <button type="button" disabled={section.loading} onClick={() => loadMore(active)}>
              {section.loading ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
    </dialog>
  );
}

/**
 * The header's "Media, links and docs" button and its dialog. Escape or Close returns focus to
 * the button; choosing an item hands the message's position to `onChoose` (the conversation
 * then focuses that message).
 */
export function GalleryButton({ libraryId, chat, onChoose }: { libraryId: string; chat: ChatSummary; onChoose: (pos: number) => void }) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const chosen = useRef(false);
  return (
    <>
      <button ref={trigger} type="button" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)}>
        {GALLERY_TITLE}
      </button>
      {open && (
        <GalleryDialog
          key={chat.id}
          libraryId={libraryId}
          chat={chat}
          onClose={() => {
            setOpen(false);
            if (!chosen.current) trigger.current?.focus();
            chosen.current = false;
          }}
          onChoose={(pos) => {
            chosen.current = true;
            onChoose(pos);
          }}
        />
      )}
    </>
  );
}
