/// <reference lib="webworker" />
/**
 * Bench-only worker: times the backup decrypt stage on a File, the way the app's worker reads it
 * (blob.slice(o, o + n).arrayBuffer(), 4 MiB steps). See protocol.ts for the modes.
 */
import { decryptBackup } from '../../../src/core/backup/decrypt';
import { createGcmDecryptor } from '../../../src/core/backup/gcm-stream';
import { parseProtobufHeader } from '../../../src/core/backup/header';
import { deriveCrypt15Key } from '../../../src/core/backup/hkdf';
import { Inflater } from '../../../src/core/backup/inflate';
import { offThreadInflate } from '../../../src/worker/inflate-remote';
import { fileSource } from '../../../src/worker/file-source';
import { parseKeyText } from '../../../src/core/backup/key';
import { createMD5 } from 'hash-wasm';
import type { BenchReply, BenchRequest, BenchResult } from './protocol';

declare const self: DedicatedWorkerGlobalScope;
declare const gc: (() => void) | undefined;

async function readAll(req: BenchRequest): Promise<BenchResult> {
  const { file, chunkSize } = req;
  const src = fileSource(file);
  let chunks = 0;
  const t0 = performance.now();
  for (let off = 0; off < file.size; off += chunkSize) {
    await src.read(off, Math.min(chunkSize, file.size - off));
    chunks++;
  }
  return { mode: 'read', ms: performance.now() - t0, bytesIn: file.size, bytesOut: 0, chunks };
}

async function md5Only(req: BenchRequest): Promise<BenchResult> {
  const { file, chunkSize } = req;
  const src = fileSource(file);
  let chunks = 0;
  const t0 = performance.now();
  const md5 = await createMD5();
  md5.init();
  for (let off = 0; off < file.size; off += chunkSize) {
    md5.update(await src.read(off, Math.min(chunkSize, file.size - off)));
    chunks++;
  }
  md5.digest('binary');
  return { mode: 'md5', ms: performance.now() - t0, bytesIn: file.size, bytesOut: 0, chunks };
}

async function inflateOnly(req: BenchRequest): Promise<BenchResult> {
  const zlib: Uint8Array[] = [];
  const pre = await gcmOnly(req, (plain) => zlib.push(plain));
  if (!pre.tagOk) throw new Error('tag mismatch');
  if (typeof gc === 'function') gc();
  let bytesOut = 0;
  let chunks = 0;
  const t0 = performance.now();
  const inflater = new Inflater((chunk) => {
    bytesOut += chunk.length;
    chunks++;
  });
  for (const piece of zlib) if (!(await inflater.write(piece))) throw new Error('inflate: bad data');
  const outcome = await inflater.close();
  if (outcome !== 'ok') throw new Error(`inflate: ${outcome}`);
  const ms = performance.now() - t0;
  return { mode: 'inflate', ms, bytesIn: zlib.reduce((n, z) => n + z.length, 0), bytesOut, tagOk: true, chunks };
}

async function gcmOnly(req: BenchRequest, keep?: (plain: Uint8Array) => void): Promise<BenchResult> {
  const { file, chunkSize } = req;
  const src = fileSource(file);
  const parsed = parseKeyText(req.keyHex);
  if (!parsed.ok) throw new Error(parsed.message);
  const t0 = performance.now();
  const head = await src.read(0, Math.min(file.size, 65536));
  const header = parseProtobufHeader(head, file.size);
  const aesKey = await deriveCrypt15Key(parsed.key);
  const dec = await createGcmDecryptor(aesKey, header.iv);
  // crypt15 msgstore layout: ciphertext ‖ 16-byte tag ‖ 16-byte MD5.
  const end = file.size - 32;
  let chunks = 0;
  let bytesOut = 0;
  // The next slice is read while this one is decrypted, as decryptBackup does.
  const readSlice = (off: number) => (off < end ? src.read(off, Math.min(chunkSize, end - off)) : undefined);
  let next = readSlice(header.dataOffset);
  for (let off = header.dataOffset; off < end; ) {
    const ct = await next!;
    off += ct.length;
    next = readSlice(off);
    const plain = await dec.update(ct);
    bytesOut += plain.length;
    keep?.(plain);
    chunks++;
  }
  const tagOk = await dec.verify(await src.read(end, 16));
  return { mode: 'gcm', ms: performance.now() - t0, bytesIn: file.size, bytesOut, tagOk, chunks };
}

async function full(req: BenchRequest): Promise<BenchResult> {
  const parsed = parseKeyText(req.keyHex);
  if (!parsed.ok) throw new Error(parsed.message);
  let bytesOut = 0;
  let chunks = 0;
  const t0 = performance.now();
  const info = await decryptBackup(
    fileSource(req.file),
    { kind: 'crypt15', root: parsed.key },
    (chunk) => {
      bytesOut += chunk.length;
      chunks++;
    },
    // The app's inflate step (src/worker/import.ts): in its own worker.
    { chunkSize: req.chunkSize, inflate: offThreadInflate },
  );
  const ms = performance.now() - t0;
  if (info.bytesOut !== bytesOut) throw new Error(`sink saw ${bytesOut} bytes, decryptBackup says ${info.bytesOut}`);
  return { mode: 'full', ms, bytesIn: req.file.size, bytesOut, tagOk: true, chunks };
}

self.addEventListener('message', async (event: MessageEvent<BenchRequest>) => {
  const req = event.data;
  let reply: BenchReply;
  try {
    if (typeof gc === 'function') gc();
    const run = { read: readAll, md5: md5Only, gcm: (r: BenchRequest) => gcmOnly(r), inflate: inflateOnly, full }[req.mode];
    const result = await run(req);
    reply = { ok: true, result };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  self.postMessage(reply);
});
