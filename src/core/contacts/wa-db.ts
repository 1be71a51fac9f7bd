/**
 * Names from WhatsApp's contacts database `wa.db` and from the msgstore's `lid_display_name`
 * (msgstore-schema.md §2.1 and §4; DDL in wa-db-schema.sql).
 *
 * `wa_contacts` holds one row per address-book phone entry and per WhatsApp user seen, keyed by
 * `jid`. Columns read (each probed first; a missing one reads as NULL, a missing table as no
 * rows): `display_name` (address-book name; filled only for address-book contacts, i.e. with a
 * `raw_contact_id`), `wa_name` (the **push name** the person set in WhatsApp), `given_name`,
 * `family_name`, `nickname`, `sort_name` (address book too), `number` (as written in the address
 * book; in the 2018 sample it is the national number without area code, so the jid, not this
 * column, is the number), `is_whatsapp_user`. `wa_vnames.verified_name` gives business names.
 *
 * Worker: `wa.db.crypt15` decrypts with the same pipeline as the msgstore (its payload is
 * SQLite); open it like the msgstore, then `readWaContacts(db)`; read the msgstore's
 * `readLidInfo(msgstoreDb)` during the import; keep both (plain data) with the library and
 * give them to `buildNameResolver` (names.ts). Both run a handful of whole-table SELECTs; a wa.db
 * of a few thousand rows reads in milliseconds.
 */
import type { SqlDb } from '../msgstore/sql';
import { Schema, bool, text } from '../msgstore/schema';
import { splitJid } from '../msgstore/people';

export type NameSource = 'contact' | 'vcf' | 'push' | 'business' | 'lid';

/** One name for one jid, with where it came from. */
export interface ContactName {
  name: string;
  source: NameSource;
  /** E.164 digits of the person's number when the jid is a phone jid. */
  number?: string;
}

/** Normalized jid (see `jidKey`) → its best name from one source set. */
export type ContactBook = Map<string, ContactName>;

/** One `wa_contacts` row, cleaned. */
export interface WaContact {
  /** Normalized jid (`jidKey`). */
  jid: string;
  /** `display_name`: the address-book name. */
  displayName?: string;
  /** given + family, else nickname, else sort_name (address-book parts, used when display_name is empty). */
  formalName?: string;
  /** `wa_name`: the WhatsApp push name. */
  pushName?: string;
  /** `wa_vnames.verified_name`. */
  businessName?: string;
  /** `number` as the address book wrote it. */
  addressBookNumber?: string;
  isWhatsAppUser: boolean;
}

/** What the msgstore knows about privacy ids (`@lid`). Keys are normalized jids. */
export interface LidInfo {
  /** `lid_display_name.display_name` (else `username`) by lid jid. */
  names: Map<string, string>;
  /** `jid_map`: lid jid → phone jid. */
  phoneOf: Map<string, string>;
}

/**
 * `user@server` with device/agent suffixes dropped and the server lower-cased; `c.us` (web
 * clients' spelling) becomes `s.whatsapp.net`; a bare number becomes a phone jid.
 */
export function jidKey(jid: string): string {
  const t = jid.trim();
  if (!t.includes('@')) return /^\+?\d+$/.test(t) ? `${t.replace('+', '')}@s.whatsapp.net` : t.toLowerCase();
  const { user, server } = splitJid(t);
  return `${user}@${server === 'c.us' ? 's.whatsapp.net' : server}`;
}

/** The phone number digits of a phone jid key, else undefined. */
export function phoneOfJid(key: string): string | undefined {
  const m = /^(\d{5,16})@s\.whatsapp\.net$/.exec(key);
  return m ? m[1] : undefined;
}

function clean(s: string | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/** All usable `wa_contacts` rows (one per jid; a row with an address-book name wins). */
export function readWaContacts(db: SqlDb): WaContact[] {
  const schema = new Schema(db);
  if (!schema.has('wa_contacts', 'jid')) return [];
  const cols = ['jid', 'display_name', 'wa_name', 'given_name', 'family_name', 'nickname', 'sort_name', 'number', 'is_whatsapp_user'];
  const business = new Map<string, string>();
  if (schema.has('wa_vnames', 'jid', 'verified_name')) {
    for (const r of db.all('SELECT jid, verified_name FROM wa_vnames')) {
      const jid = text(r.jid);
      const name = clean(text(r.verified_name));
      if (jid && name) business.set(jidKey(jid), name);
    }
  }
  const byJid = new Map<string, WaContact>();
  for (const r of db.all(`SELECT ${schema.list('wa_contacts', cols, 'c')} FROM wa_contacts c ORDER BY c.rowid`)) {
    const raw = text(r.jid);
    if (!raw) continue;
    const jid = jidKey(raw);
    const given = clean(text(r.given_name));
    const family = clean(text(r.family_name));
    const c: WaContact = {
      jid,
      displayName: clean(text(r.display_name)),
      formalName: clean([given, family].filter(Boolean).join(' ')) ?? clean(text(r.nickname)) ?? clean(text(r.sort_name)),
      pushName: clean(text(r.wa_name)),
      businessName: business.get(jid),
      addressBookNumber: clean(text(r.number)),
      isWhatsAppUser: r.is_whatsapp_user === null ? true : bool(r.is_whatsapp_user),
    };
    const prev = byJid.get(jid);
    if (!prev) byJid.set(jid, c);
    else byJid.set(jid, merge(prev, c));
  }
  for (const [jid, name] of business) {
    if (!byJid.has(jid)) byJid.set(jid, { jid, businessName: name, isWhatsAppUser: true });
  }
  return [...byJid.values()];
}

function merge(a: WaContact, b: WaContact): WaContact {
  return {
    jid: a.jid,
    displayName: a.displayName ?? b.displayName,
    formalName: a.formalName ?? b.formalName,
    pushName: a.pushName ?? b.pushName,
    businessName: a.businessName ?? b.businessName,
    addressBookNumber: a.addressBookNumber ?? b.addressBookNumber,
    isWhatsAppUser: a.isWhatsAppUser || b.isWhatsAppUser,
  };
}

/** The best name per jid from wa.db: address book (display_name, then its parts), push name, business name. */
export function waDbBook(contacts: readonly WaContact[]): ContactBook {
  const book: ContactBook = new Map();
  for (const c of contacts) {
    const number = phoneOfJid(c.jid);
    const contact = c.displayName ?? c.formalName;
    const best: ContactName | undefined = contact
      ? { name: contact, source: 'contact' }
      : c.pushName
        ? { name: c.pushName, source: 'push' }
        : c.businessName
          ? { name: c.businessName, source: 'business' }
          : undefined;
    if (best) book.set(c.jid, number ? { ...best, number } : best);
  }
  return book;
}

/** `lid_display_name` and `jid_map` from a msgstore (current schema, 2024+); empty otherwise. */
export function readLidInfo(msgstore: SqlDb): LidInfo {
  const schema = new Schema(msgstore);
  const names = new Map<string, string>();
  const phoneOf = new Map<string, string>();
  if (!schema.has('jid', '_id')) return { names, phoneOf };
  const raw = `COALESCE(j.raw_string, j.user || '@' || j.server)`;
  const jidExpr = schema.has('jid', 'raw_string', 'user', 'server')
    ? raw
    : schema.has('jid', 'user', 'server')
      ? `j.user || '@' || j.server`
      : schema.has('jid', 'raw_string')
        ? 'j.raw_string'
        : undefined;
  if (!jidExpr) return { names, phoneOf };
  if (schema.has('lid_display_name', 'lid_row_id')) {
    const cols = schema.list('lid_display_name', ['display_name', 'username'], 'l');
    for (const r of msgstore.all(`SELECT ${jidExpr} AS jid, ${cols} FROM lid_display_name l JOIN jid j ON j._id = l.lid_row_id`)) {
      const jid = text(r.jid);
      const name = clean(text(r.display_name)) ?? clean(text(r.username));
      if (jid && name) names.set(jidKey(jid), name);
    }
  }
  if (schema.has('jid_map', 'lid_row_id', 'jid_row_id')) {
    const sql = `SELECT ${jidExpr.replace(/j\./g, 'a.')} AS lid, ${jidExpr.replace(/j\./g, 'b.')} AS phone
      FROM jid_map m JOIN jid a ON a._id = m.lid_row_id JOIN jid b ON b._id = m.jid_row_id`;
    for (const r of msgstore.all(sql)) {
      const lid = text(r.lid);
      const phone = text(r.phone);
      if (lid && phone) phoneOf.set(jidKey(lid), jidKey(phone));
    }
  }
  return { names, phoneOf };
}

/** Counts, for the UI ("342 names from wa.db"). */
export function countSources(book: ContactBook): Record<NameSource, number> {
  const out: Record<NameSource, number> = { contact: 0, vcf: 0, push: 0, business: 0, lid: 0 };
  for (const v of book.values()) out[v.source]++;
  return out;
}
