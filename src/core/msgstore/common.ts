import type { CallInfo } from './model';
import type { SqlValue } from './sql';
import { num } from './schema';

/** `call_result` (msgstore-schema.md §2.11): 5 answered, 2/3 missed, 4 rejected; else by duration. */
export function callOutcome(result: number | undefined, durationSec: number | undefined): CallInfo['outcome'] {
  switch (result) {
    case 5:
    case 8:
      return 'answered';
    case 2:
    case 3:
      return 'missed';
    case 4:
      return 'rejected';
  }
  if (durationSec && durationSec > 0) return 'answered';
  return 'unknown';
}

/** `message_event.start_time` is declared DATETIME; accept ms, seconds or an ISO string. */
export function eventTime(v: SqlValue | undefined): number | undefined {
  const n = num(v);
  if (n !== undefined) return n < 1e11 ? n * 1000 : n;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}
