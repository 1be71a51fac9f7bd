/**
 * Messages between src/worker/inflate-remote.ts (the app worker's side) and
 * src/worker/inflate.worker.ts (the inflate worker), and how their bytes are transferred.
 *
 * To the inflate worker: `write` (compressed bytes in a buffer of the sender's pool, transferred),
 * then `close`; `ack` once a `data` batch went through the sink.
 * From it: `took` once a `write` was inflated (`ok: false` once the data proved bad), with that
 * buffer transferred back for the next `write`, `data`
 * (inflated chunks, transferred, in batches of about `BATCH_BYTES`), `closed` with the outcome
 * after the last `data`, `failed` on anything unexpected.
 */
import type { InflateOutcome } from '../core/backup/inflate';

export type ToInflateWorker = { type: 'write'; chunk: Uint8Array } | { type: 'close' } | { type: 'ack' };
export type FromInflateWorker =
  | { type: 'took'; ok: boolean; buffer: ArrayBuffer }
  | { type: 'data'; chunks: Uint8Array[] }
  | { type: 'closed'; outcome: InflateOutcome }
  | { type: 'failed'; message: string };

/** Inflated bytes per `data` message (DecompressionStream gives them in pieces of about 16 KiB). */
export const BATCH_BYTES = 1 << 20;
/** `data` batches sent and not yet acked; the inflate waits beyond this (bounded memory; see inflate.worker.ts). */
export const MAX_BATCHES_UNACKED = 12;
/** `write`s sent and not yet `took` (so also the pool's size); the decryptor waits beyond this. */
export const MAX_WRITES_IN_FLIGHT = 2;

/**
 * The chunks as views that own their whole buffer, and those buffers, for a transfer list. A view
 * on part of a buffer is copied: transferring its buffer would detach bytes someone else sees.
 */
export function transferable(chunks: Uint8Array[]): { chunks: Uint8Array[]; buffers: ArrayBuffer[] } {
  const owned = chunks.map((c) =>
    c.buffer instanceof ArrayBuffer && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength ? c : c.slice(),
  );
  return { chunks: owned, buffers: [...new Set(owned.map((c) => c.buffer as ArrayBuffer))] };
}
