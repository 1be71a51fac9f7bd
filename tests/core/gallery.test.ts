import { describe, expect, it } from 'vitest';
import { galleryItem, isGalleryDoc, isGalleryMedia, linksOf, scanGallery, snippet, type GalleryKind } from '../../src/core/gallery/gallery';
import type { Message, MessageKind } from '../../src/core/msgstore/model';

function msg(pos: number, kind: MessageKind, extra: Partial<Message> = {}): Message {
  return { id: pos + 1, pos, ts: 1_700_000_000_000 + pos * 1000, fromMe: false, kind, type: 0, ...extra };
}

describe('which messages belong in which section', () => {
  it('media: photos, videos, GIFs, stickers and video notes, not deleted, not view-once', () => {
    for (const k of ['image', 'video', 'gif', 'sticker', 'video-note'] as const) expect(isGalleryMedia(msg(0, k))).toBe(true);
    for (const k of ['text', 'audio', 'voice', 'document', 'view-once', 'deleted', 'location', 'system'] as const) {
      expect(isGalleryMedia(msg(0, k))).toBe(false);
    }
    expect(isGalleryMedia(msg(0, 'image', { deleted: 'sender' }))).toBe(false);
    expect(isGalleryMedia(msg(0, 'video', { deleted: 'admin' }))).toBe(false);
  });

  it('docs: documents that were not deleted', () => {
    expect(isGalleryDoc(msg(0, 'document', { media: { fileName: 'a.pdf', size: 10 } }))).toBe(true);
    expect(isGalleryDoc(msg(0, 'document', { deleted: 'sender' }))).toBe(false);
    expect(isGalleryDoc(msg(0, 'audio', { media: { fileName: 'a.mp3' } }))).toBe(false);
  });

  it('links: http(s) links of the text or caption, in order, deduplicated', () => {
    expect(linksOf(msg(0, 'text', { text: 'see https://example.com/a and www.example.org, again https://example.com/a.' }))).toEqual([
      { text: 'https://example.com/a', href: 'https://example.com/a' },
      { text: 'www.example.org', href: 'https://www.example.org/' },
    ]);
    expect(linksOf(msg(0, 'image', { text: 'caption http://x.org/p' }))).toEqual([{ text: 'http://x.org/p', href: 'http://x.org/p' }]);
  });

  it('links: never javascript:, mailto:, tel: or a hostile preview URL', () => {
    expect(linksOf(msg(0, 'text', { text: 'javascript:alert(1)' }))).toEqual([]);
    expect(linksOf(msg(0, 'text', { text: 'mail me: a@b.example or tel:+1555' }))).toEqual([]);
    expect(linksOf(msg(0, 'text', { text: 'Link: javascript:alert(1)', link: { url: 'javascript:alert(1)', title: '<script>' } }))).toEqual([]);
    expect(linksOf(msg(0, 'text', { text: '<img src=x onerror=alert(1)>' }))).toEqual([]);
  });

  it("links: a preview's http(s) URL counts when the text does not hold it", () => {
    expect(linksOf(msg(0, 'text', { text: 'look', link: { url: 'https://example.com/x' } }))).toEqual([
      { text: 'https://example.com/x', href: 'https://example.com/x' },
    ]);
    expect(linksOf(msg(0, 'text', { text: 'https://example.com/x', link: { url: 'https://example.com/x' } }))).toHaveLength(1);
  });

  it('links: deleted and system messages have none', () => {
    expect(linksOf(msg(0, 'text', { text: 'https://example.com', deleted: 'sender' }))).toEqual([]);
    expect(linksOf(msg(0, 'system', { text: 'https://example.com' }))).toEqual([]);
  });

  it('galleryItem carries the message, and the links for the links section', () => {
    const m = msg(7, 'text', { text: 'https://example.com' });
    expect(galleryItem(m, 'links')).toEqual({ pos: 7, ts: m.ts, message: m, links: [{ text: 'https://example.com', href: 'https://example.com/' }] });
    expect(galleryItem(m, 'media')).toBeUndefined();
    expect(galleryItem(m, 'docs')).toBeUndefined();
  });
});

describe('snippet', () => {
  it('flattens whitespace and shortens by characters, not code units', () => {
    expect(snippet('a\n\nb   c')).toBe('a b c');
    expect(snippet('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(snippet('short', 5)).toBe('short');
  });
});

/** A chat of `count` messages where every `every`-th (by pos) is an image, the rest text. */
function chat(count: number, pageSize: number, kindAt: (pos: number) => MessageKind) {
  const pages: Message[][] = [];
  for (let pos = 0; pos < count; pos++) {
    const p = Math.floor(pos / pageSize);
    (pages[p] ??= []).push(msg(pos, kindAt(pos), { text: kindAt(pos) === 'text' && pos % 7 === 0 ? `link https://e.example/${pos}` : undefined }));
  }
  const reads: number[] = [];
  return {
    reads,
    readPage: async (page: number) => {
      reads.push(page);
      return pages[page] ?? [];
    },
  };
}

async function all(kind: GalleryKind, c: ReturnType<typeof chat>, count: number, pageSize: number, limit: number, maxPages: number) {
  const out: number[] = [];
  let cursor: number | undefined;
  let calls = 0;
  do {
    const page = await scanGallery({ kind, count, pageSize, before: cursor, limit, maxPages, readPage: c.readPage });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items.map((i) => i.pos));
    cursor = page.cursor;
    calls++;
    expect(calls).toBeLessThan(10_000);
  } while (cursor !== undefined);
  return { out, calls };
}

describe('scanGallery', () => {
  const kindAt = (pos: number): MessageKind => (pos % 5 === 0 ? 'image' : pos % 13 === 0 ? 'document' : 'text');

  it('returns every item newest first, whatever the limit, the page size or the page budget', async () => {
    const count = 1234;
    for (const [pageSize, limit, maxPages] of [[500, 60, 40], [10, 7, 1], [100, 1, 3], [7, 1000, 1000]] as const) {
      for (const kind of ['media', 'links', 'docs'] as const) {
        const c = chat(count, pageSize, kindAt);
        const { out } = await all(kind, c, count, pageSize, limit, maxPages);
        const expected: number[] = [];
        for (let pos = count - 1; pos >= 0; pos--) {
          const k = kindAt(pos);
          if (kind === 'media' ? k === 'image' : kind === 'docs' ? k === 'document' : k === 'text' && pos % 7 === 0) expected.push(pos);
        }
        expect(out).toEqual(expected);
      }
    }
  });

  it('reads the newest page first and stops once it has `limit` items', async () => {
    const c = chat(5000, 500, kindAt);
    const page = await scanGallery({ kind: 'media', count: 5000, pageSize: 500, limit: 60, maxPages: 40, readPage: c.readPage });
    expect(c.reads).toEqual([9]);
    expect(page.items[0]!.pos).toBe(4995);
    expect(page.items).toHaveLength(60);
    expect(page.cursor).toBe(page.items.at(-1)!.pos);
  });

  it('reads at most `maxPages` pages per call and hands back a cursor at a page boundary', async () => {
    const c = chat(5000, 500, () => 'text');
    const page = await scanGallery({ kind: 'docs', count: 5000, pageSize: 500, limit: 60, maxPages: 3, readPage: c.readPage });
    expect(page.items).toEqual([]);
    expect(c.reads).toEqual([9, 8, 7]);
    expect(page.cursor).toBe(3500);
  });

  it('an empty chat is done at once; an aborted scan throws cancelled', async () => {
    const c = chat(0, 500, kindAt);
    expect(await scanGallery({ kind: 'media', count: 0, pageSize: 500, limit: 60, maxPages: 40, readPage: c.readPage })).toEqual({ items: [] });
    const controller = new AbortController();
    controller.abort();
    await expect(
      scanGallery({ kind: 'media', count: 10, pageSize: 500, limit: 60, maxPages: 40, readPage: chat(10, 500, kindAt).readPage, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });
});
