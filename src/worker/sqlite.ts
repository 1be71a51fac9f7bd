/**
 * SQLite (WASM) inside an import worker (import.worker.ts). The decrypted database goes into OPFS
 * through the `opfs-sahpool` VFS (no cross-origin isolation needed; shared/bench §4 measured it
 * as fast as an in-memory database without holding the file in memory). Each import worker has
 * its own pool directory, removed by `closeSqlite` when its import ends; one left by a worker
 * that was killed is removed at start-up (removeStaleImportDirs).
 */
import sqlite3InitModule, { type Database, type SAHPoolUtil, type Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { SqlDb, SqlRow, SqlValue } from '../core/msgstore/sql';
import { UnsealError } from '../core/errors';
import { IMPORT_DIR_PREFIX } from './import-protocol';
import { decodeUtf8 } from '../core/text/utf8';

let ready: Promise<{ sqlite3: Sqlite3Static; pool: SAHPoolUtil }> | undefined;

export function sqlite(): Promise<{ sqlite3: Sqlite3Static; pool: SAHPoolUtil }> {
  ready ??= (async () => {
    const sqlite3 = await sqlite3InitModule();
    if (!('storage' in navigator) || typeof navigator.storage.getDirectory !== 'function') {
      throw new UnsealError('unsupported-browser', 'This browser has no Origin Private File System.');
    }
    const pool = await sqlite3.installOpfsSAHPoolVfs({
      name: 'unseal-import',
      directory: `${IMPORT_DIR_PREFIX}${crypto.randomUUID()}`,
      initialCapacity: 4,
    });
    return { sqlite3, pool };
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

/** Closes the pool's files and removes its directory (the VFS cannot be used again after). */
export async function closeSqlite(): Promise<void> {
  const started = ready;
  ready = undefined;
  const pool = await started?.then((s) => s.pool).catch(() => undefined);
  await pool?.removeVfs().catch(() => undefined);
}

/** The raw C exports the adapter calls directly (no argument/result conversion wrappers). */
interface RawExports {
  sqlite3_step(stmt: number): number;
  sqlite3_reset(stmt: number): number;
  sqlite3_clear_bindings(stmt: number): number;
  sqlite3_column_type(stmt: number, i: number): number;
  sqlite3_column_double(stmt: number, i: number): number;
  sqlite3_column_text(stmt: number, i: number): number;
  sqlite3_column_blob(stmt: number, i: number): number;
  sqlite3_column_bytes(stmt: number, i: number): number;
}

/** Prepared statements kept per connection (least recently used ones are finalized beyond). */
const MAX_STATEMENTS = 256;

/**
 * A read-only `SqlDb` over an oo1 Database. Statements are prepared once and reused (up to
 * MAX_STATEMENTS, least recently used dropped); stepping and value reads call the raw C exports
 * (no per-call wrapper: about 3x cheaper per value than the wrapped capi calls, which were ~2.5x
 * cheaper than oo1's object rows). Reading a million messages is dominated by per-value cost.
 * Integers come back as JS numbers (exact below 2^53: every id, count and ms timestamp).
 * Text is decoded exactly as `capi.sqlite3_column_text` does (UTF-8 up to the first NUL).
 */
export function sqlDb(sqlite3: Sqlite3Static, db: Database): SqlDb & { close(): void } {
  const { capi, wasm } = sqlite3;
  const x = wasm.exports as unknown as RawExports;
  const statements = new Map<string, { stmt: ReturnType<Database['prepare']>; names: string[] }>();
  const ROW = capi.SQLITE_ROW;
  const DONE = capi.SQLITE_DONE;

  function text(p: number, i: number): string | null {
    const ptr = Number(x.sqlite3_column_text(p, i));
    if (!ptr) return null;
    const n = x.sqlite3_column_bytes(p, i);
    if (n === 0) return '';
    const heap = wasm.heap8u();
    const end = ptr + n;
    // A NUL ends the text (C-string semantics, as capi.sqlite3_column_text).
    let stop = heap.indexOf(0, ptr);
    if (stop === -1 || stop > end) stop = end;
    const view = heap.buffer instanceof ArrayBuffer ? heap.subarray(ptr, stop) : heap.slice(ptr, stop);
    return decodeUtf8(view);
  }

  function prepare(sql: string): { stmt: ReturnType<Database['prepare']>; names: string[] } {
    let prepared = statements.get(sql);
    if (prepared) {
      statements.delete(sql); // most recently used goes last
    } else {
      const stmt = db.prepare(sql);
      prepared = { stmt, names: stmt.columnCount ? stmt.getColumnNames() : [] };
      if (statements.size >= MAX_STATEMENTS) {
        const [oldest, old] = statements.entries().next().value!;
        statements.delete(oldest);
        old.stmt.finalize();
      }
    }
    statements.set(sql, prepared);
    return prepared;
  }

  function value(p: number, i: number): SqlValue {
    switch (x.sqlite3_column_type(p, i)) {
      case 1: // SQLITE_INTEGER
      case 2: // SQLITE_FLOAT
        return x.sqlite3_column_double(p, i);
      case 3: // SQLITE_TEXT
        return text(p, i);
      case 4: {
        // SQLITE_BLOB
        const ptr = Number(x.sqlite3_column_blob(p, i));
        const size = x.sqlite3_column_bytes(p, i);
        return size === 0 ? new Uint8Array(0) : wasm.heap8u().slice(ptr, ptr + size);
      }
      default:
        return null;
    }
  }

  /** Runs the statement, handing each row to `onRow`; the statement is left reset. */
  function run(sql: string, params: readonly SqlValue[] | undefined, onRow: (p: number, n: number, names: string[]) => void): void {
    const { stmt, names } = prepare(sql);
    const p = stmt.pointer as unknown as number;
    x.sqlite3_reset(p);
    x.sqlite3_clear_bindings(p);
    try {
      if (params && params.length > 0) stmt.bind(params as SqlValue[]);
      const n = names.length;
      for (;;) {
        const rc = x.sqlite3_step(p);
        if (rc === DONE) break;
        if (rc !== ROW) throw new Error(`SQLite error ${rc}: ${capi.sqlite3_errmsg(db.pointer!)}`);
        onRow(p, n, names);
      }
    } finally {
      x.sqlite3_reset(p); // an error is reported above; the statement stays reusable
    }
  }

  return {
    all(sql: string, params?: readonly SqlValue[]): SqlRow[] {
      const rows: SqlRow[] = [];
      run(sql, params, (p, n, names) => {
        const row: SqlRow = {};
        for (let i = 0; i < n; i++) row[names[i]!] = value(p, i);
        rows.push(row);
      });
      return rows;
    },
    rows(sql: string, params?: readonly SqlValue[]): SqlValue[][] {
      const rows: SqlValue[][] = [];
      run(sql, params, (p, n) => {
        const row: SqlValue[] = new Array(n);
        for (let i = 0; i < n; i++) row[i] = value(p, i);
        rows.push(row);
      });
      return rows;
    },
    close() {
      for (const { stmt } of statements.values()) stmt.finalize();
      statements.clear();
    },
  };
}

/**
 * A push-to-pull bridge: the decryptor pushes inflated chunks; sqlite's chunked importDb pulls
 * them. `push` waits until its chunk was taken, so at most one chunk is in flight.
 * `fail` makes the pending and every later pull reject, so importDb frees its file slot.
 */
export function chunkChannel() {
  let waitingPull: { resolve: (c: Uint8Array | undefined) => void; reject: (e: unknown) => void } | undefined;
  let waitingPush: { chunk: Uint8Array | undefined; taken: () => void } | undefined;
  let failure: { reason: unknown } | undefined;
  return {
    push(chunk: Uint8Array | undefined): Promise<void> {
      if (failure) return Promise.reject(failure.reason);
      if (waitingPull) {
        const pull = waitingPull;
        waitingPull = undefined;
        pull.resolve(chunk);
        return Promise.resolve();
      }
      return new Promise<void>((taken) => {
        waitingPush = { chunk, taken };
      });
    },
    pull(): Promise<Uint8Array | undefined> {
      if (failure) return Promise.reject(failure.reason);
      if (waitingPush) {
        const { chunk, taken } = waitingPush;
        waitingPush = undefined;
        taken();
        return Promise.resolve(chunk);
      }
      return new Promise((resolve, reject) => {
        waitingPull = { resolve, reject };
      });
    },
    fail(reason: unknown): void {
      failure = { reason };
      waitingPull?.reject(reason);
      waitingPull = undefined;
      waitingPush?.taken();
      waitingPush = undefined;
    },
  };
}
