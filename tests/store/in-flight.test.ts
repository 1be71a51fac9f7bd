/**
 * WritesInFlight (src/store/in-flight.ts), the one way the app keeps IndexedDB writes committing
 * while the next batch is prepared: how many stay unsettled, and where failures surface.
 */
import { describe, expect, it } from 'vitest';
import { WritesInFlight } from '../../src/store/in-flight';

/** A write the test settles by hand. */
function write() {
  let settle!: (error?: Error) => void;
  let settled = false;
  const promise = new Promise<void>((resolve, reject) => {
    settle = (error) => {
      settled = true;
      if (error) reject(error);
      else resolve();
    };
  });
  return { promise, settle, isSettled: () => settled };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WritesInFlight', () => {
  it('returns from add once at most `limit` writes are unsettled, oldest awaited first', async () => {
    const writes = new WritesInFlight(2);
    const [a, b, c] = [write(), write(), write()];
    let returned = 0;
    await writes.add(a.promise).then(() => returned++);
    await writes.add(b.promise).then(() => returned++);
    const third = writes.add(c.promise).then(() => returned++);
    await tick();
    expect(returned).toBe(2); // a and b unsettled: the third add waits for a
    b.settle();
    await tick();
    expect(returned).toBe(2); // still a
    a.settle();
    await third;
    expect(returned).toBe(3);
    const done = writes.done();
    await tick();
    c.settle();
    await done;
  });

  it('throws an awaited write’s failure from add, and a later one’s from done', async () => {
    const one = new WritesInFlight(1);
    const [a, b] = [write(), write()];
    await one.add(a.promise);
    const adding = one.add(b.promise);
    a.settle(new Error('a failed'));
    await expect(adding).rejects.toThrow('a failed');
    b.settle(new Error('b failed'));
    await expect(one.done()).rejects.toThrow('b failed');
  });

  it('settled waits for every write and ignores failures; nothing is left unhandled', async () => {
    const writes = new WritesInFlight(3);
    const ws = [write(), write(), write()];
    for (const w of ws) await writes.add(w.promise);
    const settling = writes.settled();
    ws[0]!.settle(new Error('x'));
    ws[1]!.settle();
    await tick();
    expect(ws[2]!.isSettled()).toBe(false);
    ws[2]!.settle(new Error('y'));
    await expect(settling).resolves.toBeUndefined();
    await expect(writes.done()).resolves.toBeUndefined(); // nothing pending any more
  });
});
