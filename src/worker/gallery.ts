/**
 * A chat's gallery (media, links, docs; src/core/gallery): the chat's stored pages are read from
 * the newest down, one `get` each, and at most GALLERY_LIMIT items or GALLERY_MAX_PAGES pages go
 * into one answer, so neither the worker nor the page ever holds a whole chat.
 */
import { scanGallery, type GalleryKind, type GalleryPage } from '../core/gallery/gallery';
import { UnsealError } from '../core/errors';
import { PAGE_SIZE, readPage, type UnsealDb } from '../store/db';

export const GALLERY_LIMIT = 60;
/** 40 pages of 500: 20,000 messages per answer at most. */
export const GALLERY_MAX_PAGES = 40;

export async function chatGallery(
  db: UnsealDb,
  args: { libraryId: string; chatId: number; kind: GalleryKind; cursor?: number; limit?: number },
  signal: AbortSignal,
): Promise<GalleryPage> {
  const chat = await db.get('chats', [args.libraryId, args.chatId]);
  if (!chat) throw new UnsealError('internal', 'No such chat in this library.');
  const pageSize = chat.pageSize > 0 ? chat.pageSize : PAGE_SIZE;
  const count = Math.min(chat.messageCount, chat.pageCount * pageSize);
  return scanGallery({
    kind: args.kind,
    count,
    pageSize,
    before: args.cursor,
    limit: Math.max(1, Math.min(args.limit ?? GALLERY_LIMIT, 500)),
    maxPages: GALLERY_MAX_PAGES,
    readPage: async (page) => (await readPage(db, args.libraryId, args.chatId, page)).messages,
    signal,
  });
}
