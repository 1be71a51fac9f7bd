/**
 * The only thing the msgstore readers need from SQLite: run a read-only query, get rows.
 * The worker backs it with @sqlite.org/sqlite-wasm on OPFS; Node tests with the same library
 * in memory. Synchronous, because sqlite-wasm's oo1 API is.
 */
export type SqlValue = string | number | bigint | Uint8Array | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlDb {
  /** All rows of a query, as objects keyed by column name. Keep result sets page-sized. */
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
  /**
   * The same rows as positional arrays (column order of the SELECT): no per-value property
   * store, for the hot page queries. Optional; readers fall back to `all`.
   */
  rows?(sql: string, params?: readonly SqlValue[]): SqlValue[][];
}

/** `db.rows` when the adapter has it, else `db.all` turned into arrays. */
export function rowsOf(db: SqlDb, sql: string, params?: readonly SqlValue[]): SqlValue[][] {
  if (db.rows) return db.rows(sql, params);
  return db.all(sql, params).map((r) => Object.values(r));
}
