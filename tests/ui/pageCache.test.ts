import { describe, expect, it } from 'vitest';
import { PageCache } from '../../src/ui/conversation/pageCache';
import type { MessagePage } from '../../src/worker/protocol';

const page = (n: number): MessagePage => ({ chatId: 1, page: n, messages: [] });

describe('PageCache', () => {
  it('loads each page once, keeps at most `capacity`, evicts the least recently used', async () => {
    const calls: number[] = [];
    const loaded: number[] = [];
    const cache = new PageCache(3, async (n) => (calls.push(n), page(n)), (n) => loaded.push(n));
    await Promise.all([cache.load(1), cache.load(1), cache.load(2), cache.load(3)]);
    expect(calls).toEqual([1, 2, 3]);
    cache.touch(1);
    await cache.load(4);
    expect(cache.size).toBe(3);
    expect(cache.peek(2)).toBeUndefined();
    expect(cache.peek(1)).toBeDefined();
    expect(loaded).toEqual([1, 2, 3, 4]);
  });

  it('records failures and retries them on the next load', async () => {
    let fail = true;
    const cache = new PageCache(3, async (n) => {
      if (fail) throw new Error('boom');
      return page(n);
    }, () => {});
    await expect(cache.load(5)).rejects.toThrow('boom');
    expect(cache.failed.has(5)).toBe(true);
    fail = false;
    await cache.load(5);
    expect(cache.failed.has(5)).toBe(false);
  });
});
