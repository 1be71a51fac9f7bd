/**
 * The inflate step `importBackup` gives `decryptBackup`: zlib inflate in a dedicated worker
 * (inflate.worker.ts), so inflating overlaps reading, hashing and decrypting on this thread.
 * Measured on the 300 MB bench backup (scripts/bench, decrypt stage): one thread for all of it
 * gave 82-89 MiB/s of plaintext, inflate alone 140-151.
 *
 * Decrypted chunks are copied into a small pool of buffers that go to the worker and back by
 * transfer, at most MAX_WRITES_IN_FLIGHT at a time (`write` waits for room). Copying (warm memory,
 * ~1 ms a slice) beats handing over the decryptor's own buffers: those would die in the inflate
 * worker, whose few allocations rarely trigger its GC, and measured +50 MB of renderer peak on the
 * 1 GiB bench backup. Inflated chunks come back by transfer in batches, each acked once it went
 * through the sink, so the worker waits when the sink is slow. Outcomes are the worker's
 * `Inflater`'s own ('bad-data' vs 'unfinished'), so the error codes are today's. `abort`
 * terminates the worker.
 */
import { SinkFailure, type InflateOutcome, type InflateStep, type InflateStepFactory } from '../core/backup/inflate';
import { UnsealError } from '../core/errors';
import { MAX_WRITES_IN_FLIGHT, type FromInflateWorker, type ToInflateWorker } from './inflate-protocol';

export const offThreadInflate: InflateStepFactory = (sink) => new RemoteInflater(sink);

class RemoteInflater implements InflateStep {
  bytesOut = 0;
  private readonly worker: Worker;
  private writesInFlight = 0;
  private bad = false;
  private outcome: InflateOutcome | undefined;
  /** Thrown out of every later call: a SinkFailure, or an UnsealError when the worker failed. */
  private failure: unknown;
  private stopped = false;
  /** Inflated batches go through the sink one after another, in order. */
  private sinking: Promise<void> = Promise.resolve();
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** Buffers back from the worker, for the next writes. */
  private spare: ArrayBuffer[] = [];

  constructor(private readonly sink: (chunk: Uint8Array) => Promise<void> | void) {
    this.worker = new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module', name: 'unseal-inflate' });
    this.worker.addEventListener('message', (event: MessageEvent<FromInflateWorker>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new UnsealError('internal', `The inflate worker failed: ${event.message || 'it did not start'}`, { step: 'inflate-worker' }));
    });
  }

  async write(chunk: Uint8Array): Promise<boolean> {
    if (this.failure !== undefined) throw this.failure;
    if (this.bad) return false;
    if (chunk.length === 0) return true;
    const at = this.spare.findIndex((b) => b.byteLength >= chunk.length);
    const buffer = at >= 0 ? this.spare.splice(at, 1)[0] : new ArrayBuffer(chunk.length);
    const copy = new Uint8Array(buffer, 0, chunk.length);
    copy.set(chunk);
    this.post({ type: 'write', chunk: copy }, [buffer]);
    this.writesInFlight++;
    while (this.writesInFlight >= MAX_WRITES_IN_FLIGHT) await this.nextEvent();
    return !this.bad;
  }

  async close(): Promise<InflateOutcome> {
    if (this.failure !== undefined) throw this.failure;
    if (!this.bad) {
      this.post({ type: 'close' });
      while (this.outcome === undefined && !this.bad) await this.nextEvent();
    }
    this.stop();
    return this.bad ? 'bad-data' : this.outcome!;
  }

  async abort(): Promise<void> {
    this.fail(new UnsealError('cancelled', 'Cancelled'));
  }

  private receive(message: FromInflateWorker): void {
    if (this.stopped) return;
    switch (message.type) {
      case 'took':
        this.writesInFlight--;
        if (this.spare.length < MAX_WRITES_IN_FLIGHT) this.spare.push(message.buffer);
        if (!message.ok) this.bad = true;
        this.wake();
        return;
      case 'data':
        this.sinking = this.sinking.then(async () => {
          for (const chunk of message.chunks) {
            if (this.stopped) return;
            this.bytesOut += chunk.length;
            try {
              await this.sink(chunk);
            } catch (e) {
              this.fail(e instanceof SinkFailure ? e : new SinkFailure(e));
              return;
            }
          }
          this.post({ type: 'ack' });
        });
        return;
      case 'closed':
        // Only once every batch before it went through the sink.
        void this.sinking.then(() => {
          this.outcome = message.outcome;
          this.wake();
        });
        return;
      case 'failed':
        this.fail(new UnsealError('internal', `Inflating failed unexpectedly: ${message.message}`, { step: 'inflate-worker' }));
        return;
    }
  }

  private post(message: ToInflateWorker, transfer: Transferable[] = []): void {
    if (!this.stopped) this.worker.postMessage(message, transfer);
  }

  /** Resolves at the worker's next message that changes state; rejects once it failed. */
  private nextEvent(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private fail(failure: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = failure;
    this.stop();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(failure);
  }

  private stop(): void {
    this.stopped = true;
    this.worker.terminate();
  }
}
