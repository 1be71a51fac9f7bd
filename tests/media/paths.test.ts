/**
 * Media linking on generated folder listings. Paths follow the demo generator
 * (scripts/lib/msgstore-builder.ts `media()`): `Media/WhatsApp Images/[Sent/]IMG-yyyymmdd-WA####.jpg`,
 * `Media/WhatsApp Voice Notes/yyyymm/PTT-….opus`, stickers, GIFs, documents by original name.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildMediaIndex,
  bucketOf,
  canonicalMediaPath,
  matchByHash,
  matchMedia,
  mediaReport,
  normalizeHash,
  type FolderFile,
  type MediaRef,
} from '../../src/core/media/paths';

const sha = (s: string) => createHash('sha256').update(s).digest('base64');

/** The demo's kinds of media rows, each with a file whose content is `content:<id>`. */
const REFS: MediaRef[] = [
  { id: 1, kind: 'image', filePath: 'Media/WhatsApp Images/IMG-20250712-WA0000.jpg', size: 120_001 },
  { id: 2, kind: 'image', filePath: 'Media/WhatsApp Images/Sent/IMG-20250712-WA0001.jpg', size: 120_002 },
  { id: 3, kind: 'video', filePath: 'Media/WhatsApp Video/VID-20250713-WA0000.mp4', size: 3_000_003 },
  { id: 4, kind: 'gif', filePath: 'Media/WhatsApp Animated Gifs/Sent/VID-20250713-WA0001.mp4', size: 400_004 },
  { id: 5, kind: 'sticker', filePath: 'Media/WhatsApp Stickers/STK-20250713-WA0000.webp', size: 20_005 },
  { id: 6, kind: 'voice', filePath: 'Media/WhatsApp Voice Notes/202507/PTT-20250714-WA0000.opus', size: 30_006 },
  { id: 7, kind: 'voice', filePath: 'Media/WhatsApp Voice Notes/202507/PTT-20250714-WA0001.opus', size: 30_007 },
  { id: 8, kind: 'audio', filePath: 'Media/WhatsApp Audio/AUD-20250714-WA0000.mp3', size: 3_000_008 },
  { id: 9, kind: 'document', filePath: 'Media/WhatsApp Documents/Sent/Membership terms 2025.pdf', size: 182_344 },
  { id: 10, kind: 'document', filePath: 'Media/WhatsApp Documents/गोदान - प्रेमचंद.pdf', size: 2_845_112 },
  // missing: no such file
  { id: 11, kind: 'image', filePath: 'Media/WhatsApp Images/IMG-20250715-WA0000.jpg', size: 120_011 },
  // missing: never downloaded (no path)
  { id: 12, kind: 'video', size: 3_000_012 },
  // renamed on disk: only the hash finds it
  { id: 13, kind: 'image', filePath: 'Media/WhatsApp Images/IMG-20250716-WA0000.jpg', size: 120_013 },
  // the row says Sent/, the file is not in Sent/ (and the other way round)
  { id: 14, kind: 'image', filePath: 'Media/WhatsApp Images/Sent/IMG-20250716-WA0001.jpg', size: 120_014 },
  { id: 15, kind: 'image', filePath: 'Media/WhatsApp Images/IMG-20250716-WA0002.jpg', size: 120_015 },
  // Media-less row path; legacy absolute paths (Android ≤ 10 and /sdcard)
  { id: 16, kind: 'image', filePath: 'WhatsApp Images/IMG-20250717-WA0000.jpg', size: 120_016 },
  { id: 17, kind: 'image', filePath: '/storage/emulated/0/WhatsApp/Media/WhatsApp Images/IMG-20180717-WA0001.jpg', size: 120_017 },
  { id: 18, kind: 'voice', filePath: '/sdcard/WhatsApp/Media/WhatsApp Voice Notes/201807/PTT-20180717-WA0000.opus', size: 0 },
  // folder spelled differently on disk: case-insensitive
  { id: 19, kind: 'sticker', filePath: 'Media/WhatsApp Stickers/STK-20250718-WA0000.webp', size: 20_019 },
  // moved elsewhere in the folder: name + size
  { id: 20, kind: 'document', filePath: 'Media/WhatsApp Documents/Hut booking confirmation.pdf', size: 90_020 },
  // exists only as Google Drive's encrypted copy
  { id: 21, kind: 'image', filePath: 'Media/WhatsApp Images/IMG-20250719-WA0000.jpg', size: 120_021 },
];
for (const r of REFS) r.fileHash = sha(`content:${r.id}`);

/** The folder as seen from the WhatsApp root; `content` says which ref's bytes a file holds. */
const ON_DISK: (FolderFile & { content?: number })[] = [
  { path: 'Media/WhatsApp Images/IMG-20250712-WA0000.jpg', size: 120_001, content: 1 },
  { path: 'Media/WhatsApp Images/Sent/IMG-20250712-WA0001.jpg', size: 120_002, content: 2 },
  { path: 'Media/WhatsApp Video/VID-20250713-WA0000.mp4', size: 3_000_003, content: 3 },
  { path: 'Media/WhatsApp Animated Gifs/Sent/VID-20250713-WA0001.mp4', size: 400_004, content: 4 },
  { path: 'Media/WhatsApp Stickers/STK-20250713-WA0000.webp', size: 20_005, content: 5 },
  { path: 'Media/WhatsApp Voice Notes/202507/PTT-20250714-WA0000.opus', size: 30_006, content: 6 },
  { path: 'Media/WhatsApp Voice Notes/202507/PTT-20250714-WA0001.opus', size: 30_007, content: 7 },
  { path: 'Media/WhatsApp Audio/AUD-20250714-WA0000.mp3', size: 3_000_008, content: 8 },
  { path: 'Media/WhatsApp Documents/Sent/Membership terms 2025.pdf', size: 182_344, content: 9 },
  { path: 'Media/WhatsApp Documents/गोदान - प्रेमचंद.pdf'.normalize('NFD'), size: 2_845_112, content: 10 },
  { path: 'Media/WhatsApp Images/renamed by a gallery app.jpg', size: 120_013, content: 13 },
  { path: 'Media/WhatsApp Images/IMG-20250716-WA0001.jpg', size: 120_014, content: 14 },
  { path: 'Media/WhatsApp Images/Sent/IMG-20250716-WA0002.jpg', size: 120_015, content: 15 },
  { path: 'Media/WhatsApp Images/IMG-20250717-WA0000.jpg', size: 120_016, content: 16 },
  { path: 'Media/WhatsApp Images/IMG-20180717-WA0001.jpg', size: 120_017, content: 17 },
  { path: 'Media/WhatsApp Voice Notes/201807/PTT-20180717-WA0000.opus', size: 5_555, content: 18 },
  { path: 'Media/Whatsapp stickers/STK-20250718-WA0000.webp', size: 20_019, content: 19 },
  { path: 'Media/WhatsApp Documents/Private/old/Hut booking confirmation.pdf', size: 90_020, content: 20 },
  { path: 'Media/WhatsApp Images/IMG-20250719-WA0000.jpg.mcrypt1', size: 120_048 },
  { path: 'Media/WhatsApp Images/IMG-20250719-WA0000.jpg.mcrypt1-metadata', size: 300 },
  // unrelated files, one of them the same size as the renamed image
  { path: 'Media/WhatsApp Images/IMG-20250601-WA0000.jpg', size: 120_013, content: 999 },
  { path: 'Media/.Statuses/8f3a.jpg', size: 77_000, content: 998 },
  { path: 'Databases/msgstore.db.crypt15', size: 1_234_567 },
  { path: 'Media/WhatsApp Images/.nomedia', size: 0 },
];

/** The listing as a picked folder reports it, under some prefix. */
function listing(prefix: string): FolderFile[] {
  return ON_DISK.map((f) => ({ path: prefix + f.path, size: f.size }));
}

function hashesFor(needs: number[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const i of needs) {
    const c = ON_DISK[i]!.content;
    if (c !== undefined) m.set(i, sha(`content:${c}`));
  }
  return m;
}

const EXPECT_HOW: Record<number, string> = {
  1: 'path', 2: 'path', 3: 'path', 4: 'path', 5: 'path', 6: 'path', 7: 'path', 8: 'path', 9: 'path', 10: 'path',
  13: 'hash', 14: 'path-lenient', 15: 'path-lenient', 16: 'path', 17: 'path', 18: 'path', 19: 'path-case', 20: 'name-size',
};

describe('canonicalMediaPath', () => {
  it.each([
    ['Media/WhatsApp Images/IMG-1.jpg', 'WhatsApp Images/IMG-1.jpg'],
    ['WhatsApp/Media/WhatsApp Images/IMG-1.jpg', 'WhatsApp Images/IMG-1.jpg'],
    ['com.whatsapp/WhatsApp/Media/WhatsApp Images/IMG-1.jpg', 'WhatsApp Images/IMG-1.jpg'],
    ['Phone/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Images/IMG-1.jpg', 'WhatsApp Images/IMG-1.jpg'],
    ['/storage/emulated/0/WhatsApp/Media/WhatsApp Images/Sent/IMG-1.jpg', 'WhatsApp Images/Sent/IMG-1.jpg'],
    ['/sdcard/WhatsApp/Media/.Statuses/ab.jpg', '.Statuses/ab.jpg'],
    ['WhatsApp Images/IMG-1.jpg', 'WhatsApp Images/IMG-1.jpg'],
    ['WhatsApp\\Media\\WhatsApp Audio\\AUD-1.mp3', 'WhatsApp Audio/AUD-1.mp3'],
    ['Media/WhatsApp Documents/Media/x.pdf', 'WhatsApp Documents/Media/x.pdf'],
    ['Databases/msgstore.db.crypt15', 'Databases/msgstore.db.crypt15'],
  ])('%s → %s', (p, c) => expect(canonicalMediaPath(p)).toBe(c));
});

describe('matchMedia', () => {
  // WhatsApp root picked (webkitRelativePath starts with the folder name), Android 11+ parent,
  // the whole phone, and the Media folder itself (a directory-handle walk: no prefix).
  const variants: [string, string][] = [
    ['WhatsApp folder', 'WhatsApp/'],
    ['Android 11+ com.whatsapp folder', 'com.whatsapp/WhatsApp/'],
    ['whole phone', 'Internal storage/Android/media/com.whatsapp/WhatsApp/'],
    ['no prefix (directory handle on the WhatsApp folder)', ''],
  ];
  it.each(variants)('links every file when the user picks the %s', (_, prefix) => {
    const index = buildMediaIndex(listing(prefix));
    const first = matchMedia(index, REFS);
    // only the renamed image is left for hashing; the candidates are the unclaimed same-size files
    expect(first.pending.map((p) => p.ref.id)).toEqual([13]);
    expect(first.needsHash.map((i) => ON_DISK[i]!.path).sort()).toEqual([
      'Media/WhatsApp Images/IMG-20250601-WA0000.jpg',
      'Media/WhatsApp Images/renamed by a gallery app.jpg',
    ]);
    const r = matchByHash(first, hashesFor(first.needsHash));
    const how = Object.fromEntries([...r.links].map(([id, l]) => [id, l.how]));
    expect(how).toEqual(EXPECT_HOW);
    for (const [id, l] of r.links) {
      if (id !== 13) expect(ON_DISK[l.file]!.content).toBe(id);
    }
    expect(ON_DISK[r.links.get(13)!.file]!.path).toBe('Media/WhatsApp Images/renamed by a gallery app.jpg');

    const rep = mediaReport(index, REFS, r);
    expect(rep).toEqual({
      total: 21,
      found: 18,
      missing: 3,
      notDownloaded: 1,
      encrypted: 1,
      byKind: {
        image: { found: 7, missing: 2 },
        video: { found: 1, missing: 1 },
        audio: { found: 4, missing: 0 },
        document: { found: 3, missing: 0 },
        sticker: { found: 2, missing: 0 },
        gif: { found: 1, missing: 0 },
        other: { found: 0, missing: 0 },
      },
      byHow: { path: 13, 'path-case': 1, 'path-lenient': 2, 'name-size': 1, name: 0, hash: 1 },
      files: 22,
      filesUsed: 18,
      mcrypt1Files: 2,
      googleDriveEncrypted: true,
    });
  });

  it('links the Media folder picked with an <input webkitdirectory> (paths start with Media/)', () => {
    const files = ON_DISK.filter((f) => f.path.startsWith('Media/')).map((f) => ({ path: f.path, size: f.size }));
    const r = matchMedia(buildMediaIndex(files), REFS);
    expect(r.links.size).toBe(17);
  });

  it('links the Media folder walked from a directory handle (paths start with WhatsApp …)', () => {
    const files = ON_DISK.filter((f) => /^Media\/WhatsApp/i.test(f.path)).map((f) => ({ path: f.path.slice(6), size: f.size }));
    const r = matchMedia(buildMediaIndex(files), REFS);
    expect(r.links.size).toBe(17);
  });

  it('asks for no hashes when nothing can match by hash', () => {
    const index = buildMediaIndex(listing('WhatsApp/'));
    const noHash = REFS.map((r) => ({ ...r, fileHash: undefined }));
    const r = matchMedia(index, noHash);
    expect(r.needsHash).toEqual([]);
    expect(r.links.size).toBe(17);
    expect(mediaReport(index, noHash, r).missing).toBe(4);
  });

  it('does not link a wrong hash', () => {
    const index = buildMediaIndex(listing(''));
    const first = matchMedia(index, REFS);
    const wrong = new Map(first.needsHash.map((i) => [i, sha('something else')]));
    expect(matchByHash(first, wrong).links.has(13)).toBe(false);
  });

  it('prefers the copy with the recorded size when two roots hold the same path', () => {
    const files: FolderFile[] = [
      { path: 'sdcard/WhatsApp/Media/WhatsApp Images/IMG-20250712-WA0000.jpg', size: 5 },
      { path: 'sdcard/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Images/IMG-20250712-WA0000.jpg', size: 120_001 },
    ];
    const index = buildMediaIndex(files);
    expect(index.roots).toEqual(['sdcard/Android/media/com.whatsapp/WhatsApp/Media/', 'sdcard/WhatsApp/Media/']);
    expect(matchMedia(index, [REFS[0]!]).links.get(1)).toEqual({ file: 1, how: 'path' });
  });

  it('does not take a lenient Sent/ match of another size, nor a name shared by two files', () => {
    const files: FolderFile[] = [
      { path: 'Media/WhatsApp Images/IMG-20250716-WA0001.jpg', size: 1 },
      { path: 'Media/WhatsApp Images/IMG-1.jpg', size: 10 },
      { path: 'Media/WhatsApp Images/Sent/IMG-1.jpg', size: 11 },
    ];
    const index = buildMediaIndex(files);
    const r = matchMedia(index, [
      { id: 1, filePath: 'Media/WhatsApp Images/Sent/IMG-20250716-WA0001.jpg', size: 120_014 },
      { id: 2, filePath: 'Media/Other/IMG-1.jpg' },
      { id: 3, filePath: 'Media/Other/IMG-20250716-WA0001.jpg' },
    ]);
    expect([...r.links]).toEqual([[3, { file: 0, how: 'name' }]]);
  });

  it('normalizes base64 and base64url hashes alike', () => {
    const h = sha('x');
    expect(normalizeHash(h.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toBe(normalizeHash(h));
  });

  it('buckets by kind, else folder, else extension', () => {
    expect(bucketOf({ id: 0, kind: 'voice' })).toBe('audio');
    expect(bucketOf({ id: 0, kind: 'video-note' })).toBe('video');
    expect(bucketOf({ id: 0, filePath: 'Media/WhatsApp Animated Gifs/VID-1.mp4' })).toBe('gif');
    expect(bucketOf({ id: 0, filePath: 'Media/WhatsApp Voice Notes/202101/PTT-1.opus' })).toBe('audio');
    expect(bucketOf({ id: 0, filePath: 'x/y.heic' })).toBe('image');
    expect(bucketOf({ id: 0, filePath: 'x/y.zip' })).toBe('document');
    expect(bucketOf({ id: 0 })).toBe('other');
  });
});
