/**
 * Row heights of a virtualized list, with O(log n) prefix sums (a Fenwick tree). Unmeasured
 * rows carry an estimate; measured rows carry what the browser laid out.
 */
export class Heights {
  readonly count: number;
  private readonly tree: Float64Array;
  private readonly values: Float64Array;
  private readonly measured: Uint8Array;
  private totalValue = 0;

  constructor(count: number, estimate: number) {
    this.count = count;
    this.tree = new Float64Array(count + 1);
    this.values = new Float64Array(count).fill(estimate);
    this.measured = new Uint8Array(count);
    // O(n) build: each node adds itself to its parent.
    for (let i = 1; i <= count; i++) {
      this.tree[i] += estimate;
      const parent = i + (i & -i);
      if (parent <= count) this.tree[parent] += this.tree[i];
    }
    this.totalValue = estimate * count;
  }

  get total(): number {
    return this.totalValue;
  }

  get(index: number): number {
    return this.values[index];
  }

  isMeasured(index: number): boolean {
    return this.measured[index] === 1;
  }

  /** Sets a row's height; returns the change (0 when nothing changed). */
  set(index: number, height: number, measured: boolean): number {
    if (index < 0 || index >= this.count) return 0;
    if (!measured && this.measured[index] === 1) return 0;
    if (measured) this.measured[index] = 1;
    const delta = height - this.values[index];
    if (delta === 0) return 0;
    this.values[index] = height;
    this.totalValue += delta;
    for (let i = index + 1; i <= this.count; i += i & -i) this.tree[i] += delta;
    return delta;
  }

  /** The top of row `index` (sum of the heights of the rows before it). */
  offsetOf(index: number): number {
    if (index <= 0) return 0;
    if (index >= this.count) return this.totalValue;
    let sum = 0;
    for (let i = index; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  /** The row that contains pixel `offset` (clamped to the list). */
  indexAt(offset: number): number {
    if (this.count === 0) return 0;
    if (offset <= 0) return 0;
    let pos = 0;
    let remaining = offset;
    let step = 1;
    while (step * 2 <= this.count) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.count && this.tree[next] <= remaining) {
        pos = next;
        remaining -= this.tree[next];
      }
    }
    return Math.min(pos, this.count - 1);
  }
}
