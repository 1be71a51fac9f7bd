import { describe, expect, it } from 'vitest';
import { formatListTime } from '../../src/ui/conversation/format';

describe('formatListTime (the chat list)', () => {
  // What the chat list showed before its formatters were cached: toLocale*String per call.
  const oracle = (ts: number, now: number) => {
    const d = new Date(ts);
    const n = new Date(now);
    if (d.toDateString() === n.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    if (d.getFullYear() === n.getFullYear()) return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
    return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  };
  const now = new Date(2026, 10, 29, 9, 30).getTime();

  it('shows the time today, day and month this year, the full date before', () => {
    for (const ts of [
      new Date(2026, 10, 29, 0, 1).getTime(),
      new Date(2026, 10, 29, 23, 59).getTime(),
      new Date(2026, 10, 28, 23, 59).getTime(),
      new Date(2026, 0, 1).getTime(),
      new Date(2025, 11, 31, 23, 59).getTime(),
      new Date(2011, 4, 3).getTime(),
    ]) {
      expect(formatListTime(ts, now)).toBe(oracle(ts, now));
    }
    expect(formatListTime(new Date(2026, 10, 28).getTime(), now)).not.toBe(formatListTime(new Date(2025, 10, 28).getTime(), now));
  });

  it('shows nothing for a chat without activity', () => {
    expect(formatListTime(0, now)).toBe('');
  });
});
