/**
 * Scale: a picked folder of 20,000 files against 100,000 media rows (the media share of a
 * ~1,000,000-message library). Behind MEDIA_SCALE=1: `MEDIA_SCALE=1 npx vitest run tests/media`.
 * Prints the time of each step; the budget for index + match + report is a few hundred ms.
 */
import { describe, expect, it } from 'vitest';
import { buildMediaIndex, matchByHash, matchMedia, mediaReport, type FolderFile, type MediaRef } from '../../src/core/media/paths';

const FILES = 20_000;
const REFS = 100_000;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOLDERS: [string, string, string, boolean][] = [
  ['image', 'WhatsApp Images', 'IMG', true],
  ['video', 'WhatsApp Video', 'VID', true],
  ['gif', 'WhatsApp Animated Gifs', 'VID', true],
  ['sticker', 'WhatsApp Stickers', 'STK', false],
  ['voice', 'WhatsApp Voice Notes', 'PTT', false],
  ['audio', 'WhatsApp Audio', 'AUD', true],
  ['document', 'WhatsApp Documents', 'DOC', true],
];
const EXT: Record<string, string> = { IMG: 'jpg', VID: 'mp4', STK: 'webp', PTT: 'opus', AUD: 'mp3', DOC: 'pdf' };

describe.skipIf(!process.env.MEDIA_SCALE)('media linking at scale', () => {
  it(`links ${FILES} files to ${REFS} media rows`, () => {
    const rand = rng(42);
    const refs: MediaRef[] = [];
    const files: FolderFile[] = [];
    const renamed: number[] = [];
    const root = 'Android/media/com.whatsapp/WhatsApp/';
    for (let i = 0; i < REFS; i++) {
      const [kind, folder, prefix, sent] = FOLDERS[Math.floor(rand() * FOLDERS.length)]!;
      const day = 20180101 + Math.floor(i / 400);
      const out = sent && rand() < 0.3 ? 'Sent/' : '';
      const name = `${prefix}-${day}-WA${String(i % 10000).padStart(4, '0')}.${EXT[prefix]}`;
      const sub = kind === 'voice' ? `${String(day).slice(0, 6)}/` : '';
      const path = `Media/${folder}/${out}${sub}${name}`;
      const size = 10_000 + Math.floor(rand() * 5_000_000);
      refs.push({ id: i + 2, kind, filePath: path, size, fileHash: `hash-${i}` });
      // every 5th row has its file; of those, 5% sit outside Sent/, 1% were renamed
      if (i % 5 === 0) {
        const r = rand();
        const onDisk = r < 0.01 ? `Media/${folder}/renamed-${i}.${EXT[prefix]}` : r < 0.06 ? `Media/${folder}/${sub}${name}` : path;
        if (r < 0.01) renamed.push(files.length);
        files.push({ path: root + onDisk, size });
      }
    }
    expect(files.length).toBe(FILES);

    const t0 = performance.now();
    const index = buildMediaIndex(files);
    const t1 = performance.now();
    const first = matchMedia(index, refs);
    const t2 = performance.now();
    // the caller hashes only `needsHash`; here the "hash" of file k is the id of the row it belongs to
    const hashes = new Map<number, string>();
    const rowOfFile = new Map<number, number>();
    for (let i = 0, k = 0; i < REFS; i += 5, k++) rowOfFile.set(k, i);
    for (const f of first.needsHash) hashes.set(f, `hash-${rowOfFile.get(f)}`);
    const done = matchByHash(first, hashes);
    const t3 = performance.now();
    const report = mediaReport(index, refs, done);
    const t4 = performance.now();

    console.log(
      `[media scale] ${FILES} files × ${REFS} rows: index ${(t1 - t0).toFixed(0)} ms, match ${(t2 - t1).toFixed(0)} ms, ` +
        `hash step ${(t3 - t2).toFixed(0)} ms (${first.needsHash.length} files to hash for ${first.pending.length} rows), ` +
        `report ${(t4 - t3).toFixed(0)} ms; total ${(t4 - t0).toFixed(0)} ms; found ${report.found}, by ${JSON.stringify(report.byHow)}`,
    );
    expect(report.found).toBe(FILES);
    expect(report.byHow.hash).toBe(renamed.length);
    expect(first.needsHash.length).toBeLessThan(1000);
    expect(t4 - t0).toBeLessThan(2000);
  });
});
