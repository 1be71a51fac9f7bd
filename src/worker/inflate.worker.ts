/// <reference lib="webworker" />
/**
 * The inflate worker: one zlib inflate (src/core/backup/inflate.ts `Inflater`, DecompressionStream)
 * off the thread that reads, hashes and decrypts. src/worker/inflate-remote.ts starts one per
 * backup and terminates it when the inflate ends or stops; the messages are in inflate-protocol.ts.
 * At most MAX_BATCHES_UNACKED batches are out at a time: the inflate waits for the sink, so
 * memory stays bounded whatever the backup's size. That window is ~12 MiB because the other
 * thread takes batches only between its own synchronous steps (MD5 of a 4 MiB slice: 20-40 ms
 * here); with 4 MiB the inflate spent 30 % of its time waiting for acks on the bench backup.
 */
import { Inflater, SinkFailure } from '../core/backup/inflate';
import { BATCH_BYTES, MAX_BATCHES_UNACKED, transferable, type FromInflateWorker, type ToInflateWorker } from './inflate-protocol';

declare const self: DedicatedWorkerGlobalScope;

const INFLATE_PIECE = 1 << 20;

let batch: Uint8Array[] = [];
let batchBytes = 0;
let unacked = 0;
let acked: (() => void) | undefined;

function post(message: FromInflateWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function sendBatch(): Promise<void> {
  if (batch.length === 0) return;
  while (unacked >= MAX_BATCHES_UNACKED) await new Promise<void>((resolve) => (acked = resolve));
  const { chunks, buffers } = transferable(batch);
  batch = [];
  batchBytes = 0;
  unacked++;
  post({ type: 'data', chunks }, buffers);
}

const inflater = new Inflater(async (chunk) => {
  batch.push(chunk);
  batchBytes += chunk.length;
  if (batchBytes >= BATCH_BYTES) await sendBatch();
});

async function handle(message: ToInflateWorker): Promise<void> {
  if (message.type === 'write') {
    // In pieces: Chromium inflates a whole written chunk at once and queues all its output
    // (~2.3× the input here), so smaller pieces keep that queue small.
    let ok = true;
    for (let at = 0; ok && at < message.chunk.length; at += INFLATE_PIECE) {
      ok = await inflater.write(message.chunk.subarray(at, at + INFLATE_PIECE));
    }
    // DecompressionStream is done with the bytes once the writes resolved: the buffer goes back.
    const buffer = message.chunk.buffer as ArrayBuffer;
    post({ type: 'took', ok, buffer }, [buffer]);
  } else if (message.type === 'close') {
    const outcome = await inflater.close();
    await sendBatch();
    post({ type: 'closed', outcome });
  }
}

function describe(e: unknown): string {
  const error = e instanceof SinkFailure ? e.error : e;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// Writes and the close run one after another; an ack is taken at once (a write may wait for it).
let queue: Promise<void> = Promise.resolve();
self.addEventListener('message', (event: MessageEvent<ToInflateWorker>) => {
  const message = event.data;
  if (message.type === 'ack') {
    unacked--;
    acked?.();
    acked = undefined;
    return;
  }
  queue = queue.then(() => handle(message)).catch((e: unknown) => post({ type: 'failed', message: describe(e) }));
});
