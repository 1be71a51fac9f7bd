/**
 * Scale smoke test, behind a flag (slow, prints numbers):
 *   SEARCH_SCALE=1 [SEARCH_SCALE_N=1000000] npx vitest run tests/search/scale.test.ts
 * Synthetic library: N messages in Zipf-sized chats, words drawn Zipf(1.05) from a 50k-word
 * synthetic vocabulary, ~10% with punctuation attached, a few Hindi/Arabic words and emoji.
 * Storage is the in-memory IndexStorage, so fetch times exclude IndexedDB: the printed record
 * counts say what IndexedDB would add (~0.15 ms per random `get`, shared/bench §5).
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/msgstore/model';
import { IndexBuilder, type BucketRecord } from '../../src/core/search/index';
import { SearchEngine } from '../../src/core/search/engine';
import { MemoryIndexStorage } from '../../src/core/search/memory-storage';

const N = Number(process.env.SEARCH_SCALE_N ?? 200_000);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'pe', 'da', 'gor', 'lin', 'ber', 'cha', 'ft', 'ou', 'ix', 'em', 'zy', 'qua'];
const EXTRA = ['पुस्तकालय', 'नमस्ते', 'धन्यवाद', 'المكتبة', 'مرحبا', 'شكرا', 'café', 'naïve', '🎉', '😂', '👍🏽'];
const PUNCT = [',', '.', '!', '?', '...'];

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}
function p95(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

describe.skipIf(!process.env.SEARCH_SCALE)('search at scale', () => {
  it(`indexes and queries ${N} messages`, async () => {
    const r = rng(42);
    const V = 50_000;
    const words: string[] = [];
    const seen = new Set<string>();
    while (words.length < V) {
      let w = '';
      const n = 2 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)];
      if (!seen.has(w)) {
        seen.add(w);
        words.push(w);
      }
    }
    const cdf = new Float64Array(V);
    let acc = 0;
    for (let i = 0; i < V; i++) cdf[i] = acc += 1 / Math.pow(i + 1, 1.05);
    const zipf = (): number => {
      const x = r() * acc;
      let lo = 0;
      let hi = V - 1;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (cdf[m] < x) lo = m + 1;
        else hi = m;
      }
      return lo;
    };
    // Chat sizes ~ Zipf(0.8) over 2000 chats, scaled to N.
    const C = 2000;
    const weights = Array.from({ length: C }, (_, i) => 1 / Math.pow(i + 1, 0.8));
    const wsum = weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((w) => Math.max(1, Math.round((w / wsum) * N)));

    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const b = new IndexBuilder();
    const records: BucketRecord[] = [];
    let genMs = 0;
    let total = 0;
    let ts = 1_500_000_000_000;
    for (let c = 0; c < C && total < N; c++) {
      const size = Math.min(sizes[c], N - total);
      for (let p0 = 0; p0 < size; p0 += 500) {
        const g0 = performance.now();
        const page: Message[] = [];
        for (let pos = p0; pos < Math.min(size, p0 + 500); pos++) {
          const n = 3 + Math.floor(r() * 28);
          const parts: string[] = [];
          for (let i = 0; i < n; i++) {
            let w = words[zipf()];
            if (r() < 0.05) w = w[0].toUpperCase() + w.slice(1);
            if (r() < 0.1) w += PUNCT[Math.floor(r() * PUNCT.length)];
            parts.push(w);
          }
          if (r() < 0.05) parts.push(EXTRA[Math.floor(r() * EXTRA.length)]);
          ts += Math.floor(r() * 60_000);
          page.push({ id: total + pos, pos, ts: ts - Math.floor(r() * 1e10), fromMe: r() < 0.4, kind: 'text', type: 0, text: parts.join(' ') });
        }
        genMs += performance.now() - g0;
        b.add(c, page, `${c}@s.whatsapp.net`);
        if (b.needsFlush) records.push(...b.flush());
      }
      total += size;
    }
    const stats = b.stats;
    const { meta, buckets } = b.finish();
    records.push(...buckets);
    const buildMs = performance.now() - t0 - genMs;
    const postingBytes = records.reduce((s, x) => s + x.postings.byteLength + x.offsets.byteLength + x.tokens.byteLength, 0);
    const metaBytes = meta.vocab.length * 2 + meta.ts.byteLength + meta.kinds.byteLength + meta.senders.byteLength;
    const heapBuilt = process.memoryUsage().heapUsed;
    console.log(
      `docs ${meta.docCount}, tokens ${meta.tokenCount}, build ${(buildMs / 1000).toFixed(1)} s (+ ${(genMs / 1000).toFixed(1)} s generating), ` +
        `records ${records.length} (+1 meta) in ${meta.segmentCount} segment(s), postings ${(postingBytes / 1e6).toFixed(1)} MB ` +
        `(largest record ${(Math.max(...records.map((x) => x.postings.byteLength)) / 1e3).toFixed(0)} kB), meta ${(metaBytes / 1e6).toFixed(1)} MB ` +
        `(vocab ${(meta.vocab.length / 1e6).toFixed(1)}M chars), arena at finish ${(stats.arenaBytes / 1e6).toFixed(1)} MB, heap after build +${((heapBuilt - heap0) / 1e6).toFixed(0)} MB`,
    );

    const storage = new MemoryIndexStorage(meta, records, () => undefined);
    const engine = new SearchEngine(storage);
    const first = await engine.search(words[100]);
    console.log(`first query (loads meta): ${first.timing.totalMs.toFixed(1)} ms, meta ${first.timing.metaMs.toFixed(1)} ms`);

    const ranks = (from: number, to: number, k: number) => Array.from({ length: k }, (_, i) => words[from + Math.floor(((to - from) * i) / k)]);
    const cats: Record<string, string[]> = {
      common: ranks(0, 20, 10),
      medium: ranks(500, 2000, 10),
      rare: ranks(20_000, 40_000, 10),
      'multi-word': ranks(100, 1000, 10).map((w, i) => `${w} ${words[2000 + i * 37]}`),
      'substring (3 chars)': ['kal', 'ber', 'qua', 'zyt', 'oum', 'nev', 'pec', 'gor', 'lin', 'ftl'],
      'chat filter + common': ranks(0, 20, 10),
    };
    for (const [name, qs] of Object.entries(cats)) {
      const times: number[] = [];
      const recs: number[] = [];
      const hits: number[] = [];
      for (const q of qs) {
        const f = name.startsWith('chat') ? { chatId: 0 } : {};
        const res = await engine.search(q, f, { limit: 50 });
        times.push(res.timing.totalMs);
        recs.push(res.records);
        hits.push(res.total);
        expect(res.hits.length).toBe(Math.min(50, res.total));
      }
      console.log(
        `${name.padEnd(22)} median ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms; records read median ${median(recs)} (max ${Math.max(...recs)}); hits ${Math.min(...hits)}–${Math.max(...hits)}`,
      );
    }
    const heapQ = process.memoryUsage().heapUsed;
    console.log(`heap after queries +${((heapQ - heap0) / 1e6).toFixed(0)} MB over start (includes the generated records held by the memory storage)`);
  }, 600_000);
});
