/**
 * The pure parts of keeping a WhatsApp folder linked (src/core/media/folder.ts): stored
 * folder-relative paths walked back down, and what copying a match would take.
 */
import { describe, expect, it } from 'vitest';
import { copyPlan, folderPathSegments } from '../../src/core/media/folder';
import { buildMediaIndex, matchMedia, type MediaLink } from '../../src/core/media/paths';

describe('folderPathSegments', () => {
  it('splits a walked path into the names below the root', () => {
    expect(folderPathSegments('Media/WhatsApp Images/Sent/IMG-20240101-WA0001.jpg')).toEqual([
      'Media',
      'WhatsApp Images',
      'Sent',
      'IMG-20240101-WA0001.jpg',
    ]);
    expect(folderPathSegments('a.jpg')).toEqual(['a.jpg']);
    expect(folderPathSegments('Media/.Statuses/x.jpg')).toEqual(['Media', '.Statuses', 'x.jpg']);
  });

  it('refuses what no directory walk produces', () => {
    for (const bad of ['', '/a.jpg', 'a//b.jpg', 'a/', '../a.jpg', 'Media/./a.jpg', 'Media/../../etc', 'Media\\a.jpg']) {
      expect(folderPathSegments(bad), bad).toBeUndefined();
    }
  });
});

describe('copyPlan', () => {
  it('counts each matched file once, with its bytes', () => {
    const links = new Map<number, MediaLink>([
      [0, { file: 2, how: 'path' }],
      [1, { file: 0, how: 'path' }],
      [2, { file: 2, how: 'name' }], // a forwarded photo: the same file for two messages
    ]);
    expect(copyPlan(links, [100, 7, 2048])).toEqual({ files: [0, 2], bytes: 2148 });
  });

  it('is empty when nothing matched', () => {
    expect(copyPlan(new Map(), [1, 2, 3])).toEqual({ files: [], bytes: 0 });
  });

  it('states exactly what a real match would copy', () => {
    const files = [
      { path: 'WhatsApp/Media/WhatsApp Images/IMG-1.jpg', size: 1000 },
      { path: 'WhatsApp/Media/WhatsApp Images/IMG-2.jpg', size: 2000 },
      { path: 'WhatsApp/Media/WhatsApp Video/VID-1.mp4', size: 50_000 }, // no message names it
      { path: 'WhatsApp/Databases/msgstore.db.crypt15', size: 9_000 },
    ];
    const result = matchMedia(buildMediaIndex(files), [
      { id: 0, filePath: 'Media/WhatsApp Images/IMG-1.jpg', size: 1000 },
      { id: 1, filePath: 'Media/WhatsApp Images/IMG-2.jpg', size: 2000 },
      { id: 2, filePath: 'Media/WhatsApp Images/IMG-1.jpg', size: 1000 },
      { id: 3, filePath: 'Media/WhatsApp Images/IMG-3.jpg', size: 3000 }, // missing
    ]);
    expect(copyPlan(result.links, files.map((f) => f.size))).toEqual({ files: [0, 1], bytes: 3000 });
  });
});
