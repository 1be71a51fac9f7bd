/**
 * IndexStorage held in memory: for tests, and as the reference the IndexedDB implementation
 * must agree with.
 */
import type { DocRef, IndexStorage } from './engine';
import type { BucketRecord, IndexMeta } from './index';

export class MemoryIndexStorage implements IndexStorage {
  private readonly buckets = new Map<number, BucketRecord[]>();
  /** Calls made, for tests that check how much was read. */
  readonly calls = { meta: 0, buckets: 0, records: 0, texts: 0 };

  constructor(
    private readonly meta: IndexMeta | undefined,
    records: Iterable<BucketRecord>,
    private readonly text: (ref: DocRef) => string | undefined,
  ) {
    for (const r of records) {
      const list = this.buckets.get(r.bucket);
      if (list) list.push(r);
      else this.buckets.set(r.bucket, [r]);
    }
  }

  async getMeta(): Promise<IndexMeta | undefined> {
    this.calls.meta++;
    return this.meta;
  }

  async getBuckets(ids: readonly number[]): Promise<BucketRecord[]> {
    this.calls.buckets++;
    const out: BucketRecord[] = [];
    for (const id of ids) for (const r of this.buckets.get(id) ?? []) out.push(r);
    this.calls.records += out.length;
    return out;
  }

  async getTexts(refs: readonly DocRef[]): Promise<Map<number, string>> {
    this.calls.texts += refs.length;
    const out = new Map<number, string>();
    for (const ref of refs) {
      const t = this.text(ref);
      if (t !== undefined) out.set(ref.docId, t);
    }
    return out;
  }
}
