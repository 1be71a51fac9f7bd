/**
 * Schema probing: which tables and columns this database really has. WhatsApp adds columns at
 * the end of tables over the years and drops tables between eras, so every reader asks here
 * before it names a column (msgstore-schema.md §1: "Always probe PRAGMA table_info").
 */
import type { SqlDb, SqlValue } from './sql';

export class Schema {
  private readonly tables: Set<string>;
  private readonly columns = new Map<string, Set<string>>();

  constructor(readonly db: SqlDb) {
    this.tables = new Set(
      db
        .all("SELECT name FROM sqlite_master WHERE type = 'table'")
        .map((r) => String(r.name).toLowerCase()),
    );
  }

  hasTable(name: string): boolean {
    return this.tables.has(name.toLowerCase());
  }

  /** Column names of a table (lower case); empty when the table does not exist. */
  cols(table: string): Set<string> {
    const key = table.toLowerCase();
    let set = this.columns.get(key);
    if (!set) {
      set = new Set();
      if (this.tables.has(key)) {
        for (const r of this.db.all(`PRAGMA table_info("${key.replace(/"/g, '""')}")`)) {
          set.add(String(r.name).toLowerCase());
        }
      }
      this.columns.set(key, set);
    }
    return set;
  }

  has(table: string, ...columns: string[]): boolean {
    const c = this.cols(table);
    return c.size > 0 && columns.every((col) => c.has(col.toLowerCase()));
  }

  /** `alias.col` when the column exists, else `NULL AS col`, for tolerant SELECT lists. */
  col(table: string, column: string, alias = table): string {
    return this.cols(table).has(column.toLowerCase()) ? `${alias}.${column} AS ${column}` : `NULL AS ${column}`;
  }

  /** A select list of the given columns, each one present or NULL. */
  list(table: string, columns: readonly string[], alias = table): string {
    return columns.map((c) => this.col(table, c, alias)).join(', ');
  }
}

/** Integers inlined into an `IN (…)` list (they come from the database; checked anyway). */
export function inList(ids: Iterable<number>): string {
  const out: string[] = [];
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) throw new TypeError(`inList: not an integer id: ${id}`);
    out.push(String(id));
  }
  return out.length ? out.join(',') : 'NULL';
}

export function num(v: SqlValue | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function int(v: SqlValue | undefined, fallback = 0): number {
  const n = num(v);
  return n === undefined ? fallback : Math.trunc(n);
}

const utf8 = new TextDecoder('utf-8');

export function str(v: SqlValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return String(v);
}

/** A non-empty string, or undefined. */
export function text(v: SqlValue | undefined): string | undefined {
  const s = str(v);
  return s === undefined || s === '' ? undefined : s;
}

export function bytes(v: SqlValue | undefined): Uint8Array | undefined {
  if (v instanceof Uint8Array && v.length > 0) return v.slice();
  return undefined;
}

export function bool(v: SqlValue | undefined): boolean {
  return int(v) !== 0;
}
