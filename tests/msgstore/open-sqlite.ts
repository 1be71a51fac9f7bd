/**
 * Opens a SQLite file's bytes in memory with @sqlite.org/sqlite-wasm (Node build) and wraps it
 * in the `SqlDb` the readers use. The adapter is deliberately tiny: the worker's is the same call.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import type { SqlDb } from '../../src/core/msgstore/sql';
import { sqlDb } from '../../src/worker/sqlite';
import { sharedBytes } from '../shared';

type Sqlite3 = Awaited<ReturnType<typeof sqlite3InitModule>>;
type Db = InstanceType<Sqlite3['oo1']['DB']>;

let ready: Promise<Sqlite3> | undefined;
export function sqlite(): Promise<Sqlite3> {
  return (ready ??= sqlite3InitModule());
}

export interface TestDb extends SqlDb {
  raw: Db;
  close(): void;
}

/** The worker's own adapter (src/worker/sqlite.ts), so the tests read exactly as the app does. */
export function adapt(sqlite3: Sqlite3, db: Db): TestDb {
  const adapter = sqlDb(sqlite3, db);
  return {
    raw: db,
    all: adapter.all,
    rows: adapter.rows,
    close: () => {
      adapter.close();
      db.close();
    },
  };
}

/** A database from bytes (copied; the WAL header flag is switched to rollback-journal). */
export async function openBytes(source: Uint8Array): Promise<TestDb> {
  const sqlite3 = await sqlite();
  const bytes = new Uint8Array(source);
  if (bytes[18] === 2) bytes[18] = 1;
  if (bytes[19] === 2) bytes[19] = 1;
  const db = new sqlite3.oo1.DB();
  const p = sqlite3.wasm.allocFromTypedArray(bytes);
  const rc = sqlite3.capi.sqlite3_deserialize(
    db.pointer!,
    'main',
    p,
    bytes.length,
    bytes.length,
    sqlite3.capi.SQLITE_DESERIALIZE_FREEONCLOSE | sqlite3.capi.SQLITE_DESERIALIZE_RESIZEABLE,
  );
  if (rc !== 0) throw new Error(`sqlite3_deserialize failed: ${rc}`);
  return adapt(sqlite3, db);
}

/** A file under ../shared. */
export function openShared(relativePath: string): Promise<TestDb> {
  return openBytes(sharedBytes(relativePath));
}

/** An empty in-memory database. */
export async function openMemory(): Promise<TestDb> {
  const sqlite3 = await sqlite();
  return adapt(sqlite3, new sqlite3.oo1.DB(':memory:'));
}
