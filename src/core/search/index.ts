/**
 * IndexBuilder: builds the search index during import, chat by chat, and emits it as a few
 * thousand records (IndexedDB costs per record, not per byte: shared/bench §5).
 *
 * Documents. Every message gets a dense docId = chatBase + pos. Chats are numbered in the order
 * they are first added; a chat's range is [base, base + maxPos + 1). Per doc we keep ts (ms,
 * Float64), a kind byte (KIND_* flags; 0 = no message there or a system event, never matched)
 * and a sender id (0 = me, 1 = unknown, ≥ 2 = index into senderJids).
 *
 * Postings. token → ascending docIds, delta + LEB128-varint encoded (first value absolute, then
 * `doc − prev − 1`). While building, each token's list is a chain of blocks in one growable byte
 * arena (block sizes 8, 16, …, 1024 bytes, the last 4 bytes of a block point at the next), so a
 * token seen once costs 8 arena bytes and nothing is a JS array per token.
 *
 * Buckets. A token's bucket is hashToken(token) % bucketCount; its local index is the order in
 * which it was first seen within that bucket (stable across segments). A bucket record holds the
 * postings of that bucket's tokens for one segment. The vocabulary itself (all tokens, in bucket
 * then local-index order) lives in the meta record, so the engine can scan it for substrings.
 *
 * Rare tokens inline. Most distinct tokens occur in one or two messages (Zipf). Tokens seen in at
 * most INLINE_DOCS messages keep their docIds in the meta record (`inlineDocs`), so a substring
 * that matches thousands of rare tokens needs no bucket reads for them; only the frequent tokens'
 * buckets are fetched. The last segment leaves them out of its bucket records (earlier segments
 * may still hold them; the engine ignores bucket data for inline tokens).
 *
 * Segments and the memory bound. When the arena passes `flushBytes`, `needsFlush` turns true and
 * the caller writes `flush()`'s records (segment s) before adding more; the engine merges the
 * segments of a bucket at query time. Builder memory ≈ vocabulary (a Map: ~60–100 bytes per
 * distinct token) + 34 bytes per distinct token of per-token state + arena (≤ flushBytes + one
 * block) + 13 bytes per doc; plus, during flush(), a copy of the arena as records.
 */
import type { Message } from '../msgstore/model';
import { foldText, searchableText } from './fold';
import { hashToken, tokenize } from './tokens';

export const INDEX_VERSION = 1;

export const KIND_TEXT = 1;
export const KIND_MEDIA = 2;
export const KIND_DOCUMENT = 4;
export const KIND_LINK = 8;
/** Set for every searchable (non-system) message. */
export const KIND_PRESENT = 128;

export const INLINE_DOCS = 2;
export const INLINE_NONE = 0xffffffff;
export const INLINE_BUCKETED = 0xfffffffe;

export const SENDER_ME = 0;
export const SENDER_UNKNOWN = 1;

/** The one meta record per library. Typed arrays are stored as they are (structured clone). */
export interface IndexMeta {
  version: typeof INDEX_VERSION;
  bucketCount: number;
  /** Bucket records exist for segments 0 … segmentCount − 1. */
  segmentCount: number;
  docCount: number;
  tokenCount: number;
  /** Chats ordered by base: chat chatIds[i] holds docIds [chatBases[i], chatBases[i] + chatCounts[i]). */
  chatIds: Float64Array;
  chatBases: Uint32Array;
  chatCounts: Uint32Array;
  /** Per doc: ms since epoch. */
  ts: Float64Array;
  /** Per doc: KIND_* flags; 0 = nothing searchable there. */
  kinds: Uint8Array;
  /** Per doc: sender id (0 = me, 1 = unknown). */
  senders: Uint32Array;
  /** Sender id → jid; [0] = 'me', [1] = ''. */
  senderJids: string[];
  /** All tokens '\n'-joined, bucket by bucket, each bucket in local-index order. */
  vocab: string;
  /** Global index of each bucket's first token; length bucketCount + 1. */
  bucketStart: Uint32Array;
  /**
   * INLINE_DOCS slots per token (global order): the docIds of a token found in ≤ INLINE_DOCS
   * messages, unused slots INLINE_NONE; slot 0 is INLINE_BUCKETED when the postings are in the
   * bucket records.
   */
  inlineDocs: Uint32Array;
}

/** One bucket's postings for one segment. */
export interface BucketRecord {
  bucket: number;
  segment: number;
  /** Local token indices (within the bucket's vocabulary), ascending. */
  tokens: Uint32Array;
  /** Byte offsets into `postings`; length tokens.length + 1. */
  offsets: Uint32Array;
  /** Concatenated delta+varint docId lists. */
  postings: Uint8Array;
}

export interface IndexBuilderOptions {
  /** Number of buckets (default 2048). */
  bucketCount?: number;
  /** Arena size that makes needsFlush true (default 64 MiB). */
  flushBytes?: number;
}

const BLOCK = [8, 16, 32, 64, 128, 256, 512, 1024];
const LAST_BLOCK = BLOCK.length - 1;
const MEDIA_KINDS: ReadonlySet<string> = new Set([
  'image', 'video', 'gif', 'audio', 'voice', 'video-note', 'sticker', 'view-once',
]);
const URL_RE = /\bhttps?:\/\/|\bwww\.[^\s.]/i;

export function kindFlags(m: Message): number {
  if (m.kind === 'system' || m.system) return 0;
  let f = KIND_PRESENT;
  if (m.kind === 'text') f |= KIND_TEXT;
  else if (m.kind === 'document') f |= KIND_DOCUMENT;
  else if (MEDIA_KINDS.has(m.kind)) f |= KIND_MEDIA;
  if (m.link?.url || (m.text && URL_RE.test(m.text))) f |= KIND_LINK;
  return f;
}

function assert(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(`IndexBuilder: ${what}`);
}

export class IndexBuilder {
  readonly bucketCount: number;
  private readonly flushBytes: number;

  private readonly tokenIds = new Map<string, number>();
  private readonly bucketTokens: number[][];
  private cap = 0;
  private head = new Int32Array(0);
  private wpos = new Uint32Array(0);
  private wend = new Uint32Array(0);
  private blk = new Uint8Array(0);
  private last = new Int32Array(0);
  private len = new Uint32Array(0);
  /** Messages per token over all segments, and the first INLINE_DOCS of them. */
  private df = new Uint32Array(0);
  private firstDocs = new Uint32Array(0);

  private arena = new Uint8Array(1 << 20);
  private used = 0;
  private segment = 0;

  private docCap = 0;
  private ts = new Float64Array(0);
  private kinds = new Uint8Array(0);
  private senders = new Uint32Array(0);
  private readonly chatIds: number[] = [];
  private readonly chatBases: number[] = [];
  private readonly chatCounts: number[] = [];
  private readonly seenChats = new Set<number>();
  private current: { chatId: number; base: number; lastPos: number } | null = null;
  private nextBase = 0;
  private readonly senderIds = new Map<string, number>();
  private readonly senderJids: string[] = ['me', ''];
  private finished = false;

  constructor(opts: IndexBuilderOptions = {}) {
    this.bucketCount = opts.bucketCount ?? 2048;
    this.flushBytes = opts.flushBytes ?? 64 << 20;
    assert(Number.isInteger(this.bucketCount) && this.bucketCount >= 1 && this.bucketCount <= 1 << 16, 'bucketCount must be 1…65536');
    assert(this.flushBytes >= 1, 'flushBytes must be ≥ 1');
    this.bucketTokens = Array.from({ length: this.bucketCount }, () => []);
  }

  /** True when the caller should write flush()'s records before adding more. */
  get needsFlush(): boolean {
    return this.used >= this.flushBytes;
  }

  get stats(): { docs: number; tokens: number; arenaBytes: number; segments: number } {
    return { docs: this.nextBase + (this.current ? this.current.lastPos + 1 : 0), tokens: this.tokenIds.size, arenaBytes: this.used, segments: this.segment };
  }

  /**
   * Adds messages of one chat. A chat may arrive in several calls (pages), but chats must not
   * interleave: once another chat has been added, an earlier one cannot continue. Positions must
   * increase across calls. `peerJid` is the sender of incoming messages without `sender`
   * (the other person of a 1:1 chat).
   */
  add(chatId: number, messages: readonly Message[], peerJid?: string): void {
    assert(!this.finished, 'add() after finish()');
    if (!this.current || this.current.chatId !== chatId) {
      this.closeChat();
      assert(!this.seenChats.has(chatId), `chat ${chatId} added again after another chat`);
      this.seenChats.add(chatId);
      this.current = { chatId, base: this.nextBase, lastPos: -1 };
    }
    const cur = this.current;
    let sorted = messages;
    for (let i = 1; i < messages.length; i++) {
      if (messages[i].pos < messages[i - 1].pos) {
        sorted = [...messages].sort((a, b) => a.pos - b.pos);
        break;
      }
    }
    for (const m of sorted) {
      assert(Number.isInteger(m.pos) && m.pos > cur.lastPos, `chat ${chatId}: pos ${m.pos} not increasing`);
      cur.lastPos = m.pos;
      const doc = cur.base + m.pos;
      this.ensureDocs(doc + 1);
      this.ts[doc] = m.ts;
      const flags = kindFlags(m);
      this.kinds[doc] = flags;
      this.senders[doc] = m.fromMe ? SENDER_ME : this.senderId(m.sender?.jid ?? peerJid);
      if (flags === 0) continue;
      const text = searchableText(m);
      if (text === '') continue;
      for (const tok of tokenize(foldText(text))) this.post(this.tokenId(tok), doc);
    }
  }

  /** Postings so far as segment records; resets the arena. */
  flush(): BucketRecord[] {
    return this.flushSegment(false);
  }

  private flushSegment(last: boolean): BucketRecord[] {
    // In the last segment, tokens that will be inline need no bucket data.
    const skip = (t: number): boolean => this.len[t] === 0 || (last && this.df[t] <= INLINE_DOCS);
    const out: BucketRecord[] = [];
    const { arena, len, head } = this;
    for (let b = 0; b < this.bucketCount; b++) {
      const list = this.bucketTokens[b];
      let n = 0;
      let bytes = 0;
      for (const t of list) {
        if (!skip(t)) {
          n++;
          bytes += len[t];
        }
      }
      if (n === 0) continue;
      const tokens = new Uint32Array(n);
      const offsets = new Uint32Array(n + 1);
      const postings = new Uint8Array(bytes);
      let j = 0;
      let o = 0;
      for (let local = 0; local < list.length; local++) {
        const t = list[local];
        if (skip(t)) continue;
        let remaining = len[t];
        tokens[j] = local;
        offsets[j] = o;
        j++;
        let p = head[t];
        let k = 0;
        for (;;) {
          const payload = BLOCK[k] - 4;
          const c = remaining < payload ? remaining : payload;
          postings.set(arena.subarray(p, p + c), o);
          o += c;
          remaining -= c;
          if (remaining === 0) break;
          p = (arena[p + payload] | (arena[p + payload + 1] << 8) | (arena[p + payload + 2] << 16) | (arena[p + payload + 3] << 24)) >>> 0;
          if (k < LAST_BLOCK) k++;
        }
      }
      offsets[n] = o;
      out.push({ bucket: b, segment: this.segment, tokens, offsets, postings });
    }
    const count = this.tokenIds.size;
    this.head.fill(-1, 0, count);
    this.len.fill(0, 0, count);
    this.last.fill(-1, 0, count);
    this.used = 0;
    this.segment++;
    return out;
  }

  /** Closes the last chat, flushes the last segment and returns it with the meta record. */
  finish(): { meta: IndexMeta; buckets: BucketRecord[] } {
    assert(!this.finished, 'finish() twice');
    this.closeChat();
    const buckets = this.flushSegment(true);
    this.finished = true;
    const tokens: string[] = new Array<string>(this.tokenIds.size);
    for (const [tok, id] of this.tokenIds) tokens[id] = tok;
    const ordered: string[] = [];
    const bucketStart = new Uint32Array(this.bucketCount + 1);
    const inlineDocs = new Uint32Array(tokens.length * INLINE_DOCS).fill(INLINE_NONE);
    for (let b = 0; b < this.bucketCount; b++) {
      bucketStart[b] = ordered.length;
      for (const t of this.bucketTokens[b]) {
        const g = ordered.length;
        ordered.push(tokens[t]);
        if (this.df[t] > INLINE_DOCS) inlineDocs[g * INLINE_DOCS] = INLINE_BUCKETED;
        else for (let k = 0; k < this.df[t]; k++) inlineDocs[g * INLINE_DOCS + k] = this.firstDocs[t * INLINE_DOCS + k];
      }
    }
    bucketStart[this.bucketCount] = ordered.length;
    const docCount = this.nextBase;
    const meta: IndexMeta = {
      version: INDEX_VERSION,
      bucketCount: this.bucketCount,
      segmentCount: this.segment,
      docCount,
      tokenCount: ordered.length,
      chatIds: Float64Array.from(this.chatIds),
      chatBases: Uint32Array.from(this.chatBases),
      chatCounts: Uint32Array.from(this.chatCounts),
      ts: this.ts.slice(0, docCount),
      kinds: this.kinds.slice(0, docCount),
      senders: this.senders.slice(0, docCount),
      senderJids: [...this.senderJids],
      vocab: ordered.join('\n'),
      bucketStart,
      inlineDocs,
    };
    this.arena = new Uint8Array(0);
    return { meta, buckets };
  }

  private closeChat(): void {
    const cur = this.current;
    if (!cur) return;
    const count = cur.lastPos + 1;
    this.chatIds.push(cur.chatId);
    this.chatBases.push(cur.base);
    this.chatCounts.push(count);
    this.nextBase += count;
    this.current = null;
  }

  private senderId(jid: string | undefined): number {
    if (!jid) return SENDER_UNKNOWN;
    let id = this.senderIds.get(jid);
    if (id === undefined) {
      id = this.senderJids.length;
      this.senderJids.push(jid);
      this.senderIds.set(jid, id);
    }
    return id;
  }

  private ensureDocs(n: number): void {
    if (n <= this.docCap) return;
    let cap = Math.max(1024, this.docCap * 2);
    while (cap < n) cap *= 2;
    const ts = new Float64Array(cap);
    ts.set(this.ts);
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    const senders = new Uint32Array(cap);
    senders.set(this.senders);
    this.ts = ts;
    this.kinds = kinds;
    this.senders = senders;
    this.docCap = cap;
  }

  private tokenId(tok: string): number {
    let id = this.tokenIds.get(tok);
    if (id !== undefined) return id;
    id = this.tokenIds.size;
    this.tokenIds.set(tok, id);
    this.bucketTokens[hashToken(tok) % this.bucketCount].push(id);
    if (id >= this.cap) this.growTokens();
    this.head[id] = -1;
    this.last[id] = -1;
    this.len[id] = 0;
    this.df[id] = 0;
    return id;
  }

  private growTokens(): void {
    const cap = Math.max(4096, this.cap * 2);
    const grow = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.head = grow(this.head, (n) => new Int32Array(n));
    this.wpos = grow(this.wpos, (n) => new Uint32Array(n));
    this.wend = grow(this.wend, (n) => new Uint32Array(n));
    this.blk = grow(this.blk, (n) => new Uint8Array(n));
    this.last = grow(this.last, (n) => new Int32Array(n));
    this.len = grow(this.len, (n) => new Uint32Array(n));
    this.df = grow(this.df, (n) => new Uint32Array(n));
    const firstDocs = new Uint32Array(cap * INLINE_DOCS);
    firstDocs.set(this.firstDocs);
    this.firstDocs = firstDocs;
    this.cap = cap;
  }

  private alloc(size: number): number {
    if (this.used + size > this.arena.length) {
      let n = this.arena.length * 2;
      while (n < this.used + size) n *= 2;
      const a = new Uint8Array(n);
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    const off = this.used;
    this.used += size;
    return off;
  }

  private post(t: number, doc: number): void {
    let v: number;
    if (this.head[t] === -1) {
      const off = this.alloc(BLOCK[0]);
      this.head[t] = off;
      this.wpos[t] = off;
      this.wend[t] = off + BLOCK[0] - 4;
      this.blk[t] = 0;
      v = doc;
    } else {
      if (this.last[t] >= doc) return;
      v = doc - this.last[t] - 1;
    }
    this.last[t] = doc;
    const n = this.df[t]++;
    if (n < INLINE_DOCS) this.firstDocs[t * INLINE_DOCS + n] = doc;
    while (v >= 0x80) {
      this.byte(t, (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.byte(t, v);
  }

  private byte(t: number, b: number): void {
    if (this.wpos[t] === this.wend[t]) {
      const k = this.blk[t] < LAST_BLOCK ? this.blk[t] + 1 : LAST_BLOCK;
      const off = this.alloc(BLOCK[k]);
      const at = this.wend[t];
      const a = this.arena;
      a[at] = off & 0xff;
      a[at + 1] = (off >>> 8) & 0xff;
      a[at + 2] = (off >>> 16) & 0xff;
      a[at + 3] = (off >>> 24) & 0xff;
      this.wpos[t] = off;
      this.wend[t] = off + BLOCK[k] - 4;
      this.blk[t] = k;
    }
    this.arena[this.wpos[t]++] = b;
    this.len[t]++;
  }
}

/** Decodes one token's list (postings[from, to)) and calls `each` for every docId. */
export function decodePostings(postings: Uint8Array, from: number, to: number, each: (doc: number) => void): void {
  let i = from;
  let prev = -1;
  while (i < to) {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      b = postings[i++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    prev = prev + 1 + v;
    each(prev);
  }
}
