/**
 * Media in the encrypted copy (docs/FORMATS.md, "Versions" and "Media records"): files written as
 * `media` / `mediaFile` / `mediaData` records in a v2 archive round-trip byte for byte at any
 * size (0 bytes, under and over a chunk, over a mediaData piece); any flipped bit or truncation
 * of such a file fails; the record checker refuses media in v1, files of the wrong length, bad
 * order and wrong counts; a v2 file cannot be passed off as v1.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MEDIA_PIECE_BYTES,
  RecordChecker,
  encodeRecord,
  mediaFileRecords,
  type ArchiveRecord,
  type MediaFileInfo,
} from '../../src/core/archive/records';
import { sealArchive } from '../../src/core/archive/stream';
import { readArchive } from '../../src/core/archive/read';
import { FORMAT_VERSION_MEDIA, HEADER_BYTES, type FormatVersion } from '../../src/core/archive/format';
import { isUnsealError, type UnsealError } from '../../src/core/errors';
import { FAST_KDF, PASS, collect, concat, fixChecksum, memSource, rand } from './helpers';

interface MediaInput {
  info: MediaFileInfo;
  bytes: Uint8Array;
}

const chat = (id: number) => ({ id, jid: `${id}@s.whatsapp.net`, title: `Chat ${id}`, kind: 'person', archived: false, pinned: false, muted: false, messageCount: 1, lastActivity: 0 });

/** The bytes as a File stream would give them: in pieces of the sizes `cuts` picks. */
async function* inPieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of cuts) {
    if (at >= bytes.length) break;
    const n = Math.min(bytes.length - at, 1 + c);
    yield bytes.subarray(at, at + n);
    at += n;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

/** A small library with `files` as its media section, sealed as v2. */
async function sealWithMedia(files: MediaInput[], chunkSize: number, cuts: number[] = [70_000]): Promise<Uint8Array> {
  const chatIds = [...new Set(files.map((f) => f.info.chatId))].sort((a, b) => a - b);
  async function* payload() {
    yield encodeRecord({ type: 'library', library: { id: 'lib', fileName: 'msgstore.db.crypt15' } });
    for (const id of chatIds) yield encodeRecord({ type: 'chat', chat: chat(id) as never });
    yield encodeRecord({ type: 'media', files: files.length, bytes: files.reduce((n, f) => n + f.bytes.length, 0) });
    for (const f of files) yield* mediaFileRecords(f.info, inPieces(f.bytes, cuts));
    yield encodeRecord({ type: 'end', chats: chatIds.length, pages: 0, searchBuckets: 0, mediaFiles: files.length });
  }
  return concat(await collect(sealArchive(payload(), PASS, { kdf: FAST_KDF, chunkSize, version: FORMAT_VERSION_MEDIA })));
}

/** Restores the way the worker does (readArchive: records checked for the header's version); returns each file with its bytes. */
async function restoreMedia(file: Uint8Array): Promise<{ version: FormatVersion; files: MediaInput[] }> {
  let version: FormatVersion | undefined;
  const files: MediaInput[] = [];
  let pieces: Uint8Array[] = [];
  for await (const r of readArchive(memSource(file), PASS, { onHeader: (h) => (version = h.version) })) {
    if (r.type === 'mediaFile') {
      const { type: _t, ...info } = r;
      files.push({ info, bytes: new Uint8Array(0) });
      pieces = [];
    }
    if (r.type === 'mediaData') pieces.push(r.bytes);
    if (files.length > 0 && (r.type === 'mediaFile' || r.type === 'mediaData')) files[files.length - 1]!.bytes = concat(pieces);
  }
  return { version: version!, files };
}

async function restoreError(file: Uint8Array): Promise<UnsealError> {
  try {
    await restoreMedia(file);
  } catch (e) {
    if (isUnsealError(e)) return e;
    throw e;
  }
  throw new Error('the archive restored');
}

const sizeArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 63 }), fc.integer({ min: 64, max: 3000 }));
const filesArb = fc
  .uniqueArray(
    fc.record({ chatId: fc.integer({ min: -3, max: 5 }), pos: fc.nat(2000), size: sizeArb, mime: fc.option(fc.constantFrom('image/jpeg', 'audio/ogg; codecs=opus'), { nil: undefined }), name: fc.string({ maxLength: 30 }) }),
    { selector: (f) => `${f.chatId}:${f.pos}`, maxLength: 6 },
  )
  .map((fs) =>
    fs
      .sort((a, b) => a.chatId - b.chatId || a.pos - b.pos)
      .map(({ size, ...info }) => ({ info: { ...info, size }, bytes: rand(size) })),
  );

describe('media records', () => {
  it('random media files (0 bytes, under and over a chunk) round-trip byte for byte [media round trip]', async () => {
    await fc.assert(
      fc.asyncProperty(filesArb, fc.integer({ min: 64, max: 512 }), fc.array(fc.nat(700), { maxLength: 8 }), async (files, chunkSize, cuts) => {
        const restored = await restoreMedia(await sealWithMedia(files, chunkSize, cuts));
        expect(restored.version).toBe(2);
        expect(restored.files).toStrictEqual(files);
      }),
      { numRuns: 60 },
    );
  });

  it('a file larger than a mediaData piece and than a 64 KiB chunk is split, never held whole by the writer', async () => {
    const big = rand(MEDIA_PIECE_BYTES * 2 + 12_345);
    const records = await collect(mediaFileRecords({ chatId: 1, pos: 7, name: 'VID.mp4', mime: 'video/mp4', size: big.length }, inPieces(big, [1_000_000, 5, 99_999])));
    // 1 mediaFile record, then pieces of at most MEDIA_PIECE_BYTES (+ a few bytes of framing).
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const r of records) expect(r.length).toBeLessThan(MEDIA_PIECE_BYTES + 64);
    const files = [{ info: { chatId: 1, pos: 7, name: 'VID.mp4', mime: 'video/mp4', size: big.length }, bytes: big }, { info: { chatId: 1, pos: 8, name: 'empty', size: 0 }, bytes: new Uint8Array(0) }];
    const restored = await restoreMedia(await sealWithMedia(files, 64 * 1024));
    expect(restored.files).toStrictEqual(files);
  });

  it('a stream longer or shorter than the announced size is refused while writing', async () => {
    const bytes = rand(100);
    await expect(collect(mediaFileRecords({ chatId: 1, pos: 1, name: 'a', size: 99 }, inPieces(bytes, [10])))).rejects.toMatchObject({ code: 'internal' });
    await expect(collect(mediaFileRecords({ chatId: 1, pos: 1, name: 'a', size: 101 }, inPieces(bytes, [10])))).rejects.toMatchObject({ code: 'internal' });
  });

  it('any flipped bit in a file with media fails [media: any flipped bit]', async () => {
    await fc.assert(
      fc.asyncProperty(filesArb, fc.integer({ min: 64, max: 300 }), fc.nat(), fc.integer({ min: 0, max: 7 }), async (files, chunkSize, at, bit) => {
        const file = await sealWithMedia(files, chunkSize);
        const i = at % file.length;
        const bad = file.slice();
        bad[i] ^= 1 << bit;
        const e = await restoreError(bad);
        // The magic line's digit: '2' becomes '3' or '6' (a newer version) or a non-digit.
        if (i < 15) expect(e.code).toBe('not-a-backup');
        else if (i === 16 && '36'.includes(String.fromCharCode(bad[16]))) expect(e.code).toBe('unsupported-version');
        else expect(e.code, `byte ${i} bit ${bit}: ${e.message}`).toBe('corrupt');
      }),
      { numRuns: 250 },
    );
  });

  it('any truncation of a file with media is truncated [media: any truncation]', async () => {
    await fc.assert(
      fc.asyncProperty(filesArb, fc.integer({ min: 64, max: 300 }), fc.nat(), async (files, chunkSize, cut) => {
        const file = await sealWithMedia(files, chunkSize);
        expect((await restoreError(file.subarray(0, cut % file.length))).code).toBe('truncated');
      }),
      { numRuns: 150 },
    );
  });

  it('a v2 file relabelled v1 fails the header MAC: media cannot be silently dropped by a downgrade', async () => {
    const file = await sealWithMedia([{ info: { chatId: 1, pos: 1, name: 'a.jpg', size: 10 }, bytes: rand(10) }], 64);
    expect(String.fromCharCode(...file.subarray(0, 18))).toBe('unseal-archive/v2\n');
    const relabelled = file.slice();
    relabelled[16] = '1'.charCodeAt(0);
    const e = await restoreError(fixChecksum(relabelled));
    expect(e.code).toBe('corrupt');
    expect(e.detail.reason).toBe('header-mac');
    expect(HEADER_BYTES).toBe(154); // v2's header is v1's, byte for byte apart from the digit
  });
});

describe('RecordChecker, media section [media order]', () => {
  const lib: ArchiveRecord = { type: 'library', library: { id: 'x' } };
  const chat1: ArchiveRecord = { type: 'chat', chat: chat(1) as never };
  const file = (pos: number, size: number): ArchiveRecord => ({ type: 'mediaFile', chatId: 1, pos, name: 'f', size });
  const data = (n: number): ArchiveRecord => ({ type: 'mediaData', bytes: new Uint8Array(n) });
  const end = (mediaFiles?: number): ArchiveRecord => ({ type: 'end', chats: 1, pages: 0, searchBuckets: 0, mediaFiles });
  const run = (records: ArchiveRecord[], version: FormatVersion = 2) => {
    const c = new RecordChecker(version);
    for (const r of records) c.accept(r);
    c.finish();
  };
  const corrupt = (records: ArchiveRecord[], version: FormatVersion = 2) => {
    let e: unknown;
    try {
      run(records, version);
    } catch (x) {
      e = x;
    }
    expect(isUnsealError(e, 'corrupt'), `${JSON.stringify(records.map((r) => r.type))}: ${String(e)}`).toBe(true);
  };

  it('accepts a well-formed media section, and an empty one', () => {
    run([lib, chat1, { type: 'media', files: 2, bytes: 5 }, file(1, 0), file(2, 5), data(2), data(3), end(2)]);
    run([lib, chat1, { type: 'media', files: 0, bytes: 0 }, end(0)]);
  });

  it('refuses media in v1, and a v2 payload without its media record', () => {
    corrupt([lib, chat1, { type: 'media', files: 0, bytes: 0 }, end(0)], 1);
    corrupt([lib, chat1, end(0)], 1);
    corrupt([lib, chat1, end(0)]);
    corrupt([lib, chat1, end()]);
  });

  it('refuses files of the wrong length, stray data, bad order and wrong counts', () => {
    const media = (files: number, bytes: number): ArchiveRecord => ({ type: 'media', files, bytes });
    corrupt([lib, chat1, media(1, 5), file(1, 5), data(4), end(1)]); // short, then end
    corrupt([lib, chat1, media(2, 5), file(1, 5), data(4), file(2, 0), end(2)]); // short, then the next file
    corrupt([lib, chat1, media(1, 5), file(1, 5), data(6), end(1)]); // past its size
    corrupt([lib, chat1, media(1, 0), data(1), file(1, 0), end(1)]); // data outside a file
    corrupt([lib, chat1, media(1, 1), file(1, 1), data(0), data(1), end(1)]); // an empty piece
    corrupt([lib, chat1, media(2, 0), file(2, 0), file(1, 0), end(2)]); // out of order
    corrupt([lib, chat1, media(2, 0), file(1, 0), file(1, 0), end(2)]); // twice
    corrupt([lib, chat1, media(1, 0), { type: 'mediaFile', chatId: 9, pos: 1, name: 'f', size: 0 }, end(1)]); // unknown chat
    corrupt([lib, chat1, media(1, 0), file(1, 0), end(2)]); // end count
    corrupt([lib, chat1, media(2, 0), file(1, 0), end(1)]); // announced count
    corrupt([lib, chat1, media(1, 9), file(1, 3), data(3), end(1)]); // announced bytes
    corrupt([lib, chat1, media(1, 0), file(1, 0), { type: 'searchMeta', meta: {} as never }, end(1)]); // search after media
    corrupt([lib, chat1, media(0, 0), media(0, 0), end(0)]); // two media records
    corrupt([lib, chat1, file(1, 0), end(1)]); // a file before the media record
  });
});
