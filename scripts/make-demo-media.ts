/**
 * A WhatsApp folder for the demo backup, for tests: `npx tsx scripts/make-demo-media.ts <outDir>`
 * writes `<outDir>/WhatsApp/Media/…` with tiny REAL files at the demo's `file_path`s (read from
 * public/demo/msgstore.db.crypt15 itself), and returns/prints a manifest of what it did.
 *
 * - photos: valid small JPEGs (scripts/lib/tiny-jpeg.ts); the last photo is left out (missing);
 *   the second one is moved to another folder and padded to the size the database records, so it
 *   links by file name + size (`name-size`). A true rename (another name) could only link by
 *   `file_hash`, but the demo's hashes are SHA-256 of a seed string, not of any file
 *   (scripts/lib/msgstore-builder.ts `fileHash`), so no real file can match them;
 * - voice notes: a short valid WAV (a 440 Hz tone) at the `.opus` path (browsers sniff the bytes);
 * - documents: a minimal valid one-page PDF;
 * - the first video: only `<name>.mcrypt1` (Google Drive's encrypted copy), so it is `encrypted`;
 * - everything else (videos, GIFs, stickers, audio files) is missing.
 * Nothing here is committed: tests write it into a temp dir.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decryptBackup } from '../src/core/backup/decrypt';
import { parseKeyText } from '../src/core/backup/key';
import { encodeJpeg } from './lib/tiny-jpeg';
import { DEMO_KEY_HEX } from './make-demo';
import { ROOT_DIR, loadSqlite } from './lib/msgstore-gen';

export interface DemoMediaRow {
  chatJid: string;
  filePath: string;
  size: number;
  mime?: string;
  bucket: 'image' | 'video' | 'gif' | 'sticker' | 'audio' | 'document';
  /** What the script did for this row. */
  written: 'path' | 'moved' | 'mcrypt1' | 'missing';
}

export interface DemoMediaManifest {
  /** The folder to pick (`<outDir>/WhatsApp`). */
  root: string;
  rows: DemoMediaRow[];
}

function bucketOf(path: string): DemoMediaRow['bucket'] {
  if (path.includes('WhatsApp Images/')) return 'image';
  if (path.includes('WhatsApp Animated Gifs/')) return 'gif';
  if (path.includes('WhatsApp Video/')) return 'video';
  if (path.includes('WhatsApp Stickers/')) return 'sticker';
  if (path.includes('WhatsApp Documents/')) return 'document';
  return 'audio';
}

/** A small gradient photo. */
function photo(seed: number): Uint8Array {
  const w = 96;
  const h = 72;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      rgb[i] = (x * 2 + seed * 40) & 0xff;
      rgb[i + 1] = (y * 3 + seed * 70) & 0xff;
      rgb[i + 2] = 160;
    }
  }
  return encodeJpeg(w, h, rgb, 70);
}

/** 0.5 s of a 440 Hz tone, 8 kHz mono 16-bit PCM WAV. */
function wav(): Uint8Array {
  const rate = 8000;
  const n = rate / 2;
  const out = new Uint8Array(44 + n * 2);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + n * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), true);
  return out;
}

/** A minimal valid one-page PDF with a correct xref table. */
function pdf(title: string): Uint8Array {
  const text = title.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** The demo's media rows, oldest message first. */
async function demoRows(): Promise<Omit<DemoMediaRow, 'written'>[]> {
  const encrypted = readFileSync(resolve(ROOT_DIR, 'public/demo/msgstore.db.crypt15'));
  const parsed = parseKeyText(DEMO_KEY_HEX);
  if (!parsed.ok) throw new Error('demo key');
  const parts: Uint8Array[] = [];
  await decryptBackup(
    { size: encrypted.length, read: async (o, n) => new Uint8Array(encrypted.subarray(o, o + n)) },
    { kind: 'crypt15', root: parsed.key },
    (chunk) => void parts.push(chunk.slice()),
  );
  const bytes = new Uint8Array(Buffer.concat(parts));
  const sqlite3 = await loadSqlite();
  const db = new sqlite3.oo1.DB();
  const p = sqlite3.wasm.allocFromTypedArray(bytes);
  sqlite3.capi.sqlite3_deserialize(db.pointer!, 'main', p, bytes.length, bytes.length, sqlite3.capi.SQLITE_DESERIALIZE_FREEONCLOSE);
  const rows = db.selectObjects(
    `SELECT j.raw_string AS chatJid, mm.file_path AS filePath, mm.file_size AS size, mm.mime_type AS mime
     FROM message_media mm JOIN message m ON m._id = mm.message_row_id JOIN chat c ON c._id = m.chat_row_id JOIN jid j ON j._id = c.jid_row_id
     WHERE mm.file_path IS NOT NULL ORDER BY m._id`,
  ) as { chatJid: string; filePath: string; size: number; mime: string | null }[];
  db.close();
  return rows.map((r) => ({ chatJid: r.chatJid, filePath: r.filePath, size: Number(r.size), mime: r.mime ?? undefined, bucket: bucketOf(r.filePath) }));
}

export async function makeDemoMedia(outDir: string): Promise<DemoMediaManifest> {
  const root = resolve(outDir, 'WhatsApp');
  const rows = await demoRows();
  // Status (hidden in the app) is no chat: its rows are written like any other, but the left-out
  // and moved photos are chosen among the chats'.
  const images = rows.filter((r) => r.bucket === 'image' && r.chatJid !== 'status@broadcast');
  const missingImage = images[images.length - 1];
  const movedImage = images[1];
  const firstVideo = rows.find((r) => r.bucket === 'video');
  const out: DemoMediaRow[] = [];
  let seed = 0;
  const write = (rel: string, bytes: Uint8Array) => {
    const path = resolve(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  };
  for (const r of rows) {
    let written: DemoMediaRow['written'] = 'missing';
    if (r.bucket === 'image' && r !== missingImage) {
      if (r === movedImage) {
        const jpeg = photo(seed++);
        const padded = new Uint8Array(Math.max(r.size, jpeg.length));
        padded.set(jpeg); // bytes after the JPEG's end marker are ignored by decoders
        write(`Media/Moved here/${r.filePath.split('/').pop()}`, padded);
        written = 'moved';
      } else {
        write(r.filePath, photo(seed++));
        written = 'path';
      }
    } else if (r.bucket === 'audio' && r.filePath.endsWith('.opus')) {
      write(r.filePath, wav());
      written = 'path';
    } else if (r.bucket === 'document') {
      write(r.filePath, pdf(r.filePath.split('/').pop() ?? 'Document'));
      written = 'path';
    } else if (r === firstVideo) {
      write(`${r.filePath}.mcrypt1`, new Uint8Array(64).fill(7));
      written = 'mcrypt1';
    }
    out.push({ ...r, written });
  }
  return { root, rows: out };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: tsx scripts/make-demo-media.ts <outDir>');
  const m = await makeDemoMedia(resolve(outDir));
  const count = (w: DemoMediaRow['written']) => m.rows.filter((r) => r.written === w).length;
  console.log(`${m.root}: ${m.rows.length} media rows; ${count('path')} at their path, ${count('moved')} moved, ${count('mcrypt1')} .mcrypt1, ${count('missing')} missing`);
}
