/** Errors across a worker boundary: thrown values become `WireError`s and back. */
import { UnsealError } from '../core/errors';
import type { WireError } from './protocol';

export function toWire(e: unknown): WireError {
  if (e instanceof UnsealError) return { code: e.code, message: e.message, detail: e.detail };
  if (e instanceof DOMException && e.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled', detail: {} };
  if (e instanceof DOMException && e.name === 'QuotaExceededError') {
    return { code: 'quota', message: 'The browser ran out of storage space.', detail: {} };
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 'internal', message: what, detail: {} };
}

export function fromWire(wire: WireError): UnsealError {
  return new UnsealError(wire.code, wire.message, wire.detail);
}
