/// <reference lib="webworker" />
/**
 * A job in a worker of its own, terminated once the job has settled, so everything the job
 * allocated (SQLite's WASM memory, which never shrinks; the garbage of building a search index;
 * Argon2id's 64 MiB) leaves with it. Used for imports (import.worker.ts), search indexing
 * (indexing.worker.ts) and key derivation (kdf.worker.ts).
 *
 * To the worker: `start` once with the job's arguments, then maybe `cancel`. From it: `progress`
 * events, then `done` or `failed`, sent after the job has cleaned up after itself (whatever it
 * had written removed), after which the caller terminates it.
 */
import { UnsealError } from '../core/errors';
import type { WireError } from './protocol';
import { fromWire, toWire } from './wire';

export type ToOwnWorker<Args> = { type: 'start'; args: Args } | { type: 'cancel' };

export type FromOwnWorker<P, R> =
  | { type: 'progress'; progress: P }
  | { type: 'done'; result: R }
  | { type: 'failed'; error: WireError };

/**
 * Runs one job in the worker `spawn` starts. Progress is relayed as it comes; the AbortSignal
 * becomes `cancel`, and the call settles only after the job has cleaned up (its `failed`
 * answer), so nothing half-written outlives a cancellation. `step` names the job in errors.
 */
export function runInOwnWorker<Args, P, R>(
  spawn: () => Worker,
  step: string,
  args: Args,
  signal: AbortSignal,
  onProgress: (p: P) => void,
): Promise<R> {
  if (signal.aborted) return Promise.reject(new UnsealError('cancelled', 'Cancelled'));
  const worker = spawn();
  const post = (message: ToOwnWorker<Args>) => worker.postMessage(message);
  const cancel = () => post({ type: 'cancel' });
  return new Promise<R>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FromOwnWorker<P, R>>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') resolve(message.result);
      else reject(fromWire(message.error));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new UnsealError('internal', `The ${step} worker failed: ${event.message || 'it did not start'}`, { step: `${step}-worker` }));
    });
    signal.addEventListener('abort', cancel, { once: true });
    post({ type: 'start', args });
  }).finally(() => {
    signal.removeEventListener('abort', cancel);
    worker.terminate();
  });
}

/**
 * The worker's side: runs the one job `start` asks for with an AbortSignal that `cancel` aborts,
 * then `settle` (closing what the job opened), then posts the outcome last: the caller
 * terminates the worker on it.
 */
export function serveOneJob<Args, P, R>(
  scope: DedicatedWorkerGlobalScope,
  run: (args: Args, signal: AbortSignal, onProgress: (p: P) => void) => Promise<R>,
  settle: () => Promise<void> = async () => undefined,
): void {
  const controller = new AbortController();
  const post = (message: FromOwnWorker<P, R>) => scope.postMessage(message);
  scope.addEventListener('message', (event: MessageEvent<ToOwnWorker<Args>>) => {
    const message = event.data;
    if (message.type === 'cancel') {
      controller.abort();
      return;
    }
    void (async () => {
      let outcome: FromOwnWorker<P, R>;
      try {
        outcome = { type: 'done', result: await run(message.args, controller.signal, (progress) => post({ type: 'progress', progress })) };
      } catch (e) {
        outcome = { type: 'failed', error: toWire(e) };
      }
      await settle().catch(() => undefined);
      post(outcome);
    })();
  });
}
