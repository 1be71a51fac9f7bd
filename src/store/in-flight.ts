/**
 * IndexedDB write transactions that commit while the caller prepares the next batch (IndexedDB
 * works in the browser's storage process; the calling thread stays free): at most `limit` are
 * left unsettled when `add` returns. Every write is awaited exactly once, by `add`, `done` or
 * `settled`, so none fails unhandled and none lands after the caller has moved on.
 */
export class WritesInFlight {
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly limit: number) {}

  /** Takes a started write; returns once at most `limit` writes are unsettled (an awaited one's failure is thrown). */
  async add(write: Promise<void>): Promise<void> {
    write.catch(() => undefined); // awaited by a later add, done or settled
    this.pending.push(write);
    while (this.pending.length > this.limit) await this.pending.shift();
  }

  /** Every write durable; the first failure is thrown. */
  async done(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }

  /** Every write settled, failures ignored: before removing what they wrote. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.pending.splice(0));
  }
}
