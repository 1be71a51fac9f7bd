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

/** A read-only `SqlDb` over an oo1 Database. */
export function sqlDb(db: Database): SqlDb {
  return {
    all(sql: string, params?: readonly SqlValue[]): SqlRow[] {
      return db.exec({
        sql,
        bind: params && params.length > 0 ? (params as SqlValue[]) : undefined,
        rowMode: 'object',
        returnValue: 'resultRows',
      }) as SqlRow[];
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
