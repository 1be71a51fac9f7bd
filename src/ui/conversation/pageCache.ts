import type { MessagePage } from '../../worker/protocol';

/**
 * The pages of one chat that are in memory: a small LRU (pages are a few hundred messages each,
 * so twenty of them is a few thousand messages however long the chat), with one request in
 * flight per page and a record of pages that failed to load.
 */
export class PageCache {
  private readonly pages = new Map<number, MessagePage>();
  private readonly pending = new Map<number, Promise<MessagePage>>();
  readonly failed = new Set<number>();

  constructor(
    private readonly capacity: number,
    private readonly loader: (page: number) => Promise<MessagePage>,
    private readonly onLoaded: (page: number, data: MessagePage) => void,
  ) {}

  /** The page if it is in memory, without touching its LRU position. */
  peek(page: number): MessagePage | undefined {
    return this.pages.get(page);
  }

  /** Marks a page as recently used. */
  touch(page: number): void {
    const v = this.pages.get(page);
    if (v) {
      this.pages.delete(page);
      this.pages.set(page, v);
    }
  }

  isPending(page: number): boolean {
    return this.pending.has(page);
  }

  get size(): number {
    return this.pages.size;
  }

  load(page: number): Promise<MessagePage> {
    const have = this.pages.get(page);
    if (have) {
      this.touch(page);
      return Promise.resolve(have);
    }
    const inflight = this.pending.get(page);
    if (inflight) return inflight;
    const p = this.loader(page).then(
      (data) => {
        this.pending.delete(page);
        this.failed.delete(page);
        this.pages.set(page, data);
        while (this.pages.size > this.capacity) {
          const oldest = this.pages.keys().next().value;
          if (oldest === undefined) break;
          this.pages.delete(oldest);
        }
        this.onLoaded(page, data);
        return data;
      },
      (err: unknown) => {
        this.pending.delete(page);
        this.failed.add(page);
        throw err;
      },
    );
    this.pending.set(page, p);
    return p;
  }
}
