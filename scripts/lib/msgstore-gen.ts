/**
 * Shared core of the msgstore generators (demo and benchmark). Dev/test only.
 *
 * - builds an in-memory SQLite with WhatsApp's real current schema
 *   (shared/spec/msgstore-new-schema.sql) plus the real indexes of that schema
 *   (shared/samples/android-new/…2025-03….schema.sql, CREATE INDEX only: no triggers),
 * - a seeded PRNG so every run gives the same rows,
 * - a row writer with cached prepared statements,
 * - export of the database bytes (whole, or chunk by chunk straight from the WASM heap).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlite3InitModule, { type Database, type PreparedStatement, type Sqlite3Static } from '@sqlite.org/sqlite-wasm';

export const ROOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.UNSEAL_SHARED ?? resolve(ROOT_DIR, '../shared');
export const SCHEMA_DDL = resolve(SHARED_DIR, 'spec/msgstore-new-schema.sql');
export const SCHEMA_FULL_DUMP = resolve(SHARED_DIR, 'samples/android-new/salozubz-2025-03-empty-msgstore.schema.sql');

let sqlitePromise: Promise<Sqlite3Static> | undefined;
export function loadSqlite(): Promise<Sqlite3Static> {
  sqlitePromise ??= sqlite3InitModule();
  return sqlitePromise;
}

/** Split SQL text into complete statements with SQLite's own sqlite3_complete(). */
export function splitStatements(sqlite3: Sqlite3Static, text: string): string[] {
  const out: string[] = [];
  let acc = '';
  for (const line of text.split('\n')) {
    acc += line + '\n';
    if (acc.trim() && sqlite3.capi.sqlite3_complete(acc)) {
      const s = acc.trim();
      // Drop statements that are only comments.
      if (s.replace(/--[^\n]*/g, '').trim().replace(/;$/, '').trim()) out.push(s);
      acc = '';
    }
  }
  if (acc.replace(/--[^\n]*/g, '').trim()) out.push(acc.trim());
  return out;
}

export interface SchemaReport {
  statements: number;
  failed: { sql: string; error: string }[];
  indexes: number;
  indexesSkipped: number;
}

/**
 * Run every statement of the DDL, one by one, recording (not hiding) any that fail. Then add the
 * real DB's CREATE INDEX statements for the tables that exist.
 */
export function applySchema(sqlite3: Sqlite3Static, db: Database, withIndexes = true): SchemaReport {
  const report: SchemaReport = { statements: 0, failed: [], indexes: 0, indexesSkipped: 0 };
  for (const sql of splitStatements(sqlite3, readFileSync(SCHEMA_DDL, 'utf8'))) {
    report.statements++;
    try {
      db.exec(sql);
    } catch (e) {
      report.failed.push({ sql: sql.slice(0, 120), error: String((e as Error).message ?? e) });
    }
  }
  if (withIndexes) {
    const tables = new Set(db.selectValues("SELECT name FROM sqlite_master WHERE type='table'").map(String));
    for (const sql of splitStatements(sqlite3, readFileSync(SCHEMA_FULL_DUMP, 'utf8'))) {
      const m = /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF NOT EXISTS\s+)?\S+\s+ON\s+"?(\w+)"?/i.exec(sql);
      if (!m) continue;
      if (!tables.has(m[1])) {
        report.indexesSkipped++;
        continue;
      }
      try {
        db.exec(sql);
        report.indexes++;
      } catch {
        report.indexesSkipped++;
      }
    }
  }
  return report;
}

export async function openMsgstore(withIndexes = true): Promise<{ sqlite3: Sqlite3Static; db: Database; report: SchemaReport }> {
  const sqlite3 = await loadSqlite();
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  db.exec('PRAGMA page_size = 4096; PRAGMA auto_vacuum = 0;');
  const report = applySchema(sqlite3, db, withIndexes);
  return { sqlite3, db, report };
}

/** The database as one Uint8Array (small databases). */
export function exportDb(sqlite3: Sqlite3Static, db: Database): Uint8Array {
  return sqlite3.capi.sqlite3_js_db_export(db.pointer!);
}

/**
 * The database bytes in chunks, copied out of one sqlite3_serialize() buffer in the WASM heap, so
 * the JS side never holds a second full copy. Chunks are fresh copies (safe to keep).
 */
export function* exportDbChunks(sqlite3: Sqlite3Static, db: Database, chunkSize = 4 << 20): Generator<Uint8Array> {
  const { wasm, capi } = sqlite3;
  const stack = wasm.pstack.pointer;
  let p: number;
  let size: number;
  try {
    const pSize = wasm.pstack.alloc(8);
    p = Number(capi.sqlite3_serialize(db.pointer!, 'main', pSize, 0));
    size = Number(wasm.peek(pSize, 'i64'));
  } finally {
    wasm.pstack.restore(stack);
  }
  if (!p) throw new Error('sqlite3_serialize failed (out of memory?)');
  try {
    for (let off = 0; off < size; off += chunkSize) {
      const end = Math.min(size, off + chunkSize);
      yield wasm.heap8u().slice(p + off, p + end);
    }
  } finally {
    capi.sqlite3_free(p);
  }
}

export function dbSizeBytes(db: Database): number {
  return Number(db.selectValue('PRAGMA page_count')) * Number(db.selectValue('PRAGMA page_size'));
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/** sfc32, seeded through splitmix32. Same seed → same sequence, on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** [0, 1) */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[this.int(arr.length)];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  hex(n: number, upper = true): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.u32() & 15];
    return upper ? s.toUpperCase() : s;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** A key_id in one of the shapes real clients write (32 hex = Android, 3EB0… = Web, 3A… = iOS). */
export function keyId(rng: Rng, fromMe: boolean): string {
  if (fromMe) return rng.hex(32);
  const r = rng.int(10);
  if (r < 6) return rng.hex(32);
  if (r < 8) return '3EB0' + rng.hex(16);
  return '3A' + rng.hex(18);
}

// ---------------------------------------------------------------------------------------------
// Row writer
// ---------------------------------------------------------------------------------------------

export type Row = Record<string, string | number | bigint | Uint8Array | null | undefined>;

/** INSERTs with one cached prepared statement per (table, column list). Returns last_insert_rowid. */
export class RowWriter {
  private stmts = new Map<string, PreparedStatement>();
  constructor(
    readonly sqlite3: Sqlite3Static,
    readonly db: Database,
  ) {}
  insert(table: string, row: Row): number {
    const cols = Object.keys(row).filter((k) => row[k] !== undefined);
    const key = table + '|' + cols.join(',');
    let st = this.stmts.get(key);
    if (!st) {
      st = this.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      this.stmts.set(key, st);
    }
    st.bind(cols.map((c) => row[c] as string | number | bigint | Uint8Array | null)).stepReset();
    return Number(this.sqlite3.capi.sqlite3_last_insert_rowid(this.db.pointer!));
  }
  finalize(): void {
    for (const st of this.stmts.values()) st.finalize();
    this.stmts.clear();
  }
}

/** `Media/WhatsApp Images/IMG-20250712-WA0003.jpg` style names. */
export function yyyymmdd(ts: number): string {
  const d = new Date(ts);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
