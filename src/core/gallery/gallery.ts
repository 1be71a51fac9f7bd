/**
 * A chat's gallery: its media, links and documents, newest first, found by scanning the chat's
 * stored pages from the newest one down. Pure: the caller supplies a page reader (IndexedDB in
 * the worker, arrays in the tests).
 *
 * - media: photos, videos, GIFs, stickers and video notes that were not deleted (view-once media
 *   is never shown again, so it is not listed);
 * - links: messages whose text (or caption) holds an `http(s)` link, as the conversation's
 *   tokenizer (`core/text/links.ts`) finds them, plus a link preview's own URL when it is `http(s)`;
 *   `mailto:`/`tel:` and anything else are not links here;
 * - docs: documents (`kind: 'document'`) that were not deleted.
 *
 * Paging is bounded both ways: a call returns at most `limit` items and reads at most `maxPages`
 * pages, and hands back a cursor (a message position: continue with the messages before it).
 */
import type { Message, MessageKind } from '../msgstore/model';
import { linkify, safeHref } from '../text/links';
import { throwIfAborted } from '../errors';

export type GalleryKind = 'media' | 'links' | 'docs';

export const GALLERY_KINDS: readonly GalleryKind[] = ['media', 'links', 'docs'];

/** One http(s) link of a message: the text as written and the href it opens. */
export interface GalleryLink {
  text: string;
  href: string;
}

export interface GalleryItem {
  pos: number;
  ts: number;
  /** The message itself (with its thumbnail, file name, size, text). */
  message: Message;
  /** `links` only: the message's http(s) links, in order, without duplicates. */
  links?: GalleryLink[];
}

const MEDIA_KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>(['image', 'video', 'gif', 'sticker', 'video-note']);

function gone(m: Message): boolean {
  return m.deleted !== undefined || m.kind === 'deleted';
}

export function isGalleryMedia(m: Message): boolean {
  return !gone(m) && MEDIA_KINDS.has(m.kind);
}

export function isGalleryDoc(m: Message): boolean {
  return !gone(m) && m.kind === 'document';
}

function isHttp(href: string): boolean {
  return href.startsWith('https://') || href.startsWith('http://');
}

/** The message's http(s) links (text or caption, then a link preview's URL), deduplicated by href. */
export function linksOf(m: Message): GalleryLink[] {
  if (gone(m) || m.kind === 'system') return [];
  const out: GalleryLink[] = [];
  const seen = new Set<string>();
  if (m.text) {
    for (const seg of linkify(m.text)) {
      if (seg.kind !== 'link' || !isHttp(seg.href) || seen.has(seg.href)) continue;
      seen.add(seg.href);
      out.push({ text: seg.text, href: seg.href });
    }
  }
  const preview = m.link?.url ? safeHref(m.link.url) : undefined;
  if (preview !== undefined && isHttp(preview) && !seen.has(preview)) out.push({ text: m.link!.url!, href: preview });
  return out;
}

/** The gallery item this message makes in the `kind` section, or undefined. */
export function galleryItem(m: Message, kind: GalleryKind): GalleryItem | undefined {
  switch (kind) {
    case 'media':
      return isGalleryMedia(m) ? { pos: m.pos, ts: m.ts, message: m } : undefined;
    case 'docs':
      return isGalleryDoc(m) ? { pos: m.pos, ts: m.ts, message: m } : undefined;
    case 'links': {
      const links = linksOf(m);
      return links.length > 0 ? { pos: m.pos, ts: m.ts, message: m, links } : undefined;
    }
  }
}

/** A short one-line snippet of message text around its first link (for the links list). */
export function snippet(text: string, max = 140): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

export interface GalleryScan {
  kind: GalleryKind;
  /** Messages in the chat (positions 0 … count-1). */
  count: number;
  pageSize: number;
  /** Continue with messages before this position; undefined: from the newest. */
  before?: number;
  /** At most this many items. */
  limit: number;
  /** At most this many pages read. */
  maxPages: number;
  /** Page `page`'s messages, oldest first (`messages[i].pos === page * pageSize + i`). */
  readPage: (page: number) => Promise<readonly Message[]>;
  signal?: AbortSignal;
}

export interface GalleryPage {
  /** Newest first. */
  items: GalleryItem[];
  /** Pass as `before` for the next call; undefined when the whole chat has been scanned. */
  cursor?: number;
}

/** Scans pages from the newest down and collects up to `limit` items (see the module doc). */
export async function scanGallery(scan: GalleryScan): Promise<GalleryPage> {
  const { kind, pageSize, limit, maxPages, readPage, signal } = scan;
  if (!(pageSize > 0)) throw new RangeError('pageSize must be positive');
  if (!(limit > 0) || !(maxPages > 0)) throw new RangeError('limit and maxPages must be positive');
  let before = Math.min(scan.before ?? scan.count, scan.count);
  const items: GalleryItem[] = [];
  let pagesRead = 0;
  while (before > 0) {
    if (pagesRead >= maxPages) return { items, cursor: before };
    throwIfAborted(signal);
    const page = Math.floor((before - 1) / pageSize);
    const messages = await readPage(page);
    pagesRead++;
    for (let i = Math.min(messages.length, before - page * pageSize) - 1; i >= 0; i--) {
      const m = messages[i]!;
      const item = galleryItem(m, kind);
      if (!item) continue;
      items.push(item);
      if (items.length >= limit) {
        const next = page * pageSize + i;
        return { items, cursor: next > 0 ? next : undefined };
      }
    }
    before = page * pageSize;
  }
  return { items };
}
