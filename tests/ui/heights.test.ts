import { describe, expect, it } from 'vitest';
import { Heights } from '../../src/ui/conversation/heights';

describe('Heights', () => {
  it('answers prefix sums and offset lookups like a plain array does', () => {
    const n = 1000;
    const h = new Heights(n, 50);
    const plain = new Array<number>(n).fill(50);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 500; k++) {
      const i = Math.floor(rnd() * n);
      const v = 10 + Math.floor(rnd() * 300);
      h.set(i, v, true);
      plain[i] = v;
    }
    let acc = 0;
    for (let i = 0; i < n; i++) {
      expect(h.offsetOf(i)).toBe(acc);
      expect(h.indexAt(acc)).toBe(i);
      expect(h.indexAt(acc + plain[i] - 0.5)).toBe(i);
      acc += plain[i];
    }
    expect(h.total).toBe(acc);
    expect(h.indexAt(acc + 100)).toBe(n - 1);
    expect(h.indexAt(-5)).toBe(0);
  });

  it('does not let an estimate overwrite a measurement', () => {
    const h = new Heights(3, 40);
    expect(h.set(1, 90, true)).toBe(50);
    expect(h.set(1, 60, false)).toBe(0);
    expect(h.get(1)).toBe(90);
    expect(h.total).toBe(170);
  });
});
