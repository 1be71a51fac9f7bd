/**
 * The page's typed client for the worker. One worker, created lazily. Calls take an optional
 * AbortSignal (which sends `cancel`) and a progress callback.
 */
import type { FromWorker, Op, Progress, ToWorker, WireError, WorkerApi } from './protocol';

export class WorkerError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
  get code() {
    return this.wire.code;
  }
}

/** Jobs that must not be cut short by a reload (an app update waits for them). */
const LONG_JOBS: ReadonlySet<Op> = new Set<Op>(['open', 'exportChat', 'exportChats', 'saveArchive', 'matchMedia', 'linkMedia', 'lockLibrary', 'unlockLibrary']);

interface Pending {
  op: Op;
  resolve: (value: unknown) => void;
  reject: (error: WorkerError) => void;
  onProgress?: (p: Progress) => void;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensureWorker(): Worker {
    if (!this.worker) {
      const worker = new Worker(new URL('./unseal.worker.ts', import.meta.url), { type: 'module', name: 'unseal' });
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.onMessage(event.data));
      worker.addEventListener('error', (event) => {
        // A worker that failed to start (or crashed) fails every call in flight.
        const error = new WorkerError({ code: 'internal', message: `The worker stopped: ${event.message}`, detail: {} });
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
        this.worker = undefined;
      });
      this.worker = worker;
    }
    return this.worker;
  }

  private onMessage(message: FromWorker): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') p.resolve(message.value);
    else p.reject(new WorkerError(message.error));
  }

  /** True while an import, export or encrypted copy is running. */
  get busy(): boolean {
    for (const p of this.pending.values()) if (LONG_JOBS.has(p.op)) return true;
    return false;
  }

  /**
   * Deletes every library and OPFS file, then replaces the worker, so nothing of the deleted
   * libraries (search engines, media matches) lives on in it.
   */
  async deleteEverything(): Promise<void> {
    await this.call('deleteEverything', {});
    this.worker?.terminate();
    this.worker = undefined;
    const error = new WorkerError({ code: 'cancelled', message: 'Everything was deleted.', detail: {} });
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  call<K extends Op>(
    op: K,
    args: WorkerApi[K]['args'],
    options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
  ): Promise<WorkerApi[K]['result']> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<WorkerApi[K]['result']>((resolve, reject) => {
      this.pending.set(id, {
        op,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      options.signal?.addEventListener('abort', () => worker.postMessage({ id, op: 'cancel' } satisfies ToWorker), {
        once: true,
      });
      worker.postMessage({ id, op, args } as ToWorker);
    });
  }
}
