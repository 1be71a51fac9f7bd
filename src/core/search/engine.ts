/**
 * SearchEngine: answers queries from the records IndexBuilder wrote, through IndexStorage.
 *
 * How a query runs
 *   1. The meta record is loaded once per engine (one engine per library) and kept: per-doc
 *      ts/kind/sender arrays (13 bytes per message) and the vocabulary string (a few MB) plus a
 *      Uint32Array of token starts. Postings are never cached.
 *   2. Every needle becomes a token constraint: a query word must be a substring of some token
 *      (`includes`); a phrase "w1 w2 … wk" needs a token ending with w1, tokens equal to the
 *      middle words and a token starting with wk. The vocabulary is scanned with native
 *      `indexOf` on '\n'-delimited tokens, so this is a few ms even for a large vocabulary.
 *   3. Rare tokens (in ≤ INLINE_DOCS messages) carry their docIds in the meta record; the
 *      buckets of the other matching tokens are fetched in one getBuckets call; each constraint's
 *      postings (all segments) are OR-ed into a bitset over docIds (docCount / 8 bytes), the
 *      constraints AND-ed.
 *   4. One pass over the set bits (restricted to the chat's docId range when filtering by chat)
 *      applies the filters from the per-doc arrays, counts exactly, and keeps the newest
 *      offset + limit hits in a bounded heap (newest = larger ts, ties: larger docId).
 *   5. Phrases only (the slow path): candidates from step 4 are sorted newest first and their
 *      texts are fetched (getTexts, batches from PHRASE_BATCH_FIRST doubling up to PHRASE_BATCH)
 *      and checked with foldText(…).includes(phrase). An exact total verifies every candidate:
 *      the cost grows with the number of candidate messages (for IndexedDB, with the number of
 *      distinct message pages they sit on). The positional constraints of step 2 keep candidates
 *      few unless the phrase consists of very common words. With `exactTotal: false` verifying
 *      stops once the wanted hits are found (the newest come first, so they are final).
 *
 * Memory while searching: meta (13 B/doc + vocabulary ×≈2 for the strings and starts), one
 * bitset per constraint (docCount / 8 B each), the fetched bucket records, the heap.
 *
 * IndexedDB side (to be wired in src/store; the engine needs nothing else):
 *   - object store `searchMeta`, keyPath `libraryId`, value `IndexMeta & { libraryId: string }`
 *     (written once, at the end of the import, before the library flips to `ready`);
 *   - object store `searchBuckets`, keyPath ['libraryId', 'bucket', 'segment'], value
 *     `BucketRecord & { libraryId: string }` (segments written as IndexBuilder.flush() hands them
 *     over during the import, the last one with finish());
 *   - getMeta(): `get('searchMeta', libraryId)`.
 *   - getBuckets(ids): one readonly transaction; per id `getAll(IDBKeyRange.bound([lib, id],
 *     [lib, id, []]))` (all segments of that bucket), issued together and awaited with
 *     Promise.all. When ids.length > bucketCount / 4, one `getAll` over the whole library range
 *     and a filter is cheaper (range reads cost ~0.02 ms per record here vs ~0.15 ms per `get`).
 *   - getTexts(refs): group refs by [chatId, floor(pos / PAGE_SIZE)], `get` those `pages`
 *     records in one transaction, and return docId → searchableText(message at that pos).
 *   - deleteLibrary and the staging clean-up must delete both stores' library ranges too.
 * Typed arrays are stored as they are (structured clone); no JSON.
 */
import { foldText } from './fold';
import {
  INDEX_VERSION,
  INLINE_BUCKETED,
  INLINE_DOCS,
  INLINE_NONE,
  KIND_DOCUMENT,
  KIND_LINK,
  KIND_MEDIA,
  KIND_PRESENT,
  KIND_TEXT,
  SENDER_ME,
  type BucketRecord,
  type IndexMeta,
} from './index';
import { isEmptyQuery, parseQuery, type KindFilter, type ParsedQuery, type SearchFilters } from './query';

export interface DocRef {
  docId: number;
  chatId: number;
  pos: number;
}

export interface IndexStorage {
  /** The library's meta record, or undefined when it has no index. */
  getMeta(): Promise<IndexMeta | undefined>;
  /** Every segment's record of each bucket asked for (missing buckets are simply absent). */
  getBuckets(ids: readonly number[]): Promise<BucketRecord[]>;
  /** docId → searchableText(message) for phrase verification; absent docs may be left out. */
  getTexts(refs: readonly DocRef[]): Promise<Map<number, string>>;
}

export interface SearchHit extends DocRef {
  ts: number;
}

export interface SearchTiming {
  /** Loading the meta record (only on the first query of an engine). */
  metaMs: number;
  vocabMs: number;
  fetchMs: number;
  decodeMs: number;
  selectMs: number;
  verifyMs: number;
  totalMs: number;
}

export interface SearchResult {
  /** Number of matching messages: exact, unless `totalExact` is false (then a lower bound). */
  total: number;
  /** False only when `exactTotal: false` let a phrase query stop before verifying every candidate. */
  totalExact: boolean;
  /** Hits offset … offset + limit − 1, newest first. */
  hits: SearchHit[];
  /** Distinct vocabulary tokens the query touched, and bucket records read. */
  tokens: number;
  records: number;
  /** Phrase queries: how many candidates were verified against their text. */
  verified: number;
  timing: SearchTiming;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  signal?: AbortSignal;
  /**
   * Default true. False: a phrase query stops verifying as soon as the wanted hits are found
   * (they are final: candidates are verified newest first), so they can be shown before the
   * exact count, which a second request with the default then gives.
   */
  exactTotal?: boolean;
}

/** Candidates verified per getTexts call: the first call is small, then they double up to the max. */
const PHRASE_BATCH_FIRST = 100;
const PHRASE_BATCH = 2000;

type Mode = 'any' | 'prefix' | 'suffix' | 'exact';

interface Loaded {
  meta: IndexMeta;
  /** '\n' + vocab + '\n' */
  padded: string;
  /** starts[i] = index of token i in `padded`; starts[tokenCount] = padded.length. */
  starts: Uint32Array;
  senderIds: Map<string, number>;
}

const KIND_MASK: Record<KindFilter, number> = {
  text: KIND_TEXT,
  media: KIND_MEDIA,
  document: KIND_DOCUMENT,
  link: KIND_LINK,
};

const now = (): number => performance.now();

export class SearchEngine {
  private loaded: Promise<Loaded | undefined> | null = null;

  constructor(private readonly storage: IndexStorage) {}

  /** Forget the cached meta (after the library's index was rewritten). */
  invalidate(): void {
    this.loaded = null;
  }

  async search(query: string | ParsedQuery, filters: SearchFilters = {}, opts: SearchOptions = {}): Promise<SearchResult> {
    const t0 = now();
    const limit = opts.limit ?? 50;
    const offset = opts.offset ?? 0;
    if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError('search: limit must be an integer ≥ 0');
    if (!(Number.isInteger(offset) && offset >= 0)) throw new RangeError('search: offset must be an integer ≥ 0');
    const signal = opts.signal;
    const q = typeof query === 'string' ? parseQuery(query) : query;
    const timing: SearchTiming = { metaMs: 0, vocabMs: 0, fetchMs: 0, decodeMs: 0, selectMs: 0, verifyMs: 0, totalMs: 0 };
    const result: SearchResult = { total: 0, totalExact: true, hits: [], tokens: 0, records: 0, verified: 0, timing };
    const done = (): SearchResult => {
      timing.totalMs = now() - t0;
      return result;
    };

    const tm = now();
    const wasLoaded = this.loaded !== null;
    const loaded = await this.load();
    if (!wasLoaded) timing.metaMs = now() - tm;
    signal?.throwIfAborted();
    if (!loaded) return done();
    const { meta } = loaded;

    // Filters → a docId range and per-doc predicates.
    let lo = 0;
    let hi = meta.docCount;
    if (filters.chatId !== undefined) {
      const i = meta.chatIds.indexOf(filters.chatId);
      if (i < 0) return done();
      lo = meta.chatBases[i];
      hi = lo + meta.chatCounts[i];
    }
    let sender = -1;
    if (filters.sender !== undefined) {
      sender = filters.sender === 'me' ? SENDER_ME : (loaded.senderIds.get(filters.sender) ?? -2);
      if (sender === -2) return done();
    }
    const kindMask = filters.kind ? KIND_MASK[filters.kind] : 0;
    const since = filters.since ?? -Infinity;
    const until = filters.until ?? Infinity;

    // 2. Constraints → vocabulary tokens.
    const tv = now();
    const constraints: { needle: string; mode: Mode }[] = q.words.map((w) => ({ needle: w, mode: 'any' }));
    for (const p of q.phrases) {
      const ws = p.split(' ');
      ws.forEach((w, i) =>
        constraints.push({ needle: w, mode: i === 0 ? 'suffix' : i === ws.length - 1 ? 'prefix' : 'exact' }),
      );
    }
    const matched: number[][] = [];
    const bucketIds = new Set<number>();
    for (const c of constraints) {
      const toks = this.lookup(loaded, c.needle, c.mode);
      if (toks.length === 0) {
        timing.vocabMs = now() - tv;
        return done();
      }
      matched.push(toks);
      result.tokens += toks.length;
      for (const g of toks) if (meta.inlineDocs[g * INLINE_DOCS] === INLINE_BUCKETED) bucketIds.add(bucketOf(meta.bucketStart, g));
    }
    timing.vocabMs = now() - tv;

    // 3. Fetch and decode into bitsets.
    let acc: Uint32Array | null = null;
    if (constraints.length > 0) {
      const tf = now();
      const records = bucketIds.size === 0 ? [] : await this.storage.getBuckets([...bucketIds].sort((a, b) => a - b));
      signal?.throwIfAborted();
      if (bucketIds.size > 0) timing.fetchMs = now() - tf;
      result.records = records.length;
      const td = now();
      const byBucket = new Map<number, BucketRecord[]>();
      for (const r of records) {
        const list = byBucket.get(r.bucket);
        if (list) list.push(r);
        else byBucket.set(r.bucket, [r]);
      }
      const words = (meta.docCount + 31) >>> 5;
      for (const toks of matched) {
        const bits = new Uint32Array(words);
        for (const g of toks) {
          const slot = g * INLINE_DOCS;
          if (meta.inlineDocs[slot] !== INLINE_BUCKETED) {
            for (let k = 0; k < INLINE_DOCS; k++) {
              const d = meta.inlineDocs[slot + k];
              if (d !== INLINE_NONE) bits[d >>> 5] |= 1 << (d & 31);
            }
            continue;
          }
          const b = bucketOf(meta.bucketStart, g);
          const local = g - meta.bucketStart[b];
          for (const r of byBucket.get(b) ?? []) {
            const j = findU32(r.tokens, local);
            if (j >= 0) decodeInto(r.postings, r.offsets[j], r.offsets[j + 1], bits);
          }
        }
        if (acc === null) acc = bits;
          else for (let i = 0; i < words; i++) acc[i] &= bits[i];
      }
      timing.decodeMs = now() - td;
    }

    // 4. Filter, count, select.
    const ts0 = now();
    const { kinds, senders, ts } = meta;
    const phrases = q.phrases.length > 0;
    const keep = phrases ? 0 : offset + limit;
    const heap = new TopK(keep, ts);
    const candidates: number[] = [];
    let total = 0;
    const visit = (d: number): void => {
      const k = kinds[d];
      if ((k & KIND_PRESENT) === 0) return;
      if (kindMask !== 0 && (k & kindMask) === 0) return;
      if (sender >= 0 && senders[d] !== sender) return;
      const t = ts[d];
      if (t < since || t >= until) return;
      if (phrases) candidates.push(d);
      else {
        total++;
        heap.push(d);
      }
    };
    if (acc === null) {
      if (!isEmptyQuery(q)) throw new Error('unreachable');
      for (let d = lo; d < hi; d++) visit(d);
    } else {
      const wlo = lo >>> 5;
      const whi = (hi + 31) >>> 5;
      for (let w = wlo; w < whi; w++) {
        let x = acc[w];
        while (x !== 0) {
          const low = x & -x;
          const d = (w << 5) + 31 - Math.clz32(low);
          x ^= low;
          if (d >= lo && d < hi) visit(d);
        }
      }
    }
    timing.selectMs = now() - ts0;

    if (!phrases) {
      result.total = total;
      result.hits = heap.sorted().slice(offset).map((d) => this.hit(meta, d));
      return done();
    }

    // 5. Phrase verification, newest first.
    const tp = now();
    candidates.sort((a, b) => ts[b] - ts[a] || b - a);
    const hits: number[] = [];
    const wanted = offset + limit;
    let verified = 0;
    for (let size = PHRASE_BATCH_FIRST; verified < candidates.length; size = Math.min(size * 2, PHRASE_BATCH)) {
      if (opts.exactTotal === false && hits.length >= wanted) {
        result.totalExact = false;
        break;
      }
      const batch = candidates.slice(verified, verified + size);
      verified += batch.length;
      const texts = await this.storage.getTexts(batch.map((d) => this.ref(meta, d)));
      signal?.throwIfAborted();
      for (const d of batch) {
        const text = texts.get(d);
        if (text === undefined) continue;
        const folded = foldText(text);
        if (q.phrases.every((p) => folded.includes(p)) && q.words.every((w) => folded.includes(w))) {
          total++;
          if (hits.length < wanted) hits.push(d);
        }
      }
    }
    result.verified = verified;
    timing.verifyMs = now() - tp;
    result.total = total;
    result.hits = hits.slice(offset).map((d) => this.hit(meta, d));
    return done();
  }

  /** docId → chat and position. */
  ref(meta: IndexMeta, docId: number): DocRef {
    const i = lastLE(meta.chatBases, docId);
    return { docId, chatId: meta.chatIds[i], pos: docId - meta.chatBases[i] };
  }

  private hit(meta: IndexMeta, d: number): SearchHit {
    return { ...this.ref(meta, d), ts: meta.ts[d] };
  }

  private load(): Promise<Loaded | undefined> {
    this.loaded ??= this.storage.getMeta().then((meta) => {
      if (!meta) return undefined;
      if (meta.version !== INDEX_VERSION) throw new Error(`search index version ${meta.version} is not ${INDEX_VERSION}`);
      const padded = '\n' + meta.vocab + '\n';
      const starts = new Uint32Array(meta.tokenCount + 1);
      let p = 1;
      for (let i = 0; i < meta.tokenCount; i++) {
        starts[i] = p;
        p = padded.indexOf('\n', p) + 1;
      }
      starts[meta.tokenCount] = padded.length;
      const senderIds = new Map<string, number>();
      for (let i = 2; i < meta.senderJids.length; i++) senderIds.set(meta.senderJids[i], i);
      return { meta, padded, starts, senderIds };
    });
    const pending = this.loaded;
    pending.catch(() => {
      if (this.loaded === pending) this.loaded = null;
    });
    return pending;
  }

  /** Global indices of the tokens matching `needle` in `mode`. */
  private lookup({ padded, starts }: Loaded, needle: string, mode: Mode): number[] {
    const pat = mode === 'any' ? needle : mode === 'prefix' ? '\n' + needle : mode === 'suffix' ? needle + '\n' : '\n' + needle + '\n';
    const lead = mode === 'prefix' || mode === 'exact' ? 1 : 0;
    const out: number[] = [];
    let from = 0;
    for (;;) {
      const p = padded.indexOf(pat, from);
      if (p < 0) break;
      const i = lastLE(starts, p + lead);
      if (i >= starts.length - 1) break; // the final '\n'
      out.push(i);
      from = starts[i + 1] - 1;
      if (mode === 'exact') break;
    }
    return out;
  }
}

/** Largest i with a[i] ≤ x (a ascending, a[0] ≤ x). */
function lastLE(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function bucketOf(bucketStart: Uint32Array, g: number): number {
  // bucketStart[bucketCount] = tokenCount > g, so this is at most bucketCount − 1; among empty
  // buckets sharing a start it picks the last, the one that actually holds g.
  return lastLE(bucketStart, g);
}

function findU32(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function decodeInto(p: Uint8Array, from: number, to: number, bits: Uint32Array): void {
  let i = from;
  let prev = -1;
  while (i < to) {
    let b = p[i++];
    let v = b & 0x7f;
    if (b & 0x80) {
      let scale = 128;
      do {
        b = p[i++];
        v += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
    }
    prev += v + 1;
    bits[prev >>> 5] |= 1 << (prev & 31);
  }
}

/** Keeps the k newest docs (by ts, then docId) in a min-heap. */
class TopK {
  private readonly heap: number[] = [];

  constructor(
    private readonly k: number,
    private readonly ts: Float64Array,
  ) {}

  /** a is older than b */
  private older(a: number, b: number): boolean {
    const ta = this.ts[a];
    const tb = this.ts[b];
    return ta < tb || (ta === tb && a < b);
  }

  push(d: number): void {
    const h = this.heap;
    if (this.k === 0) return;
    if (h.length < this.k) {
      h.push(d);
      let i = h.length - 1;
      while (i > 0) {
        const parent = (i - 1) >>> 1;
        if (!this.older(h[i], h[parent])) break;
        [h[i], h[parent]] = [h[parent], h[i]];
        i = parent;
      }
      return;
    }
    if (!this.older(h[0], d)) return;
    h[0] = d;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.older(h[l], h[m])) m = l;
      if (r < h.length && this.older(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }

  /** Newest first. */
  sorted(): number[] {
    return [...this.heap].sort((a, b) => (this.older(a, b) ? 1 : this.older(b, a) ? -1 : 0));
  }
}
