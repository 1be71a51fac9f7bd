/**
 * zlib inflate through `DecompressionStream('deflate')` (zlib format, RFC 1950), pushing output to
 * a sink with backpressure, and telling *how* it failed: damaged data ('bad-data') or a stream
 * that never reached its end ('unfinished'). Its errors are generic, so we use timing: in
 * browsers (Chromium's transform runs synchronously) damaged data rejects the `write` that
 * carries it, while a stream without its end fails only at `close` (flush). Node 20's
 * implementation wraps an async zlib stream: writes resolve early and a data error may land
 * only on `close`; there the error carries zlib's code, Z_DATA_ERROR (damaged) versus
 * Z_BUF_ERROR (unexpected end of file), which `close` uses when present. Data after the end of the zlib stream is never written here in the success path
 * (Chromium rejects it; Node ignores it), see decrypt.ts.
 */

import { ab } from './bytes';

export type InflateOutcome = 'ok' | 'bad-data' | 'unfinished';

/** Thrown out of `write`/`close` when the sink itself failed (e.g. storage full). */
export class SinkFailure {
  constructor(readonly error: unknown) {}
}

/**
 * One zlib inflate, as `decryptBackup` drives it: compressed bytes in (`write`, then `close`),
 * inflated bytes out to the sink it was made with. `Inflater` runs it on the calling thread;
 * src/worker/inflate-remote.ts runs it in a worker of its own.
 * - `write` may take the chunk's memory (transfer it): the caller must not use it afterwards. It
 *   resolves false once the data proved bad ('bad-data'); it may resolve before the chunk was
 *   inflated, so bad data may be noticed only by a later `write` or by `close`.
 * - `close` resolves to the outcome once every inflated byte went through the sink.
 * - A sink failure is thrown out of `write`/`close` as a `SinkFailure`.
 * - `abort` stops everything; no further chunk is given to the sink.
 */
export interface InflateStep {
  write(chunk: Uint8Array): Promise<boolean>;
  close(): Promise<InflateOutcome>;
  abort(): Promise<void>;
  /** Inflated bytes handed to the sink so far. */
  readonly bytesOut: number;
}

/** Makes an inflate step that pushes to `sink`; `decryptBackup` makes one per zlib payload. */
export type InflateStepFactory = (sink: (chunk: Uint8Array) => Promise<void> | void) => InflateStep;

/** The default step: `DecompressionStream` on the calling thread. */
export const inThreadInflate: InflateStepFactory = (sink) => new Inflater(sink);

export class Inflater implements InflateStep {
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly pump: Promise<void>;
  private sinkError: SinkFailure | undefined;
  private failed: InflateOutcome | undefined;
  private readError: unknown;
  bytesOut = 0;

  constructor(sink: (chunk: Uint8Array) => Promise<void> | void) {
    const ds = new DecompressionStream('deflate');
    this.writer = ds.writable.getWriter();
    const reader = ds.readable.getReader();
    this.pump = (async () => {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          this.readError = e; // the stream errored (the zlib error itself, in Node)
          return;
        }
        if (r.done) return;
        this.bytesOut += r.value.length;
        try {
          await sink(r.value);
        } catch (e) {
          this.sinkError = e instanceof SinkFailure ? e : new SinkFailure(e);
          await reader.cancel().catch(() => {});
          return;
        }
      }
    })();
  }

  /** Feeds compressed bytes. Resolves false once the data proved bad (further writes are no-ops). */
  async write(chunk: Uint8Array): Promise<boolean> {
    if (this.failed) return false;
    if (chunk.length === 0) return true;
    try {
      await this.writer.write(ab(chunk));
      return true;
    } catch {
      if (this.sinkError) throw this.sinkError;
      this.failed = 'bad-data';
      return false;
    }
  }

  /** Ends the input: 'ok' when the zlib stream ended properly (Adler-32 checked). */
  async close(): Promise<InflateOutcome> {
    if (this.failed) return this.failed;
    const erroredBeforeClose = this.readError !== undefined;
    try {
      await this.writer.close();
      await this.pump;
      if (this.sinkError) throw this.sinkError;
      return 'ok';
    } catch (e) {
      await this.pump;
      if (this.sinkError) throw this.sinkError;
      if (e instanceof SinkFailure) throw e;
      // Prefer the error the stream itself failed with: once errored, close() only says "invalid state".
      const err = this.readError ?? e;
      const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
      if (typeof code === 'string' && code.startsWith('Z_')) this.failed = code === 'Z_BUF_ERROR' ? 'unfinished' : 'bad-data';
      else this.failed = erroredBeforeClose ? 'bad-data' : 'unfinished';
      return this.failed;
    }
  }

  /** Stops everything (cancel, or an error elsewhere). */
  async abort(): Promise<void> {
    await this.writer.abort().catch(() => {});
    await this.pump.catch(() => {});
  }
}
