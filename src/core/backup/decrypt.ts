/**
 * Decrypt a WhatsApp Android backup (crypt12/14/15) in one streaming pass, with bounded memory
 * whatever its size, and say precisely why it fails (shared/spec/backup-formats.md §6, §11).
 *
 * Pass: header → key checks that need no decryption → AES-CTR peek at the first ciphertext bytes
 * (wrong key fails here, fast; a ZIP payload is `not-a-chat-backup` before anything is written)
 * → one read over the body: MD5 (hash-wasm, incremental), AES-CTR + GHASH (gcm-stream.ts),
 * inflate (`opts.inflate`: DecompressionStream on this thread by default, or in a worker of its
 * own, src/worker/inflate-remote.ts), inflated chunks to `sink` → tag and MD5 checks at the end.
 *
 * Footer (§6): the ciphertext ends either 32 bytes before the end (tag + MD5; crypt12: 36, tag +
 * MD5 + 4-byte trailer; "layout A") or 16 before it (tag only; crypt12: 20; "layout B"). Layout
 * B's ciphertext is A's plus 16 bytes, so one pass computes both tags (GHASH state is read at
 * the end of A, then again at the end of B) and MD5(file[0 .. end of B)), which is exactly the
 * range the layout-A MD5 covers. Only layout A's ciphertext is inflated during the pass; the
 * 16 extra bytes are held back and inflated only if layout B's tag is the one that verifies.
 * So bytes after the zlib end never reach DecompressionStream (Chromium rejects them).
 *
 * **The sink sees plaintext before the tag is checked.** The caller must not keep or show
 * anything it received unless `decryptBackup` resolves; on rejection, discard it all.
 *
 * Failure codes:
 * - `key-file-as-backup`, `not-a-backup` (with `detail.found`): from the first bytes.
 * - `truncated`: the file ends inside the header, before a footer fits, or the zlib stream has
 *   not ended where the ciphertext does (and the tag fails).
 * - `corrupt`: the key is right (the start decrypts to zlib) but inflate fails, or the tag and MD5
 *   fail though the zlib stream is complete, or the body verifies but the MD5 (which also covers
 *   the unauthenticated header) does not; a crypt14/15 header that does not parse.
 * - `wrong-key`: the first bytes do not decrypt to zlib/ZIP/SQLite; or the tag fails while the MD5
 *   footer is intact.
 * - `key-wrong-type`, `key-mismatch` (legacy server salt, checked before decrypting), `bad-key`
 *   (`detail.reason = 'missing'` when `key` is null for an encrypted backup).
 * - `not-a-chat-backup`: the payload is a ZIP (stickers, wallpapers).
 * - `cancelled`: `opts.signal` fired (checked between chunks).
 * Errors thrown by `sink` or `source.read` propagate unchanged.
 */

import { createMD5 } from 'hash-wasm';
import { UnsealError, throwIfAborted } from '../errors';
import { bitDistance, equalBytes, equalBytesCt, looksLikeZlib, startsWith, SQLITE_MAGIC, ZIP_MAGIC } from './bytes';
import { createGcmDecryptor, ctrPeek } from './gcm-stream';
import { parseCrypt12Header, parseProtobufHeader, CRYPT12_HEADER_SIZE, type BackupHeader } from './header';
import { deriveCrypt15Key } from './hkdf';
import { inThreadInflate, SinkFailure, type InflateStepFactory } from './inflate';
import type { KeyMaterial } from './key';
import { HEAD_BYTES, sniffBackup, type SniffResult } from './sniff';

/** Random-access bytes. A browser `File` is wrapped with `blob.slice(o, o + n).arrayBuffer()`. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type BackupFormat = 'crypt12' | 'crypt14' | 'crypt15' | 'sqlite';

export interface BackupInfo {
  format: BackupFormat;
  payload: 'sqlite';
  appVersion?: string;
  jidSuffix?: string;
  bytesIn: number;
  bytesOut: number;
  /** 'ok': the MD5 footer was present and matched; 'absent': no MD5 footer (or a plain file). */
  md5: 'ok' | 'absent';
}

export interface DecryptProgress {
  phase: 'decrypting';
  done: number;
  total: number;
}

export interface DecryptOptions {
  signal?: AbortSignal;
  onProgress?: (p: DecryptProgress) => void;
  /** Bytes read per step; a multiple of 16. Default 4 MiB. */
  chunkSize?: number;
  /**
   * Runs the zlib inflate (inflate.ts `InflateStep`). Default: `inThreadInflate`. It is given the
   * decrypted chunks themselves (it may transfer them away), before the tag is checked.
   */
  inflate?: InflateStepFactory;
}

export const DEFAULT_CHUNK_SIZE = 4 << 20;
/** Ciphertext bytes needed to tell anything (a zlib header). */
const MIN_CIPHERTEXT = 2;
const PEEK_BYTES = 64;
/**
 * A legacy key whose server salt differs from the header's by at most this many bits is taken to
 * be the right key on a damaged header (another install's salt differs in ~128 of 256 bits).
 */
const SALT_DAMAGE_BITS = 4;

class SourceFailure {
  constructor(readonly error: unknown) {}
}

async function readAt(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await source.read(offset, length);
  } catch (e) {
    throw new SourceFailure(e);
  }
  if (bytes.length !== length) {
    throw new UnsealError('truncated', 'The file got shorter while it was being read.', {
      where: 'read',
      offset,
      expected: length,
      found: bytes.length,
    });
  }
  return bytes;
}

export async function decryptBackup(
  source: ByteSource,
  key: KeyMaterial | null,
  sink: (chunk: Uint8Array) => Promise<void> | void,
  opts: DecryptOptions = {},
): Promise<BackupInfo> {
  const guardedSink = async (chunk: Uint8Array): Promise<void> => {
    try {
      await sink(chunk);
    } catch (e) {
      throw new SinkFailure(e);
    }
  };
  try {
    return await run(source, key, guardedSink, opts);
  } catch (e) {
    if (e instanceof SinkFailure || e instanceof SourceFailure) throw e.error;
    if (e instanceof UnsealError) throw e;
    throw new UnsealError('internal', `Decrypting the backup failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, {
      step: 'decrypt-backup',
    });
  }
}

async function run(
  source: ByteSource,
  key: KeyMaterial | null,
  sink: (chunk: Uint8Array) => Promise<void>,
  opts: DecryptOptions,
): Promise<BackupInfo> {
  const { signal, onProgress } = opts;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 16 || chunkSize % 16 !== 0) {
    throw new UnsealError('internal', `chunkSize must be a positive multiple of 16, got ${chunkSize}`, { step: 'decrypt-backup' });
  }
  const N = source.size;
  throwIfAborted(signal);
  const head = await readAt(source, 0, Math.min(N, HEAD_BYTES));
  let sniffed: SniffResult = sniffBackup(head, N);
  // A crypt12 whose 3 signature bytes are damaged still carries the key's 32-byte server salt.
  if (sniffed.kind === 'unknown' && key?.kind === 'legacy' && N >= CRYPT12_HEADER_SIZE && bitDistance(head.subarray(3, 35), key.serverSalt) <= SALT_DAMAGE_BITS) {
    sniffed = { kind: 'crypt12', damaged: true };
  }

  switch (sniffed.kind) {
    case 'sqlite':
      return passThrough(source, head, sink, opts, chunkSize);
    case 'key-file':
      throw new UnsealError('key-file-as-backup', 'This is a key file, not a backup.', { keyKind: sniffed.keyKind, size: N });
    case 'zip':
      throw new UnsealError('not-a-backup', 'This is a ZIP archive, not a WhatsApp backup.', { found: 'zip' });
    case 'unseal-archive':
      throw new UnsealError('not-a-backup', 'This is an Unseal archive, not a WhatsApp backup.', { found: 'unseal-archive' });
    case 'unknown':
      throw new UnsealError('not-a-backup', 'This is not a WhatsApp Android backup (crypt12, crypt14 or crypt15).', {
        found: sniffed.looksLike ?? 'unknown',
        size: N,
      });
  }

  const header = sniffed.kind === 'crypt12' ? parseCrypt12Header(head, N) : parseProtobufHeader(head, N);
  const format = header.format;
  if (!key) throw new UnsealError('bad-key', `This ${format} backup needs its key.`, { reason: 'missing', format });
  const aesKey = await keyFor(header, key);

  // ---- footer layouts
  const crypt12 = format === 'crypt12';
  const footA = crypt12 ? 36 : 32;
  const footB = crypt12 ? 20 : 16;
  const S = header.dataOffset;
  const eB = N - footB; // end of layout B's ciphertext = end of the MD5-covered range
  if (eB - S < MIN_CIPHERTEXT) {
    throw new UnsealError('truncated', 'The file ends before the encrypted data and its footer.', {
      where: 'footer',
      format,
      size: N,
      needed: S + MIN_CIPHERTEXT + footB,
    });
  }
  const aPossible = N - footA >= S;
  const eA = aPossible ? N - footA : S;
  const tailStart = Math.max(0, N - footA);
  const tail = await readAt(source, tailStart, N - tailStart);
  const slice = (from: number, len: number) => tail.subarray(from - tailStart, from - tailStart + len);
  const tagA = aPossible ? slice(N - footA, 16) : null;
  const storedMd5 = aPossible ? slice(eB, 16) : null;
  const tagB = slice(eB, 16);
  const jidSuffix = crypt12 ? crypt12Suffix(slice(N - 4, 4)) : header.jidSuffix;

  // ---- peek: is the key right, and what is inside?
  const peekLen = Math.min(PEEK_BYTES, eB - S);
  const peekCt = S + peekLen <= head.length ? head.subarray(S, S + peekLen) : await readAt(source, S, peekLen);
  const first = await ctrPeek(aesKey, header.iv, peekCt);
  let mode: 'zlib' | 'raw';
  if (looksLikeZlib(first)) mode = 'zlib';
  else if (startsWith(first, ZIP_MAGIC)) {
    throw new UnsealError('not-a-chat-backup', 'This backup holds a ZIP archive (stickers or wallpapers), not chats.', { format, found: 'zip' });
  } else if (startsWith(first, SQLITE_MAGIC)) mode = 'raw';
  else {
    throw new UnsealError('wrong-key', 'The key does not open this backup.', { format, keyKind: key.kind, check: 'first-bytes' });
  }

  // ---- the pass
  throwIfAborted(signal);
  const md5 = await createMD5();
  md5.init();
  md5.update(head.subarray(0, S));
  const dec = await createGcmDecryptor(aesKey, header.iv);
  const inflater = mode === 'zlib' ? (opts.inflate ?? inThreadInflate)(sink) : null;
  let rawOut = 0;
  let payloadBad = false;
  const emit = async (plain: Uint8Array): Promise<void> => {
    if (payloadBad || plain.length === 0) return;
    if (inflater) payloadBad = !(await inflater.write(plain));
    else {
      rawOut += plain.length;
      await sink(plain);
    }
  };
  const held: Uint8Array[] = [];
  let tagAComputed: Uint8Array | null = aPossible && eA === S ? await dec.tag() : null;
  let finished = false;
  // Pipelined: the next slice is read while this one is processed, and inflating slice i overlaps
  // decrypting slice i + 1 (WebCrypto works on its own threads; the inflate on this thread or in
  // its own worker). At most one `write` is pending, and a step's `write` resolves only when it
  // has room, so memory stays at a few slices.
  let inflating: Promise<void> = Promise.resolve();
  const emitInOrder = async (plain: Uint8Array): Promise<void> => {
    await inflating;
    inflating = emit(plain);
  };
  try {
    let next: Promise<Uint8Array> | undefined = S < eB ? readAt(source, S, Math.min(chunkSize, eB - S)) : undefined;
    for (let off = S; off < eB; ) {
      if (signal?.aborted) throw new UnsealError('cancelled', 'Cancelled');
      const len = Math.min(chunkSize, eB - off);
      const ct = await next!;
      const after = off + len;
      next = after < eB ? readAt(source, after, Math.min(chunkSize, eB - after)) : undefined;
      // A read that fails while we are busy is reported when it is awaited, not as unhandled.
      next?.catch(() => undefined);
      md5.update(ct);
      if (!payloadBad) {
        // after a payload failure only the MD5 goes on: it decides wrong key vs damage
        const inA = Math.max(0, Math.min(len, eA - off));
        if (inA > 0) {
          await emitInOrder(await dec.update(ct.subarray(0, inA)));
          if (aPossible && off + inA === eA) tagAComputed = await dec.tag();
        }
        if (inA < len) held.push(await dec.update(ct.subarray(inA)));
      }
      off = after;
      onProgress?.({ phase: 'decrypting', done: off === eB ? N : off, total: N });
    }
    await inflating;
    if (eB === S) onProgress?.({ phase: 'decrypting', done: N, total: N });

    const md5ok = storedMd5 !== null && equalBytes(md5.digest('binary'), storedMd5);
    const base = { format, size: N };
    if (payloadBad) {
      if (md5ok) throw new UnsealError('wrong-key', 'The key does not open this backup.', { ...base, keyKind: key.kind, check: 'tag', md5: 'ok' });
      throw new UnsealError('corrupt', 'The backup is damaged: its compressed data is invalid.', { ...base, where: 'data', check: 'inflate' });
    }
    const okA = tagA !== null && tagAComputed !== null && equalBytesCt(tagAComputed, tagA);
    const okB = !okA && (await dec.verify(tagB));
    if (okB && expectsMd5(header)) {
      // The body is intact, but a file of this shape always ends with an MD5 footer: it was cut off.
      throw new UnsealError('truncated', 'The backup is cut short: its checksum at the end is missing.', { ...base, where: 'footer', check: 'md5' });
    }
    if (okA || okB) {
      if (okA && !md5ok) {
        throw new UnsealError('corrupt', 'The backup is damaged: its checksum does not match (the header was changed).', {
          ...base,
          where: 'header-or-checksum',
          check: 'md5',
        });
      }
      if (okB) for (const h of held) await emit(h);
      const outcome = inflater ? await inflater.close() : 'ok';
      if (payloadBad || outcome !== 'ok') {
        throw new UnsealError('corrupt', 'The backup decrypts, but its compressed data is invalid.', {
          ...base,
          where: 'data',
          check: outcome === 'unfinished' ? 'zlib-end' : 'inflate',
          authenticated: true,
        });
      }
      finished = true;
      return {
        format,
        payload: 'sqlite',
        ...(header.appVersion !== undefined ? { appVersion: header.appVersion } : {}),
        ...(jidSuffix !== undefined ? { jidSuffix } : {}),
        bytesIn: N,
        bytesOut: inflater ? inflater.bytesOut : rawOut,
        md5: okA ? 'ok' : 'absent',
      };
    }
    // No layout's tag verifies.
    if (md5ok) throw new UnsealError('wrong-key', 'The key does not open this backup.', { ...base, keyKind: key.kind, check: 'tag', md5: 'ok' });
    const outcome = inflater ? await inflater.close() : 'ok';
    finished = true;
    if (outcome === 'unfinished') {
      throw new UnsealError('truncated', 'The backup is cut short: its data ends early.', { ...base, where: 'data', check: 'zlib-end' });
    }
    if (outcome === 'bad-data') {
      throw new UnsealError('corrupt', 'The backup is damaged: its compressed data is invalid.', { ...base, where: 'data', check: 'inflate' });
    }
    // The zlib stream is complete and intact (or not inspectable: raw payload), yet tag and MD5 fail.
    throw new UnsealError('corrupt', 'The backup is damaged: its authentication tag and checksum do not match.', {
      ...base,
      where: inflater ? 'footer' : 'data',
      check: 'tag',
    });
  } finally {
    inflating.catch(() => undefined);
    if (!finished && inflater) await inflater.abort();
  }
}

async function keyFor(header: BackupHeader, key: KeyMaterial): Promise<Uint8Array> {
  const format = header.format;
  if (format === 'crypt15') {
    if (key.kind !== 'crypt15') {
      throw new UnsealError('key-wrong-type', 'A crypt15 backup needs the 64-digit key or encrypted_backup.key, not the legacy key file.', {
        format,
        keyKind: key.kind,
        expected: 'crypt15',
      });
    }
    return deriveCrypt15Key(key.root);
  }
  if (key.kind !== 'legacy') {
    throw new UnsealError('key-wrong-type', `A ${format} backup needs the legacy key file ("key"), not a 64-digit key.`, {
      format,
      keyKind: key.kind,
      expected: 'legacy',
    });
  }
  if (header.serverSalt && bitDistance(header.serverSalt, key.serverSalt) > SALT_DAMAGE_BITS) {
    throw new UnsealError('key-mismatch', 'This key file belongs to another WhatsApp install: its server salt differs from the backup’s.', {
      format,
      check: 'server-salt',
    });
  }
  return key.aesKey;
}

/**
 * Files that always end with an MD5 footer (§6): crypt12, and msgstore-shaped crypt14/15 (their
 * header has the backup version / feature flags, §5.2). Other crypt14/15 files (wa.db, stickers,
 * settings) may lack it, so for them a file cut exactly before its MD5 reads as complete.
 */
function expectsMd5(header: BackupHeader): boolean {
  return header.format === 'crypt12' || header.backupVersion !== undefined || Object.keys(header.features).length > 0;
}

function crypt12Suffix(trailer: Uint8Array): string | undefined {
  const s = String.fromCharCode(...trailer);
  return /^[-0-9]{2}[0-9]{2}$/.test(s) ? s.slice(2) : undefined;
}

async function passThrough(
  source: ByteSource,
  head: Uint8Array,
  sink: (chunk: Uint8Array) => Promise<void>,
  opts: DecryptOptions,
  chunkSize: number,
): Promise<BackupInfo> {
  const N = source.size;
  for (let off = 0; off < N; ) {
    throwIfAborted(opts.signal);
    const len = Math.min(chunkSize, N - off);
    const bytes = off + len <= head.length ? head.slice(off, off + len) : await readAt(source, off, len);
    await sink(bytes);
    off += len;
    opts.onProgress?.({ phase: 'decrypting', done: off, total: N });
  }
  return { format: 'sqlite', payload: 'sqlite', bytesIn: N, bytesOut: N, md5: 'absent' };
}
