/**
 * SQLite (WASM) inside the worker. The decrypted database goes into OPFS through the
 * `opfs-sahpool` VFS (no cross-origin isolation needed; shared/bench §4 measured it as fast as
 * an in-memory database without holding the file in memory). Files there are temporary: one
 * per import, removed when the import ends; anything left at start-up is wiped.
 */
import sqlite3InitModule, { type Database, type SAHPoolUtil, type Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { SqlDb, SqlRow, SqlValue } from '../core/msgstore/sql';
import { UnsealError } from '../core/errors';

let ready: Promise<{ sqlite3: Sqlite3Static; pool: SAHPoolUtil }> | undefined;

export function sqlite(): Promise<{ sqlite3: Sqlite3Static; pool: SAHPoolUtil }> {
  ready ??= (async () => {
    const sqlite3 = await sqlite3InitModule();
    if (!('storage' in navigator) || typeof navigator.storage.getDirectory !== 'function') {
      throw new UnsealError('unsupported-browser', 'This browser has no Origin Private File System.');
    }
    // clearOnInit: nothing in the pool outlives an import, so a stale file is a crashed import.
    const pool = await sqlite3.installOpfsSAHPoolVfs({
      name: 'unseal-import',
      directory: '.unseal-import',
      clearOnInit: true,
      initialCapacity: 4,
    });
    return { sqlite3, pool };
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

/**
 * A read-only `SqlDb` over an oo1 Database. Statements are prepared once and reused; values are
 * read with the C column getters, which is about 2.5x faster than oo1's object rows (reading a
 * million messages is dominated by per-value cost; see the msgstore reader's notes).
 * Integers come back as JS numbers (exact below 2^53: every id, count and ms timestamp).
 */
export function sqlDb(sqlite3: Sqlite3Static, db: Database): SqlDb & { close(): void } {
  const { capi, wasm } = sqlite3;
  const statements = new Map<string, { stmt: ReturnType<Database['prepare']>; names: string[] }>();
  return {
    all(sql: string, params?: readonly SqlValue[]): SqlRow[] {
      let prepared = statements.get(sql);
      if (!prepared) {
        const stmt = db.prepare(sql);
        prepared = { stmt, names: stmt.getColumnNames() };
        statements.set(sql, prepared);
      }
      const { stmt, names } = prepared;
      stmt.reset(true);
      if (params && params.length > 0) stmt.bind(params as SqlValue[]);
      const p = stmt.pointer!;
      const rows: SqlRow[] = [];
      const n = names.length;
      while (stmt.step()) {
        const row: SqlRow = {};
        for (let i = 0; i < n; i++) {
          switch (capi.sqlite3_column_type(p, i)) {
            case capi.SQLITE_INTEGER:
            case capi.SQLITE_FLOAT:
              row[names[i]] = capi.sqlite3_column_double(p, i);
              break;
            case capi.SQLITE_TEXT:
              row[names[i]] = capi.sqlite3_column_text(p, i);
              break;
            case capi.SQLITE_BLOB: {
              const size = capi.sqlite3_column_bytes(p, i);
              const ptr = capi.sqlite3_column_blob(p, i);
              row[names[i]] = size === 0 ? new Uint8Array(0) : wasm.heap8u().slice(Number(ptr), Number(ptr) + size);
              break;
            }
            default:
              row[names[i]] = null;
          }
        }
        rows.push(row);
      }
      stmt.reset(true);
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
