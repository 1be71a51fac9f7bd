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
}
