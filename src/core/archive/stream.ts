/**
 * Unseal encrypted archives (.unseal): Argon2id + STREAM AES-256-GCM, bounded memory both ways.
 * The format, every MUST and the error code of each failure: docs/FORMATS.md, "Unseal encrypted
 * archive". The STREAM construction is the one of age (C2SP age.md, FiloSottile/age
 * internal/stream): nonce = prefix (7) || counter (4, big-endian) || last-chunk flag (1).
 *
 * Keys live only inside the calls below (no module state); raw key bytes are zeroed after import,
 * and the CryptoKeys are non-extractable and dropped when the call or generator ends.
 *
 * ## How the worker uses it
 *
 * **Save encrypted copy** (a `ready` library → a .unseal file):
 * 1. Build an async generator of `encodeRecordParts(r)` (records.ts) over, in this order:
 *    the LibraryRecord without `state` → `{type:'library', library}`;
 *    every chat without `libraryId` → `{type:'chat', chat}`;
 *    every page in key order (chatId, page), without `libraryId` → `{type:'page', chatId, page, messages}`;
 *    the searchMeta record, if any, without `libraryId` → `{type:'searchMeta', meta}`;
 *    every searchBucket in key order, without `libraryId` → `{type:'searchBucket', bucket}`;
 *    with media (v2, `version: 2` in the options): `{type:'media', files, bytes}`, then per file
 *    `mediaFileRecords(info, file bytes)` (records.ts);
 *    last `{type:'end', chats, pages, searchBuckets}` (v2: `mediaFiles` too) with the counts sent.
 *    Read IndexedDB in batches (a cursor range per batch); never await the archive inside an
 *    IndexedDB transaction.
 * 2. `for await (const part of sealArchive(records, passphrase, { signal }))` write `part` to the
 *    output (a FileSystemWritableFileStream, or Blob parts transferred to the page). The first
 *    part is the 154-byte header; it comes after Argon2id (≈ 0.4 s, not interruptible: cancel by
 *    terminating the worker). Memory: one chunk (1 MiB) plus the record being encoded.
 *
 * **Open a .unseal through "Backup file"** (sniffBackup says `unseal-archive`):
 * 1. `source = { size: file.size, read: (o, n) => file.slice(o, o + n).arrayBuffer().then((b) => new Uint8Array(b)) }`.
 *    Optionally `readArchiveHeader(source)` first (no key) to show the KDF cost.
 * 2. `for await (const r of readArchive(source, passphrase, { signal, onProgress }))` (./read.ts:
 *    openArchive → decodeRecords, each record checked by a RecordChecker for the header's version):
 *    `LibraryWriter.begin` a *new* library id with `state: 'staging'` on the first record (keep
 *    the archived summary's fields, set `openedAt`), then stage each record (chats/pages through
 *    `writeBatch`, search records into their stores under the new id).
 * 3. Only after the loop has ended normally (readArchive has checked the end record's counts):
 *    `commit`. On any throw (`wrong-passphrase` comes before the first record;
 *    `corrupt`/`truncated` can come at the very last chunk; `cancelled`) `abort()` the staging
 *    library and report the code. Everything before the end of the loop is provisional: a damaged
 *    or cut file fails only when the reader gets to the damage.
 */

import { throwIfAborted, UnsealError } from '../errors';
import {
  BOUNDS,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_KDF,
  FINAL_FRAME_HEAD,
  FRAME_FINAL,
  FRAME_MORE,
  HEADER_BYTES,
  NONCE_PREFIX_BYTES,
  SALT_BYTES,
  TAG_BYTES,
  assertLength,
  chunkNonce,
  encodeHeaderStart,
  finishHeader,
  paramsProblem,
  parseHeader,
  type ArchiveHeader,
  type FormatVersion,
  type KdfParams,
} from './format';
import { deriveArchiveKeys, type DeriveKey } from './kdf';

/** Random access to the archive file (a File in the worker, bytes in tests). */
export interface ArchiveSource {
  size: number;
  /** Exactly `length` bytes at `offset` (offset + length ≤ size). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface WriteOptions {
  /** Argon2id parameters; default m = 64 MiB, t = 3, p = 1. */
  kdf?: KdfParams;
  /** Plaintext bytes per chunk; default 1 MiB. The format allows 64 B‥4 MiB; use 64 KiB‥4 MiB. */
  chunkSize?: number;
  /** Fixed salt and nonce prefix: test vectors only. Default: fresh random bytes. */
  salt?: Uint8Array;
  noncePrefix?: Uint8Array;
  /**
   * The magic line's version: 1 (default) for a payload without media records, 2 when it holds
   * media records (docs/FORMATS.md, "Versions").
   */
  version?: FormatVersion;
  signal?: AbortSignal;
  /** Argon2id; default kdf.ts `deriveKey` (in this thread). */
  deriveKey?: DeriveKey;
}

export interface OpenOptions {
  signal?: AbortSignal;
  /** Argon2id; default kdf.ts `deriveKey` (in this thread). */
  deriveKey?: DeriveKey;
  /** Called after the header and after each verified chunk, with file bytes done of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Called once the header has authenticated (passphrase right, MAC verified), before any chunk. */
  onHeader?: (header: ArchiveHeader) => void;
}

export interface ArchiveWriter {
  /** The 154-byte header: write it first. */
  readonly header: Uint8Array;
  readonly chunkSize: number;
  /**
   * Seals the next chunk and returns its frame in two parts: the head (the marker, and for the
   * final frame its length words) and the sealed chunk (WebCrypto's output, not copied into a
   * frame buffer: a second MiB of fresh memory per chunk). Non-final chunks MUST be exactly
   * `chunkSize` bytes; the final one 1‥chunkSize bytes (0 only when it is the first). After the
   * final chunk the writer refuses more. The chunk's place (its counter) and its bytes are taken
   * when the call is made (WebCrypto copies its input), so the caller may refill `plaintext` and
   * seal the next chunk before this one resolves; frames are in call order.
   */
  seal(plaintext: Uint8Array, last: boolean): Promise<[head: Uint8Array, sealed: Uint8Array]>;
}

function random(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Derives the keys (Argon2id: slow) and builds the header. */
export async function createArchiveWriter(passphrase: string, opts: WriteOptions = {}): Promise<ArchiveWriter> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('archive: the passphrase must be a non-empty string');
  const kdf = { ...(opts.kdf ?? DEFAULT_KDF) };
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const problem = paramsProblem(kdf, chunkSize);
  if (problem) throw new RangeError(`archive: ${problem.what} is out of bounds`);
  const salt = opts.salt ? new Uint8Array(opts.salt) : random(SALT_BYTES);
  const noncePrefix = opts.noncePrefix ? new Uint8Array(opts.noncePrefix) : random(NONCE_PREFIX_BYTES);
  assertLength(salt, SALT_BYTES, 'salt');
  assertLength(noncePrefix, NONCE_PREFIX_BYTES, 'noncePrefix');
  throwIfAborted(opts.signal);

  const keys = await deriveArchiveKeys(passphrase, salt, kdf, opts.deriveKey);
  throwIfAborted(opts.signal);
  const start = encodeHeaderStart({ version: opts.version, kdf, salt, chunkSize, noncePrefix, keyCheck: keys.check });
  keys.check.fill(0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.mac, start));
  const header = await finishHeader(start, mac);
  const payloadKey = keys.payload;

  let counter = 0;
  let finished = false;
  return {
    header,
    chunkSize,
    async seal(plaintext: Uint8Array, last: boolean): Promise<[head: Uint8Array, sealed: Uint8Array]> {
      if (finished) throw new Error('archive: the final chunk was already sealed');
      if (!(plaintext instanceof Uint8Array)) throw new TypeError('archive: a chunk must be a Uint8Array');
      if (last ? plaintext.length > chunkSize : plaintext.length !== chunkSize) {
        throw new RangeError(`archive: chunk ${counter} has ${plaintext.length} bytes; non-final chunks must have ${chunkSize}, the final one at most that`);
      }
      if (last && plaintext.length === 0 && counter > 0) throw new RangeError('archive: the final chunk may be empty only when it is the only chunk');
      if (counter > 0xffffffff) throw new RangeError('archive: too many chunks (the counter would wrap)');
      // Everything up to the encrypt call runs synchronously: the chunk's counter is claimed and
      // its bytes copied before the caller gets control back.
      const nonce = chunkNonce(noncePrefix, counter, last);
      counter++;
      if (last) finished = true;
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, tagLength: 128 }, payloadKey, plaintext as Uint8Array<ArrayBuffer>);
      const head = new Uint8Array(last ? FINAL_FRAME_HEAD : 1);
      if (last) {
        head[0] = FRAME_FINAL;
        const dv = new DataView(head.buffer);
        dv.setUint32(1, plaintext.length);
        dv.setUint32(5, ~plaintext.length >>> 0);
      } else {
        head[0] = FRAME_MORE;
      }
      return [head, new Uint8Array(sealed)];
    },
  };
}

/**
 * The whole archive as parts to write in order: the header, then each chunk's frame (in two
 * parts, see ArchiveWriter.seal). Input pieces may have any sizes; at most one chunk is buffered
 * and one is being sealed: while WebCrypto seals a chunk (off this thread), the next one is
 * filled from the payload.
 */
export async function* sealArchive(
  payload: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  passphrase: string,
  opts: WriteOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const writer = await createArchiveWriter(passphrase, opts);
  yield writer.header;
  const size = writer.chunkSize;
  const buf = new Uint8Array(size);
  let fill = 0;
  let sealing: Promise<Uint8Array[]> | undefined;
  /** Starts sealing `chunk` and returns the previous chunk's frame (to yield) once it is ready. */
  const sealNext = (chunk: Uint8Array, last: boolean): Promise<Uint8Array[]> | undefined => {
    const previous = sealing;
    sealing = writer.seal(chunk, last);
    // Awaited later (next call or the end); until then a failure must not count as unhandled.
    sealing.catch(() => undefined);
    return previous;
  };
  try {
    for await (const piece of payload) {
      if (!(piece instanceof Uint8Array)) throw new TypeError('sealArchive: payload pieces must be Uint8Arrays');
      let at = 0;
      while (at < piece.length) {
        throwIfAborted(opts.signal);
        if (fill === size) {
          // More bytes follow, so the buffered chunk is not the last.
          const ready = sealNext(buf, false);
          fill = 0;
          if (ready) yield* await ready;
        }
        if (fill === 0 && piece.length - at > size) {
          // A whole chunk with more after it, straight from the input: no copy.
          const ready = sealNext(piece.subarray(at, at + size), false);
          at += size;
          if (ready) yield* await ready;
          continue;
        }
        const n = Math.min(size - fill, piece.length - at);
        buf.set(piece.subarray(at, at + n), fill);
        fill += n;
        at += n;
      }
    }
    throwIfAborted(opts.signal);
    const ready = sealNext(buf.subarray(0, fill), true);
    if (ready) yield* await ready;
    yield* await sealing!;
  } finally {
    buf.fill(0);
  }
}

/** The header of an archive, checked as far as it can be without the passphrase (steps 1–5). */
export async function readArchiveHeader(source: ArchiveSource): Promise<ArchiveHeader> {
  const head = await readExactly(source, 0, Math.min(source.size, HEADER_BYTES));
  return parseHeader(head, source.size);
}

async function readExactly(source: ArchiveSource, offset: number, length: number): Promise<Uint8Array> {
  const b = await source.read(offset, length);
  if (!(b instanceof Uint8Array) || b.length !== length) throw new UnsealError('truncated', 'The archive file got shorter while it was read', { reason: 'short-read' });
  return b;
}

function corrupt(message: string, reason: string, chunk?: number): never {
  throw new UnsealError('corrupt', message, chunk === undefined ? { reason } : { reason, chunk });
}

function truncated(chunk: number): never {
  throw new UnsealError('truncated', 'The archive ends before its final chunk', { chunk });
}

/**
 * Opens an archive: yields the payload plaintext chunk by chunk, each verified before it is
 * yielded. The caller MUST treat everything yielded as provisional until the generator has
 * returned (the final chunk verified, nothing after it).
 *
 * Errors (UnsealError): `not-a-backup`, `unsupported-version`, `corrupt`, `truncated`,
 * `wrong-passphrase`, `cancelled` — which one when is in docs/FORMATS.md.
 */
export async function* openArchive(source: ArchiveSource, passphrase: string, opts: OpenOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const { signal, onProgress, onHeader } = opts;
  const size = source.size;
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('openArchive: source.size must be a byte count');
  if (typeof passphrase !== 'string') throw new TypeError('openArchive: passphrase must be a string');
  throwIfAborted(signal);
  const header = await readArchiveHeader(source);
  throwIfAborted(signal);

  // Writers never use an empty passphrase (and hash-wasm refuses one): it cannot be right.
  if (passphrase.length === 0) throw new UnsealError('wrong-passphrase', 'This passphrase does not open this archive');
  const keys = await deriveArchiveKeys(passphrase, header.salt, header.kdf, opts.deriveKey);
  let diff = 0;
  for (let i = 0; i < header.keyCheck.length; i++) diff |= header.keyCheck[i] ^ keys.check[i];
  keys.check.fill(0);
  if (diff !== 0) throw new UnsealError('wrong-passphrase', 'This passphrase does not open this archive');
  const macOk = await crypto.subtle.verify('HMAC', keys.mac, header.mac as Uint8Array<ArrayBuffer>, header.macInput as Uint8Array<ArrayBuffer>);
  if (!macOk) corrupt('The archive header does not authenticate', 'header-mac');
  const key = keys.payload;
  throwIfAborted(signal);
  onHeader?.(header);
  onProgress?.(HEADER_BYTES, size);

  const C = header.chunkSize;
  const window = FINAL_FRAME_HEAD + C + TAG_BYTES;
  const readWindow = (offset: number) => readExactly(source, offset, Math.min(window, size - offset));

  /** One frame: its plaintext once verified (or its failure), and where the next frame starts. */
  interface Frame {
    plain: Promise<Uint8Array>;
    end: number;
    last: boolean;
  }
  /**
   * Parses the frame at `offset` from its bytes `w` and starts decrypting it. A structural failure
   * (marker, lengths, truncation) is returned as the frame's failure too, so every failure
   * surfaces in frame order: a frame is yielded only after every frame before it verified.
   */
  const startFrame = (w: Uint8Array, offset: number, counter: number): Frame => {
    try {
      if (counter > 0xffffffff) corrupt('The archive has more chunks than its counter allows', 'counter', counter);
      const remaining = size - offset;
      const marker = w[0];
      let body: Uint8Array;
      let last: boolean;
      let end: number;
      if (marker === FRAME_MORE) {
        if (remaining < 1 + C + TAG_BYTES) truncated(counter);
        body = w.subarray(1, 1 + C + TAG_BYTES);
        last = false;
        end = offset + 1 + C + TAG_BYTES;
      } else if (marker === FRAME_FINAL) {
        if (remaining < FINAL_FRAME_HEAD) truncated(counter);
        const dv = new DataView(w.buffer, w.byteOffset, FINAL_FRAME_HEAD);
        const n = dv.getUint32(1);
        if ((n ^ dv.getUint32(5)) >>> 0 !== 0xffffffff) corrupt('The final chunk length of the archive is damaged', 'final-length', counter);
        if (n > C) corrupt('The final chunk of the archive is longer than a chunk', 'final-length', counter);
        if (n === 0 && counter > 0) corrupt('The archive ends with an empty chunk after data', 'empty-final', counter);
        const frameLength = FINAL_FRAME_HEAD + n + TAG_BYTES;
        if (remaining < frameLength) truncated(counter);
        if (remaining > frameLength) corrupt('The archive has data after its final chunk', 'trailing-data', counter);
        body = w.subarray(FINAL_FRAME_HEAD, frameLength);
        last = true;
        end = offset + frameLength;
      } else {
        corrupt('A chunk marker of the archive is damaged', 'marker', counter);
      }
      const plain = crypto.subtle.decrypt({ name: 'AES-GCM', iv: chunkNonce(header.noncePrefix, counter, last), tagLength: 128 }, key, body as Uint8Array<ArrayBuffer>).then(
        (b) => new Uint8Array(b),
        () => corrupt('A chunk of the archive does not authenticate (damaged, reordered or not from this file)', 'chunk-tag', counter),
      );
      return { plain, end, last };
    } catch (e) {
      return failed(e);
    }
  };
  const failed = (e: unknown): Frame => ({ plain: Promise.reject(e), end: size, last: true });

  // Pipeline: the frame after next is read and the next one decrypts while the caller takes the
  // current plaintext (each frame still fails in order, see startFrame).
  let offset = HEADER_BYTES;
  let counter = 0;
  let pendingRead: Promise<Uint8Array> | undefined = offset < size ? readWindow(offset) : undefined;
  let ahead: Frame | undefined;
  for (;;) {
    throwIfAborted(signal);
    let frame: Frame | undefined;
    if (!ahead?.last) {
      if (pendingRead === undefined) {
        if (ahead === undefined) truncated(counter);
        frame = failed(new UnsealError('truncated', 'The archive ends before its final chunk', { chunk: counter }));
      } else {
        let w: Uint8Array | undefined;
        try {
          w = await pendingRead;
        } catch (e) {
          frame = failed(e);
        }
        if (w) {
          frame = startFrame(w, offset, counter);
          counter++;
          offset = frame.end;
          pendingRead = !frame.last && offset < size ? readWindow(offset) : undefined;
        }
      }
      frame!.plain.catch(() => undefined); // awaited in order below
    }
    if (ahead) {
      const plain = await ahead.plain;
      onProgress?.(ahead.end, size);
      yield plain;
      if (ahead.last) return;
    }
    ahead = frame;
  }
}

export { BOUNDS, DEFAULT_CHUNK_SIZE, DEFAULT_KDF, HEADER_BYTES };
export type { ArchiveHeader, KdfParams };
