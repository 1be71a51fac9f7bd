/**
 * Reader for the CURRENT schema (rows in `message`, 2022 →), msgstore-schema.md §2.
 *
 * `messagePages` reads one chat in `(chat_row_id, sort_id)` index order (`message_chat_sort_id_index`),
 * with keyset paging (the sort key comes with each row); `allPages` reads many chats in one pass
 * over the table in row order and cuts the same pages (see there). Side tables are preloaded once per reader
 * into maps keyed by message row id, within a memory bound (PRELOAD_MAX_ROWS rows per table,
 * PRELOAD_BUDGET_BYTES estimated in all); a table over the bound is read per page by joining the
 * page's index range, as before. Thumbnail bytes are always fetched per page, for just the ids
 * that have one. The whole `jid` and `jid_map` tables are loaded once (they hold people).
 */
import type { CallInfo, Chat, Message, Participant, Person, Quote, Reaction } from './model';
import { audioKind, kindOfType, MEDIA_TYPES } from './kinds';
import { chatKindOf, chatTitle, isStatusJid, person } from './people';
import { chatAfterChat, type ChatPage, DEFAULT_BUFFER_ROWS, DEFAULT_PAGE_SIZE, type MsgstoreReader } from './reader-types';
import { bool, bytes, int, num, type Schema, str, text } from './schema';
import { rowsOf, type SqlRow, type SqlValue } from './sql';
import { renderSystem } from './system';
import { parseVCards } from './vcard';
import { callOutcome, eventTime } from './common';

interface JidRow {
  raw: string;
  server: string;
}

/** The `jid` table with `jid_map` applied: row id → Person. */
class Jids {
  private readonly rows = new Map<number, JidRow>();
  private readonly lidToPhone = new Map<number, number>();
  private readonly people = new Map<number, Person>();

  constructor(schema: Schema) {
    if (schema.hasTable('jid')) {
      const sql = `SELECT _id, ${schema.list('jid', ['user', 'server', 'raw_string'])} FROM jid`;
      for (const r of schema.db.all(sql)) {
        const user = str(r.user) ?? '';
        const server = str(r.server) ?? '';
        const raw = text(r.raw_string) ?? (server ? `${user}@${server}` : user);
        this.rows.set(int(r._id), { raw, server: server.toLowerCase() });
      }
    }
    if (schema.has('jid_map', 'lid_row_id', 'jid_row_id')) {
      for (const r of schema.db.all('SELECT lid_row_id, jid_row_id FROM jid_map')) {
        this.lidToPhone.set(int(r.lid_row_id), int(r.jid_row_id));
      }
    }
  }

  raw(id: number | undefined): string | undefined {
    return id === undefined ? undefined : this.rows.get(id)?.raw;
  }

  /** The phone jid a `@lid` row maps to, if any. */
  mapped(id: number): string | undefined {
    const target = this.lidToPhone.get(id);
    return target === undefined ? undefined : this.rows.get(target)?.raw;
  }

  person(id: number | undefined): Person | undefined {
    if (id === undefined || id <= 0) return undefined;
    let p = this.people.get(id);
    if (!p) {
      const row = this.rows.get(id);
      if (!row) return undefined;
      p = person(row.raw, this.mapped(id));
      this.people.set(id, p);
    }
    return p;
  }
}

interface ChatInfo {
  chat: Chat;
  jidRowId?: number;
}

/** Preloading bounds (see `preloaded` in currentReader). */
export const PRELOAD_MAX_ROWS = 2_000_000;
export const PRELOAD_BUDGET_BYTES = 128 * 1024 * 1024; // ~84 MB estimated (~77 MB real) for the 1M-message bench DB
const PRELOAD_CHUNK = 20_000;
/** Largest message id the side-row bitset covers (2^27 ids: 16 MB); beyond, pages ask every map. */
const MAX_BITSET_ID = 2 ** 27;
const QUOTED_COLUMNS = ['parent_message_chat_row_id', 'from_me', 'sender_jid_row_id', 'key_id', 'message_type', 'text_data'];

/**
 * The key ids quotes refer to: only these need a position (keyPos), so the other ~97% of a big
 * backup's key ids skip the map. `filter` is a cheap pre-check on the last characters (no
 * string hashing for most keys).
 */
interface QuotedKeys {
  keys: Set<string>;
  filter: Uint8Array;
}
const KEY_FILTER_SIZE = 1 << 16;
function keyFilterHash(k: string): number {
  const n = k.length;
  let h = n;
  for (let i = n > 4 ? n - 4 : 0; i < n; i++) h = (h * 31 + k.charCodeAt(i)) | 0;
  return h & (KEY_FILTER_SIZE - 1);
}

/** Ids as one JSON parameter, for `IN (SELECT value FROM json_each(?))`. */
function idJson(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new TypeError(`not an integer id: ${id}`);
  return JSON.stringify(ids);
}

export function currentReader(schema: Schema): MsgstoreReader {
  const db = schema.db;
  let jids: Jids | undefined;
  const people = () => (jids ??= new Jids(schema));
  let chatInfo: Map<number, ChatInfo> | undefined;

  const hasSort = schema.has('message', 'sort_id');
  const orderKey = hasSort ? 'sort_id' : '_id';

  function loadChats(): Map<number, ChatInfo> {
    if (chatInfo) return chatInfo;
    const j = people();
    // Counts come from the (chat_row_id, sort_id) index alone; the last activity is the timestamp
    // of each chat's last row in that order (one index probe per chat, not a table scan).
    const stats = db.all(
      `SELECT s.chat_row_id AS chat_row_id, s.n AS n, (SELECT ${schema.has('message', 'timestamp') ? 'm.timestamp' : 'NULL'} FROM message m WHERE m.chat_row_id = s.chat_row_id ` +
        `ORDER BY m.${orderKey} DESC, m._id DESC LIMIT 1) AS last ` +
        `FROM (SELECT chat_row_id, count(*) AS n FROM message WHERE _id > 1 GROUP BY chat_row_id) s`,
    );
    const chatRows = new Map<number, SqlRow>();
    if (schema.hasTable('chat')) {
      const cols = schema.list('chat', ['jid_row_id', 'subject', 'archived', 'hidden', 'created_timestamp', 'group_type']);
      for (const r of db.all(`SELECT _id, ${cols} FROM chat`)) chatRows.set(int(r._id), r);
    }
    const channelNames = new Map<number, string>();
    if (schema.has('newsletter', 'chat_row_id', 'name')) {
      for (const r of db.all('SELECT chat_row_id, name FROM newsletter')) {
        const n = text(r.name);
        if (n) channelNames.set(int(r.chat_row_id), n);
      }
    }
    const participants = loadParticipants(schema, j);
    chatInfo = new Map();
    for (const s of stats) {
      const id = int(s.chat_row_id);
      const c = chatRows.get(id);
      const jidRowId = c ? num(c.jid_row_id) : undefined;
      const jid = j.raw(jidRowId) ?? `chat-${id}@unknown`;
      if (isStatusJid(jid)) continue;
      const kind = chatKindOf(jid);
      const subject = kind === 'channel' ? (channelNames.get(id) ?? text(c?.subject)) : text(c?.subject);
      const chat: Chat = {
        id,
        jid,
        kind,
        title: chatTitle(jid, subject, jidRowId === undefined ? undefined : j.mapped(jidRowId)),
        participants: kind === 'group' && jidRowId !== undefined ? (participants.get(jidRowId) ?? []) : [],
        archived: bool(c?.archived),
        lastActivity: int(s.last),
        messageCount: int(s.n),
      };
      const created = num(c?.created_timestamp);
      if (created) chat.createdAt = created;
      chatInfo.set(id, { chat, jidRowId });
    }
    return chatInfo;
  }

  /** What building a chat's pages needs to know about the chat, and where its reading stands. */
  interface ChatCursor {
    ctx: PageCtx;
    /** The sort key and id of the last row read (keyset paging), or the smallest values. */
    lastK: number;
    lastId: number;
  }

  function cursorFor(chatId: number): ChatCursor | undefined {
    const info = loadChats().get(chatId);
    if (!info) return undefined;
    const j = people();
    const group = info.chat.kind === 'group';
    const partner = info.chat.kind === 'person' ? person(info.chat.jid, info.jidRowId ? j.mapped(info.jidRowId) : undefined) : undefined;
    return {
      ctx: { chatId, group, partner, jids: j, keyPos: new Map(), quotedKeys: quotedKeys(), firstPos: 0 },
      lastK: -Number.MAX_SAFE_INTEGER,
      lastId: -Number.MAX_SAFE_INTEGER,
    };
  }

  // Each value crossing the WASM boundary costs ~0.1–0.5 µs (text more), so the page query reads
  // few values, as positional arrays: the per-row flags travel packed in one integer (bit 0
  // from_me, bit 1 starred, bit 2 forwarded = origination_flags & 1, bits 3+ message_type + 1),
  // and the sort key rides along for the keyset paging. Columns: `rowColumns`.
  const has = (c: string) => schema.has('message', c);
  const packed =
    `((ifnull(m.from_me, 0) != 0) | ${has('starred') ? '((ifnull(m.starred, 0) != 0) << 1)' : '0'} | ` +
    `${has('origination_flags') ? '((ifnull(m.origination_flags, 0) & 1) << 2)' : '0'} | (${has('message_type') ? '(ifnull(m.message_type, -1) + 1)' : '0'} << 3))`;
  const col = (c: string) => `${has(c) ? `m.${c}` : 'NULL'} AS ${c}`;
  const rowColumns = `m._id AS _id, ${packed} AS f, m.key_id AS key_id, ${col('timestamp')}, ${col('text_data')}, ${col('sender_jid_row_id')}, m.${orderKey} AS k, m.chat_row_id AS c`;

  /** One row of the page queries (`rowColumns`); only group rows keep a sender (a 1:1 row's is ignored). */
  function pageRow(a: SqlValue[], group: boolean): PageRow {
    const f = int(a[1]);
    return {
      _id: int(a[0]),
      key_id: a[2] ?? null,
      timestamp: a[3] ?? null,
      text_data: a[4] ?? null,
      sender_jid_row_id: group ? (a[5] ?? null) : undefined,
      from_me: f & 1,
      starred: (f >> 1) & 1,
      forwarded: (f >> 2) & 1,
      message_type: (f >> 3) - 1,
    };
  }

  /** The chat's next page from its rows (in sort order) and their sort keys; moves the cursor past them. */
  function nextPage(cursor: ChatCursor, rows: PageRow[], lastK: number): Message[] {
    const list = rows.map((r) => r._id);
    const range: PageRange = { chatId: cursor.ctx.chatId, fromK: cursor.lastK, fromId: cursor.lastId, toId: list[list.length - 1]!, toK: lastK, list };
    const page = buildPage(rows, range, cursor.ctx);
    cursor.ctx.firstPos += page.length;
    cursor.lastK = range.toK;
    cursor.lastId = range.toId;
    return page;
  }

  function* messagePages(chatId: number, pageSize = DEFAULT_PAGE_SIZE): Generator<Message[], void, undefined> {
    const cursor = cursorFor(chatId);
    if (!cursor) return;
    const sql = `SELECT ${rowColumns} FROM message m WHERE m.chat_row_id = ? AND (m.${orderKey}, m._id) > (?, ?) ORDER BY m.${orderKey}, m._id LIMIT ?`;
    for (;;) {
      const arrays = rowsOf(db, sql, [chatId, cursor.lastK, cursor.lastId, pageSize]);
      if (arrays.length === 0) break;
      const rows = arrays.map((a) => pageRow(a, cursor.ctx.group));
      yield nextPage(cursor, rows, int(arrays[arrays.length - 1]![6]));
      if (arrays.length < pageSize) break;
    }
  }

  /**
   * Per chat: its rows' id range and count, and whether reading them in id order gives the sort
   * order (`ordered`; ties in the sort key break by id, as the page query's). WhatsApp gives a
   * row sort_id = _id ("normally", msgstore-schema.md), so only chats with rows where they differ
   * are checked row by row; one whose order differs (or with a NULL sort key, which the page
   * query's keyset skips) is read on its own.
   */
  function chatSpans(): Map<number, { lo: number; hi: number; n: number; ordered: boolean }> {
    const out = new Map<number, { lo: number; hi: number; n: number; ordered: boolean }>();
    const moved: number[] = [];
    const sql = `SELECT chat_row_id AS c, min(_id) AS lo, max(_id) AS hi, count(*) AS n, ${hasSort ? 'ifnull(sum(sort_id IS NOT _id), 0)' : '0'} AS moved FROM message GROUP BY chat_row_id`;
    for (const [c, lo, hi, n, differs] of rowsOf(db, sql, [])) {
      out.set(int(c), { lo: int(lo), hi: int(hi), n: int(n), ordered: int(differs) === 0 });
      if (int(differs) > 0) moved.push(int(c));
    }
    if (moved.length === 0) return out;
    const check =
      'SELECT c, ifnull(sum(prev > _id), 0) + ifnull(sum(k IS NULL), 0) AS bad FROM (SELECT chat_row_id AS c, _id, sort_id AS k, ' +
      'lag(_id) OVER (PARTITION BY chat_row_id ORDER BY sort_id, _id) AS prev FROM message WHERE chat_row_id IN (SELECT value FROM json_each(?))) GROUP BY c';
    for (const [c, bad] of rowsOf(db, check, [idJson(moved)])) out.get(int(c))!.ordered = int(bad) === 0;
    return out;
  }

  /**
   * `allPages`: chats grouped in the order their rows begin, each group holding at most
   * `bufferRows` rows between pages (a chat holds less than a page at any time), and each group's
   * rows read in one pass over the message table in row order. Reading chat after chat through
   * its index instead reads about one table page per row once chats spread over the file (the
   * 1M-message bench import: OPFS reads 12.5 s that way, 4.7 s this way).
   */
  function* allPages(pageSize = DEFAULT_PAGE_SIZE, bufferRows = DEFAULT_BUFFER_ROWS): Generator<ChatPage, void, undefined> {
    const chats = loadChats();
    let spans: ReturnType<typeof chatSpans>;
    try {
      spans = chatSpans();
    } catch {
      // A database these queries do not run on (schema drift) is read chat after chat.
      yield* chatAfterChat(chats.keys(), messagePages, pageSize);
      return;
    }
    const alone: number[] = [];
    const swept: { id: number; lo: number; hi: number; n: number }[] = [];
    for (const id of chats.keys()) {
      const span = spans.get(id);
      if (span?.ordered) swept.push({ id, ...span });
      else alone.push(id);
    }
    swept.sort((a, b) => a.lo - b.lo || a.id - b.id);
    let group: typeof swept = [];
    let held = 0;
    for (const chat of swept) {
      const holds = Math.min(chat.n, pageSize);
      if (group.length > 0 && held + holds > bufferRows) {
        yield* sweep(group, pageSize);
        group = [];
        held = 0;
      }
      group.push(chat);
      held += holds;
    }
    if (group.length > 0) yield* sweep(group, pageSize);
    yield* chatAfterChat(alone, messagePages, pageSize);
  }

  /** Rows per query of a sweep. */
  const SWEEP_CHUNK = 5_000;

  /** One pass over the message table's id range of `group`'s chats, in row order. */
  function* sweep(group: readonly { id: number; lo: number; hi: number }[], pageSize: number): Generator<ChatPage, void, undefined> {
    const reading = new Map<number, { cursor: ChatCursor; rows: PageRow[]; lastK: number }>();
    let lo = Number.MAX_SAFE_INTEGER;
    let hi = -Number.MAX_SAFE_INTEGER;
    for (const chat of group) {
      const cursor = cursorFor(chat.id);
      if (!cursor) continue;
      reading.set(chat.id, { cursor, rows: [], lastK: 0 });
      lo = Math.min(lo, chat.lo);
      hi = Math.max(hi, chat.hi);
    }
    // NOT INDEXED: the rowid range, never a chat index (which would read the table in chat order).
    const sql =
      `SELECT ${rowColumns} FROM message m NOT INDEXED WHERE m._id >= ? AND m._id <= ? ` +
      `AND m.chat_row_id IN (SELECT value FROM json_each(?)) ORDER BY m._id LIMIT ${SWEEP_CHUNK}`;
    const chatIds = idJson([...reading.keys()]);
    let from = lo;
    while (from <= hi) {
      const arrays = rowsOf(db, sql, [from, hi, chatIds]);
      for (const a of arrays) {
        const chat = reading.get(int(a[7]))!;
        chat.rows.push(pageRow(a, chat.cursor.ctx.group));
        chat.lastK = int(a[6]);
        if (chat.rows.length === pageSize) {
          const messages = nextPage(chat.cursor, chat.rows, chat.lastK);
          chat.rows = [];
          yield { chatId: chat.cursor.ctx.chatId, messages };
        }
      }
      if (arrays.length < SWEEP_CHUNK) break;
      from = int(arrays[arrays.length - 1]![0]) + 1;
    }
    for (const chat of reading.values()) {
      if (chat.rows.length > 0) yield { chatId: chat.cursor.ctx.chatId, messages: nextPage(chat.cursor, chat.rows, chat.lastK) };
    }
  }

  /** One row of the page query. */
  interface PageRow {
    _id: number;
    key_id: SqlValue;
    timestamp: SqlValue;
    text_data: SqlValue;
    sender_jid_row_id: SqlValue | undefined;
    from_me: number;
    starred: number;
    forwarded: number;
    message_type: number;
  }

  /** The page as an index range of `message_chat_sort_id_index`: (fromK, fromId) < row ≤ (toK, toId), and its ids. */
  interface PageRange {
    chatId: number;
    fromK: number;
    fromId: number;
    toK: number;
    toId: number;
    list: number[];
    /** `list` filtered by the side-table bitset (see hits()). */
    hits?: number[];
    hitsGen?: number;
  }

  interface PageCtx {
    chatId: number;
    group: boolean;
    partner?: Person;
    jids: Jids;
    /** Position of each key id quotes may look up (only those in `quotedKeys` when it is known). */
    keyPos: Map<string, number>;
    quotedKeys: QuotedKeys | null;
    firstPos: number;
  }

  // Side tables with no rows at all are never queried again (most backups leave many empty).
  const nonEmpty = new Map<string, boolean>();
  function usable(table: string, key: string): boolean {
    let ok = nonEmpty.get(table);
    if (ok === undefined) {
      ok = schema.has(table, key) && db.all(`SELECT 1 AS x FROM ${table} LIMIT 1`).length > 0;
      nonEmpty.set(table, ok);
    }
    return ok;
  }

  /**
   * Side tables. A page used to join its 500-row index range of `message` to every side table
   * (~10 index probes per message: most of the read time at 1M messages). Now each sparse side
   * table is read ONCE per reader, by one rowid-ordered scan in chunks, into a Map keyed by
   * message row id, and a page just looks its ids up. Blob columns are never preloaded: for
   * thumbnails only the key set is, and the bytes are fetched per page for the ids that have one.
   *
   * Memory bound: a table is preloaded only while it has ≤ PRELOAD_MAX_ROWS rows and the estimated
   * size of everything this reader preloaded stays ≤ PRELOAD_BUDGET_BYTES; a table that does not
   * fit is dropped and read per page by the range join, as before.
   */
  type Preloaded = Map<number, SqlRow> | Map<number, SqlRow[]>;
  const preloads = new Map<string, Preloaded | null>();
  let preloadBytes = 0;

  /** Rows of `select` (which must list `s.rowid AS rid` first) in rowid order, chunk by chunk; null when over budget. */
  function scan(table: string, select: string, onRow: (r: SqlRow) => void): boolean {
    const n = int(db.all(`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} LIMIT ${PRELOAD_MAX_ROWS + 1})`)[0]?.n);
    if (n > PRELOAD_MAX_ROWS) return false;
    const sql = `${select} WHERE s.rowid > ? ORDER BY s.rowid LIMIT ${PRELOAD_CHUNK}`;
    let after = -Number.MAX_SAFE_INTEGER;
    let bytes = 0;
    for (;;) {
      const rows = db.all(sql, [after]);
      for (const r of rows) {
        if (r.mid === null) continue; // joins never match a NULL key
        bytes += 64;
        for (const k in r) {
          const v = r[k];
          bytes += typeof v === 'string' ? 16 + v.length * 2 : 16;
        }
        onRow(r);
      }
      if (preloadBytes + bytes > PRELOAD_BUDGET_BYTES) return false;
      if (rows.length < PRELOAD_CHUNK) break;
      after = int(rows[rows.length - 1]!.rid);
    }
    preloadBytes += bytes;
    return true;
  }

  function preloaded(table: string, columns: readonly string[], key: string, multi: boolean): Preloaded | null {
    const name = `${table}|${key}|${columns.join(',')}|${multi}`;
    let map = preloads.get(name);
    if (map !== undefined) return map;
    const list = schema.list(table, columns, 's');
    let ok = false;
    if (multi) {
      const m = new Map<number, SqlRow[]>();
      ok = safely(() =>
        scan(table, `SELECT s.rowid AS rid, s.${key} AS mid, ${list} FROM ${table} s`, (r) => {
          const id = int(r.mid);
          let a = m.get(id);
          if (!a) m.set(id, (a = []));
          a.push(r);
        }),
      );
      map = m;
    } else {
      const m = new Map<number, SqlRow>();
      ok = safely(() => scan(table, `SELECT s.rowid AS rid, s.${key} AS mid, ${list} FROM ${table} s`, (r) => m.set(int(r.mid), r)));
      map = m;
    }
    if (!ok) map = null;
    else if (key === 'message_row_id' || key === 'parent_message_row_id') {
      for (const id of map.keys()) markSide(id);
      sideGen++;
    } else sideGen++; // (keeps hits() honest if a page-range lookup ever used another key)
    preloads.set(name, map);
    return map;
  }

  /** The key set of a side table (for blob tables: which messages have a row at all), or null. */
  const keySets = new Map<string, Set<number> | null>();
  function preloadedKeys(table: string, key: string): Set<number> | null {
    const name = `${table}|${key}`;
    let set = keySets.get(name);
    if (set !== undefined) return set;
    const keys = new Set<number>();
    set = safely(() => scan(table, `SELECT s.rowid AS rid, s.${key} AS mid FROM ${table} s`, (r) => keys.add(int(r.mid)))) ? keys : null;
    if (set) {
      for (const id of set) markSide(id);
      sideGen++;
    }
    keySets.set(name, set);
    return set;
  }

  /** Tables without a rowid (never seen in msgstore) cannot be scanned this way: per page, then. */
  function safely(f: () => boolean): boolean {
    try {
      return f();
    } catch {
      return false;
    }
  }

  /**
   * Which message ids have a row in any preloaded (message-keyed) side table: one bit per id, so
   * a page asks the side maps only about its few ids that have anything (null: ids too large).
   */
  let sideBits: Uint32Array | null | undefined;
  let sideGen = 0;
  function markSide(id: number): void {
    if (sideBits === undefined) {
      const max = int(db.all('SELECT max(_id) AS n FROM message')[0]?.n);
      sideBits = max >= 0 && max <= MAX_BITSET_ID ? new Uint32Array((max >>> 5) + 1) : null;
    }
    if (sideBits && id >= 0 && id >>> 5 < sideBits.length) sideBits[id >>> 5]! |= 1 << (id & 31);
  }
  /** The page's ids that may have side rows (all of them when the bitset is off), cached per page. */
  function hits(page: PageRange): number[] {
    if (page.hits && page.hitsGen === sideGen) return page.hits;
    const bits = sideBits;
    let out: number[];
    if (!bits) out = page.list;
    else {
      out = [];
      for (const id of page.list) if (id >= 0 && id >>> 5 < bits.length ? (bits[id >>> 5]! >>> (id & 31)) & 1 : 1) out.push(id);
    }
    page.hits = out;
    page.hitsGen = sideGen;
    return out;
  }

  /** Key ids that quotes refer to (null: unknown, record every key id). */
  let quotedKeySet: QuotedKeys | null | undefined;
  function quotedKeys(): QuotedKeys | null {
    if (quotedKeySet !== undefined) return quotedKeySet;
    const out: QuotedKeys = { keys: new Set(), filter: new Uint8Array(KEY_FILTER_SIZE) };
    if (!usable('message_quoted', 'message_row_id')) return (quotedKeySet = out);
    const pre = preloaded('message_quoted', QUOTED_COLUMNS, 'message_row_id', false) as Map<number, SqlRow> | null;
    if (!pre) return (quotedKeySet = null);
    for (const q of pre.values()) {
      const k = str(q.key_id);
      if (k) {
        out.keys.add(k);
        out.filter[keyFilterHash(k)] = 1;
      }
    }
    return (quotedKeySet = out);
  }

  /** The page's ids (or the given ids) present in the key set. */
  function pick(ids: PageRange | number[], keys: Set<number>): number[] {
    const out: number[] = [];
    for (const id of Array.isArray(ids) ? ids : hits(ids)) if (keys.has(id)) out.push(id);
    return out;
  }

  /**
   * A side table's rows for the page, per page (tables too big to preload, and blob columns). `ids`
   * is either the page range, read by joining through `message` on the same index range as the
   * page, or a short explicit id list (one JSON parameter: a single prepared statement).
   */
  function sideRows(table: string, columns: readonly string[], ids: PageRange | number[], key = 'message_row_id', order = ''): SqlRow[] {
    if (!usable(table, key)) return [];
    const list = schema.list(table, columns, 's');
    if (Array.isArray(ids)) {
      if (ids.length === 0) return [];
      return db.all(`SELECT s.${key} AS mid, ${list} FROM ${table} s WHERE s.${key} IN (SELECT value FROM json_each(?))${order}`, [idJson(ids)]);
    }
    return db.all(
      `SELECT s.${key} AS mid, ${list} FROM message m JOIN ${table} s ON s.${key} = m._id ` +
        `WHERE m.chat_row_id = ? AND (m.${orderKey}, m._id) > (?, ?) AND (m.${orderKey}, m._id) <= (?, ?)${order}`,
      [ids.chatId, ids.fromK, ids.fromId, ids.toK, ids.toId],
    );
  }

  function byId(table: string, columns: readonly string[], ids: PageRange | number[], key = 'message_row_id'): Map<number, SqlRow> {
    const out = new Map<number, SqlRow>();
    if (!usable(table, key)) return out;
    const pre = preloaded(table, columns, key, false) as Map<number, SqlRow> | null;
    if (pre) {
      if (pre.size === 0) return out;
      for (const id of Array.isArray(ids) ? ids : hits(ids)) {
        const r = pre.get(id);
        if (r !== undefined) out.set(id, r);
      }
      return out;
    }
    for (const r of sideRows(table, columns, ids, key)) out.set(int(r.mid), r);
    return out;
  }

  /** Rows with blob columns: only the page's ids that have a row are fetched (a short IN list). */
  function blobsById(table: string, columns: readonly string[], ids: PageRange | number[], key = 'message_row_id'): Map<number, SqlRow> {
    const out = new Map<number, SqlRow>();
    if (!usable(table, key)) return out;
    const keys = preloadedKeys(table, key);
    const rows = keys ? sideRows(table, columns, pick(ids, keys), key) : sideRows(table, columns, ids, key);
    for (const r of rows) out.set(int(r.mid), r);
    return out;
  }

  /** Several rows per message, in rowid (`_id`) order. */
  function multiById(table: string, columns: readonly string[], ids: PageRange | number[], key = 'message_row_id', order = ''): Map<number, SqlRow[]> {
    const out = new Map<number, SqlRow[]>();
    if (!usable(table, key)) return out;
    const pre = preloaded(table, columns, key, true) as Map<number, SqlRow[]> | null;
    if (pre) {
      if (pre.size === 0) return out;
      for (const id of Array.isArray(ids) ? ids : hits(ids)) {
        const r = pre.get(id);
        if (r !== undefined) out.set(id, r);
      }
      return out;
    }
    for (const r of sideRows(table, columns, ids, key, order)) {
      const id = int(r.mid);
      let a = out.get(id);
      if (!a) out.set(id, (a = []));
      a.push(r);
    }
    return out;
  }

  function buildPage(rows: PageRow[], ids: PageRange, ctx: PageCtx): Message[] {
    const { jids: j } = ctx;
    const idList = ids.list;
    const types = new Set(rows.map((r) => int(r.message_type, -1)));
    const any = (...ts: number[]) => ts.some((t) => types.has(t));

    const anyMedia = [...types].some((t) => MEDIA_TYPES.has(t));
    const media = anyMedia
      ? byId('message_media', ['file_path', 'file_size', 'mime_type', 'media_name', 'media_caption', 'media_duration', 'width', 'height', 'file_hash', 'page_count', 'is_animated_sticker'], ids)
      : new Map<number, SqlRow>();
    const thumbs = anyMedia || any(5, 16) ? blobsById('message_thumbnail', ['thumbnail'], ids) : new Map<number, SqlRow>();
    // Thumbnails missing from message_thumbnail may sit in media_hash_thumbnail, keyed by file hash.
    const hashThumbs = new Map<string, Uint8Array>();
    if (media.size && usable('media_hash_thumbnail', 'media_hash')) {
      const hashes = [...media.entries()].filter(([id, mm]) => !thumbs.has(id) && text(mm.file_hash)).map(([, mm]) => str(mm.file_hash)!);
      if (hashes.length) {
        const sql = 'SELECT media_hash, thumbnail FROM media_hash_thumbnail WHERE media_hash IN (SELECT value FROM json_each(?))';
        for (const r of db.all(sql, [JSON.stringify(hashes)])) {
          const b = bytes(r.thumbnail);
          if (b) hashThumbs.set(str(r.media_hash)!, b);
        }
      }
    }
    const quoted = byId('message_quoted', QUOTED_COLUMNS, ids);
    const quotedMedia = quoted.size
      ? byId('message_quoted_media', ['file_path', 'mime_type', 'media_name', 'media_caption'], [...quoted.keys()])
      : new Map<number, SqlRow>();
    const edits = byId('message_edit_info', ['edited_timestamp'], ids);
    const revoked = any(15, 64) ? byId('message_revoked', ['admin_jid_row_id'], idsOfTypes(rows, 15, 64)) : new Map<number, SqlRow>();
    const fwd = byId('message_forwarded', ['forward_score'], ids);
    const links = any(0) ? byId('message_text', ['description', 'page_title', 'url'], ids) : new Map<number, SqlRow>();
    const locs = any(5, 16)
      ? byId('message_location', ['latitude', 'longitude', 'place_name', 'place_address', 'url'], ids)
      : new Map<number, SqlRow>();
    const vcards = any(4, 14) ? multiById('message_vcard', ['vcard'], ids, 'message_row_id', ' ORDER BY s._id') : new Map<number, SqlRow[]>();
    const events = any(92) ? byId('message_event', ['name', 'description', 'start_time', 'location_name'], ids) : new Map<number, SqlRow>();

    // Polls: the question is text_data; options with their vote totals.
    const polls = any(66) ? byId('message_poll', ['selectable_options_count'], ids) : new Map<number, SqlRow>();
    const pollOptions = any(66)
      ? multiById('message_poll_option', ['option_name', 'vote_total'], ids, 'message_row_id', ' ORDER BY s._id')
      : new Map<number, SqlRow[]>();

    // Calls: type 90 → message_call_log → call_log; type 10 → missed_call_logs.
    const calls = new Map<number, SqlRow>();
    if (any(90) && schema.has('message_call_log', 'message_row_id', 'call_log_row_id') && schema.hasTable('call_log')) {
      const links = byId('message_call_log', ['call_log_row_id'], idsOfTypes(rows, 90));
      const logIds = [...links.values()].map((r) => int(r.call_log_row_id));
      const logs = byId('call_log', ['video_call', 'duration', 'call_result', 'group_jid_row_id'], logIds, '_id');
      for (const [mid, l] of links) {
        const row = logs.get(int(l.call_log_row_id));
        if (row) calls.set(mid, row);
      }
    }
    const missed = any(10) ? byId('missed_call_logs', ['video_call', 'group_jid_row_id'], idsOfTypes(rows, 10)) : new Map<number, SqlRow>();

    // System rows and their companion tables.
    const sys = any(7, 36) ? byId('message_system', ['action_type'], idsOfTypes(rows, 7, 36)) : new Map<number, SqlRow>();
    const sysIds = [...sys.keys()];
    const sysPeople = sysIds.length ? multiById('message_system_chat_participant', ['user_jid_row_id'], sysIds) : new Map<number, SqlRow[]>();
    const sysNumber = sysIds.length ? byId('message_system_number_change', ['old_jid_row_id', 'new_jid_row_id'], sysIds) : new Map<number, SqlRow>();
    const sysOld = sysIds.length ? byId('message_system_value_change', ['old_data'], sysIds) : new Map<number, SqlRow>();
    const sysBlock = sysIds.length ? byId('message_system_block_contact', ['is_blocked'], sysIds) : new Map<number, SqlRow>();

    // Add-ons: reactions (56) and edits (74), attached to their parent message.
    const reactions = new Map<number, Map<string, Reaction>>();
    const editedByAddOn = new Set<number>();
    if (usable('message_add_on', 'parent_message_row_id')) {
      const hasReaction = usable('message_add_on_reaction', 'message_add_on_row_id');
      const addOn = (r: SqlRow, reaction: SqlRow | undefined) => {
        const pid = int(r.mid);
        const addOnType = int(r.message_add_on_type, -1);
        if (addOnType === 74) editedByAddOn.add(pid);
        const emoji = str(reaction?.reaction);
        if (reaction?.reaction === null || reaction?.reaction === undefined) return;
        const fromMe = bool(r.from_me);
        const sender = fromMe ? undefined : ctx.group ? j.person(num(r.sender_jid_row_id)) : ctx.partner;
        const who = fromMe ? 'me' : (sender?.jid ?? `row:${int(r.sender_jid_row_id)}`);
        const ts = num(reaction?.sender_timestamp) ?? num(r.timestamp);
        let perSender = reactions.get(pid);
        if (!perSender) reactions.set(pid, (perSender = new Map()));
        const prev = perSender.get(who);
        if (prev && (prev.ts ?? 0) > (ts ?? 0)) return; // keep the latest reaction per sender
        if (!emoji) {
          perSender.delete(who); // an empty emoji removes the reaction
          return;
        }
        const re: Reaction = { emoji, fromMe };
        if (sender) re.sender = sender;
        if (ts !== undefined) re.ts = ts;
        perSender.set(who, re);
      };
      const cols = ['_id', 'from_me', 'sender_jid_row_id', 'timestamp', 'message_add_on_type'];
      const pre = preloaded('message_add_on', cols, 'parent_message_row_id', true) as Map<number, SqlRow[]> | null;
      const preR = hasReaction ? (preloaded('message_add_on_reaction', ['reaction', 'sender_timestamp'], 'message_add_on_row_id', true) as Map<number, SqlRow[]> | null) : undefined;
      if (pre && preR !== null) {
        // Each parent's add-ons in _id order (a parent's reactions only interact with each other).
        for (const id of hits(ids)) {
          const as = pre.get(id);
          if (!as) continue;
          for (const a of as) {
            const rs = preR?.get(int(a._id));
            if (!rs) addOn(a, undefined);
            else for (const r of rs) addOn(a, r);
          }
        }
      } else {
        const a = schema.list('message_add_on', ['from_me', 'sender_jid_row_id', 'timestamp', 'message_add_on_type'], 'a');
        const page = `WHERE m.chat_row_id = ? AND (m.${orderKey}, m._id) > (?, ?) AND (m.${orderKey}, m._id) <= (?, ?)`;
        const q = hasReaction
          ? `SELECT a._id AS aid, a.parent_message_row_id AS mid, ${a}, r.reaction AS reaction, r.sender_timestamp AS sender_timestamp ` +
            `FROM message m JOIN message_add_on a ON a.parent_message_row_id = m._id LEFT JOIN message_add_on_reaction r ON r.message_add_on_row_id = a._id ${page} ORDER BY a._id`
          : `SELECT a._id AS aid, a.parent_message_row_id AS mid, ${a}, NULL AS reaction, NULL AS sender_timestamp ` +
            `FROM message m JOIN message_add_on a ON a.parent_message_row_id = m._id ${page}`;
        for (const r of db.all(q, [ids.chatId, ids.fromK, ids.fromId, ids.toK, ids.toId])) addOn(r, r);
      }
    }

    // Quotes pointing forward (or not yet seen): one lookup for the page.
    const unresolved = new Set<string>();
    for (const q of quoted.values()) {
      const k = str(q.key_id);
      if (k && int(q.parent_message_chat_row_id, ctx.chatId) === ctx.chatId && !ctx.keyPos.has(k)) unresolved.add(k);
    }

    const out: Message[] = [];
    rows.forEach((r, i) => {
      const id = idList[i]!;
      const pos = ctx.firstPos + i;
      const type = int(r.message_type, -1);
      const fromMe = bool(r.from_me);
      const keyId = str(r.key_id);
      let kind = kindOfType(type);
      const m: Message = { id, pos, ts: int(r.timestamp), fromMe, kind, type };
      if (keyId) {
        m.keyId = keyId;
        const qk = ctx.quotedKeys;
        if ((!qk || (qk.filter[keyFilterHash(keyId)] === 1 && qk.keys.has(keyId))) && !ctx.keyPos.has(keyId)) ctx.keyPos.set(keyId, pos);
      }
      if (ctx.group && !fromMe) {
        const s = j.person(num(r.sender_jid_row_id));
        if (s) m.sender = s;
      }
      let body = text(r.text_data);

      const mm = media.get(id);
      if (mm) {
        const info: NonNullable<Message['media']> = {};
        const mime = text(mm.mime_type);
        const path = text(mm.file_path);
        const name = text(mm.media_name);
        if (mime) info.mime = mime;
        if (path) info.filePath = path;
        if (name) info.fileName = name;
        const size = num(mm.file_size);
        if (size) info.size = size;
        const dur = num(mm.media_duration);
        if (dur) info.durationSec = dur;
        const w = num(mm.width), h = num(mm.height);
        if (w) info.width = w;
        if (h) info.height = h;
        const hash = text(mm.file_hash);
        if (hash) info.fileHash = hash;
        const pages = num(mm.page_count);
        if (pages) info.pageCount = pages;
        if (bool(mm.is_animated_sticker)) info.animated = true;
        m.media = info;
        body = text(mm.media_caption) ?? body;
        if (type === 2) kind = audioKind(path, name, mime);
      }
      // The adapter hands out a fresh copy of every blob: no second copy here (bytes() would make one).
      const tb = thumbs.get(id)?.thumbnail;
      const th = (tb instanceof Uint8Array && tb.length > 0 ? tb : undefined) ?? (mm?.file_hash ? hashThumbs.get(str(mm.file_hash)!) : undefined);
      if (th) (m.media ??= {}).thumbnail = th;

      switch (kind) {
        case 'deleted': {
          const rv = revoked.get(id);
          m.deleted = type === 64 || num(rv?.admin_jid_row_id) ? 'admin' : 'sender';
          body = undefined;
          break;
        }
        case 'system': {
          const s = sys.get(id);
          const code = s ? int(s.action_type) : 59; // type 36 without a message_system row: 1:1 timer change
          const actor = fromMe ? 'You' : (j.person(num(r.sender_jid_row_id))?.title ?? (ctx.group ? undefined : ctx.partner?.title));
          const targets = (sysPeople.get(id) ?? [])
            .map((p) => j.person(num(p.user_jid_row_id))?.title)
            .filter((t): t is string => !!t);
          const nc = sysNumber.get(id);
          const blocked = sysBlock.get(id);
          m.system = renderSystem(code, {
            actor,
            targets,
            value: body,
            oldValue: text(sysOld.get(id)?.old_data),
            oldNumber: nc ? j.person(num(nc.old_jid_row_id))?.title : undefined,
            newNumber: nc ? j.person(num(nc.new_jid_row_id))?.title : undefined,
            blocked: blocked ? bool(blocked.is_blocked) : undefined,
          });
          body = undefined;
          break;
        }
        case 'call': {
          const c = calls.get(id);
          const ms = missed.get(id);
          const call: CallInfo = c
            ? { video: bool(c.video_call), outcome: callOutcome(num(c.call_result), num(c.duration)) }
            : { video: bool(ms?.video_call), outcome: type === 10 ? 'missed' : 'unknown' };
          const dur = num(c?.duration);
          if (dur) call.durationSec = dur;
          if (int(c?.group_jid_row_id ?? ms?.group_jid_row_id) > 0) call.group = true;
          m.call = call;
          break;
        }
        case 'location':
        case 'live-location': {
          const l = locs.get(id);
          if (l) {
            const loc: NonNullable<Message['location']> = { lat: num(l.latitude) ?? 0, lon: num(l.longitude) ?? 0 };
            const nm = text(l.place_name), addr = text(l.place_address), url = text(l.url);
            if (nm) loc.name = nm;
            if (addr) loc.address = addr;
            if (url) loc.url = url;
            if (kind === 'live-location') loc.live = true;
            m.location = loc;
          }
          break;
        }
        case 'contact': {
          const cards = (vcards.get(id) ?? []).flatMap((v) => parseVCards(str(v.vcard) ?? ''));
          if (cards.length) m.contacts = cards;
          if (!body && cards[0]?.name) body = cards[0].name;
          break;
        }
        case 'poll': {
          const p = polls.get(id);
          const options = (pollOptions.get(id) ?? []).map((o) => ({ name: str(o.option_name) ?? '', votes: int(o.vote_total) }));
          m.poll = { question: body ?? '', options };
          const sel = num(p?.selectable_options_count);
          if (sel !== undefined) m.poll.multiSelect = sel !== 1;
          break;
        }
        case 'event': {
          const e = events.get(id);
          if (e) {
            m.event = { name: str(e.name) ?? body ?? '' };
            const d = text(e.description), loc = text(e.location_name), start = eventTime(e.start_time);
            if (d) m.event.description = d;
            if (start !== undefined) m.event.startTime = start;
            if (loc) m.event.location = loc;
          }
          break;
        }
        case 'text': {
          const l = links.get(id);
          if (l && (text(l.url) || text(l.page_title) || text(l.description))) {
            const link: NonNullable<Message['link']> = {};
            const u = text(l.url), t = text(l.page_title), d = text(l.description);
            if (u) link.url = u;
            if (t) link.title = t;
            if (d) link.description = d;
            m.link = link;
          }
          break;
        }
      }
      m.kind = kind;
      if (body !== undefined) m.text = body;
      if (bool(r.starred)) m.starred = true;
      if (int(r.forwarded) === 1 || int(fwd.get(id)?.forward_score) > 0) m.forwarded = true;
      if (edits.has(id) || editedByAddOn.has(id)) m.edited = true;
      const rs = reactions.get(id);
      if (rs && rs.size) m.reactions = [...rs.values()];

      const q = quoted.get(id);
      if (q) m.quoted = quoteOf(q, quotedMedia.get(id), ctx);
      out.push(m);
    });

    // Resolve quotes whose original came later in sort order (or never): one batched lookup.
    const pending = out.filter((m) => m.quoted && m.quoted.pos === undefined && m.quoted.keyId && unresolved.has(m.quoted.keyId));
    if (pending.length) resolveLater(ctx, pending);
    return out;
  }

  function quoteOf(q: SqlRow, qm: SqlRow | undefined, ctx: PageCtx): Quote {
    const qType = int(q.message_type, 0);
    let kind = kindOfType(qType);
    if (qType === 2) kind = audioKind(text(qm?.file_path), text(qm?.media_name), text(qm?.mime_type));
    const fromMe = bool(q.from_me);
    const quote: Quote = { fromMe, kind };
    const keyId = str(q.key_id);
    if (keyId) quote.keyId = keyId;
    if (!fromMe && ctx.group) {
      const s = ctx.jids.person(num(q.sender_jid_row_id));
      if (s) quote.sender = s;
    }
    const snap = text(q.text_data) ?? text(qm?.media_caption) ?? text(qm?.media_name);
    if (snap) quote.text = snap;
    if (keyId && int(q.parent_message_chat_row_id, ctx.chatId) === ctx.chatId) {
      const p = ctx.keyPos.get(keyId);
      if (p !== undefined) quote.pos = p;
    }
    return quote;
  }

  function resolveLater(ctx: PageCtx, pending: Message[]): void {
    const keys = [...new Set(pending.map((m) => m.quoted!.keyId!))];
    const ph = keys.map(() => '?').join(',');
    const found = db.all(
      `SELECT key_id, _id, ${orderKey} AS k FROM message WHERE chat_row_id = ? AND key_id IN (${ph})`,
      [ctx.chatId, ...keys],
    );
    for (const f of found) {
      const before = db.all(
        `SELECT count(*) AS n FROM message WHERE chat_row_id = ? AND (${orderKey}, _id) < (?, ?)`,
        [ctx.chatId, int(f.k), int(f._id)],
      );
      const p = int(before[0]?.n);
      const k = str(f.key_id)!;
      for (const m of pending) if (m.quoted!.keyId === k && m.quoted!.pos === undefined) m.quoted!.pos = p;
    }
  }

  return {
    era: 'current',
    readChats: () => [...loadChats().values()].map((c) => c.chat),
    messagePages,
    allPages,
  };
}

/** Ids of the page's rows of the given types (a short list: side tables of rare types). */
function idsOfTypes(rows: readonly { _id: number; message_type: number }[], ...types: number[]): number[] {
  return rows.filter((r) => types.includes(int(r.message_type, -1))).map((r) => int(r._id));
}

function loadParticipants(schema: Schema, j: Jids): Map<number, Participant[]> {
  const out = new Map<number, Participant[]>();
  if (!schema.has('group_participant_user', 'group_jid_row_id', 'user_jid_row_id')) return out;
  const cols = schema.list('group_participant_user', ['rank', 'pending']);
  for (const r of schema.db.all(`SELECT group_jid_row_id AS g, user_jid_row_id AS u, ${cols} FROM group_participant_user ORDER BY _id`)) {
    if (bool(r.pending)) continue;
    const p = j.person(num(r.u));
    if (!p) continue;
    const g = int(r.g);
    let a = out.get(g);
    if (!a) out.set(g, (a = []));
    a.push({ ...p, admin: int(r.rank) > 0 });
  }
  return out;
}
