/**
 * One name per jid, everywhere (chat list, headers, senders, quotes, reactions, mentions,
 * exports), in the order of msgstore-schema.md §4 and the ui-contract title rule:
 *
 *   1. the contact's name from the address book: `wa.db` `display_name` (then its given/family
 *      name parts), else a `.vcf` card whose number matches (WhatsApp `waid=` first, then the
 *      written numbers normalized with the owner's country, phone.ts);
 *   2. the WhatsApp push name (`wa_name`), then a verified business name (`wa_vnames`);
 *   3. `lid_display_name` (for a privacy id, or for the phone jid a privacy id maps to);
 *   4. the number, `+<E.164 digits>`;
 *   5. for a privacy id that maps to no phone jid: `LID:<digits>`, never shown as a number.
 * Groups, channels, broadcast lists and Status keep the msgstore's own rule (people.ts).
 *
 * The owner's calling code (for numbers written in national format) is, in order: the one passed
 * in, the one of `ownerJid`, else the most common calling code among wa.db's address-book
 * contacts (a phone's address book is mostly local numbers), else unknown. With no country, a
 * national number still matches on its national significant number (leading 0s dropped) against
 * the part of a jid after its calling code.
 *
 * Worker: build once per library after the import (or when a contacts file is added) with
 * `buildNameResolver({ waDb: readWaContacts(waDb), vcf: parseVcf(text), lidNames:
 * readLidInfo(msgstore), ownerJid })`; `resolve(jid).title` replaces `Person.title` /
 * `Chat.title` for non-group chats; `replaceMentions(text, resolver, mentionedJids)` rewrites
 * `@<number>` in message text at render/export time. Resolving is a few Map lookups, cached.
 */
import { personTitle, splitJid } from '../msgstore/people';
import { callingCodeOfJid, countryOf, matchKey, phoneCandidates } from './phone';
import type { VcfEntry } from './vcf';
import { jidKey, phoneOfJid, type LidInfo, type NameSource, type WaContact } from './wa-db';

export interface ResolvedName {
  /** What to show. */
  title: string;
  /** `+` and the E.164 digits, when the jid is (or maps to) a phone number. */
  number?: string;
  /** Where the title came from; `number` = the phone number itself, `id` = an id rule (LID:…, group). */
  source: NameSource | 'number' | 'id';
}

export interface NameResolver {
  resolve(jid: string): ResolvedName;
  /** The calling code used for national-format numbers, if one was known or inferred. */
  readonly ownerCallingCode?: string;
}

export interface NameResolverInput {
  waDb?: readonly WaContact[];
  vcf?: readonly VcfEntry[];
  lidNames?: LidInfo;
  ownerJid?: string;
  /** Overrides what `ownerJid` or wa.db would give, e.g. `49`. */
  ownerCallingCode?: string;
}

interface Named {
  name: string;
  source: NameSource;
}

export function buildNameResolver(input: NameResolverInput): NameResolver {
  const waContacts = input.waDb ?? [];
  const cc = input.ownerCallingCode ?? callingCodeOfJid(input.ownerJid) ?? dominantCallingCode(waContacts);

  // wa.db by exact jid and by match key (phone jids only).
  const waByJid = new Map<string, WaContact>();
  const waByKey = new Map<string, WaContact>();
  for (const c of waContacts) {
    waByJid.set(c.jid, c);
    const phone = phoneOfJid(c.jid);
    if (phone) {
      const k = matchKey(phone);
      const prev = waByKey.get(k);
      if (!prev || (!(prev.displayName ?? prev.formalName) && (c.displayName ?? c.formalName))) waByKey.set(k, c);
    }
  }

  // .vcf by WhatsApp id and by number (match keys), first card wins; `nsn:` keys when no country.
  const vcfByKey = new Map<string, string>();
  for (const e of input.vcf ?? []) {
    for (const w of e.waIds) setOnce(vcfByKey, matchKey(w), e.name);
  }
  for (const e of input.vcf ?? []) {
    for (const n of e.numbers) {
      const cands = phoneCandidates(n, cc);
      for (const c of cands) setOnce(vcfByKey, matchKey(c), e.name);
      if (!cc && !/^\s*(\+|00)/.test(n)) {
        const nsn = n.replace(/\D+/g, '').replace(/^0+/, '');
        if (nsn.length >= 6) setOnce(vcfByKey, `nsn:${nsn}`, e.name);
      }
    }
  }

  const lidNames = input.lidNames?.names ?? new Map<string, string>();
  const lidToPhone = input.lidNames?.phoneOf ?? new Map<string, string>();
  const lidNameOfPhone = new Map<string, string>();
  for (const [lid, phone] of lidToPhone) {
    const name = lidNames.get(lid);
    if (name && !lidNameOfPhone.has(phone)) lidNameOfPhone.set(phone, name);
  }

  const contactOf = (c: WaContact | undefined): Named | undefined => {
    const n = c?.displayName ?? c?.formalName;
    return n ? { name: n, source: 'contact' } : undefined;
  };
  const whatsappOf = (c: WaContact | undefined): Named | undefined =>
    c?.pushName ? { name: c.pushName, source: 'push' } : c?.businessName ? { name: c.businessName, source: 'business' } : undefined;

  const vcfOf = (phone: string): Named | undefined => {
    const hit = vcfByKey.get(matchKey(phone));
    if (hit) return { name: hit, source: 'vcf' };
    if (!cc && vcfByKey.size > 0) {
      const code = countryOf(phone)?.callingCode;
      const nsn = code ? vcfByKey.get(`nsn:${phone.slice(code.length)}`) : undefined;
      if (nsn) return { name: nsn, source: 'vcf' };
    }
    return undefined;
  };

  const cache = new Map<string, ResolvedName>();

  function resolvePhone(key: string, phone: string, lidName: string | undefined): ResolvedName {
    const exact = waByJid.get(key);
    const keyed = waByKey.get(matchKey(phone));
    const named =
      contactOf(exact) ??
      contactOf(keyed) ??
      vcfOf(phone) ??
      whatsappOf(exact) ??
      whatsappOf(keyed) ??
      (lidName ? { name: lidName, source: 'lid' as const } : undefined);
    const number = `+${phone}`;
    return named ? { title: named.name, number, source: named.source } : { title: number, number, source: 'number' };
  }

  function compute(jid: string): ResolvedName {
    const key = jidKey(jid);
    const { user, server } = splitJid(key);
    if (server === 'lid') {
      const own = waByJid.get(key);
      const lidName = lidNames.get(key);
      const phoneJid = lidToPhone.get(key);
      const phone = phoneJid ? phoneOfJid(phoneJid) : undefined;
      if (phoneJid && phone) {
        // The phone's names, with a wa.db row kept under the lid itself slotted into the same order.
        const viaPhone = resolvePhone(phoneJid, phone, lidName ?? lidNameOfPhone.get(phoneJid));
        if (viaPhone.source === 'contact' || viaPhone.source === 'vcf') return viaPhone;
        const weaker = viaPhone.source === 'lid' || viaPhone.source === 'number';
        const ownName = contactOf(own) ?? (weaker ? whatsappOf(own) : undefined);
        return ownName ? { ...viaPhone, title: ownName.name, source: ownName.source } : viaPhone;
      }
      const named = contactOf(own) ?? whatsappOf(own) ?? (lidName ? { name: lidName, source: 'lid' as const } : undefined);
      return named ? { title: named.name, source: named.source } : { title: personTitle(key), source: 'id' };
    }
    const phone = phoneOfJid(key);
    if (phone) return resolvePhone(key, phone, lidNameOfPhone.get(key));
    return { title: personTitle(user ? key : jid), source: 'id' };
  }

  return {
    ownerCallingCode: cc,
    resolve(jid: string): ResolvedName {
      let r = cache.get(jid);
      if (!r) {
        r = compute(jid);
        cache.set(jid, r);
      }
      return r;
    },
  };
}

function setOnce(map: Map<string, string>, key: string, value: string): void {
  if (!map.has(key)) map.set(key, value);
}

/** The most common calling code among address-book contacts' phone jids (ties: first seen). */
function dominantCallingCode(contacts: readonly WaContact[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of contacts) {
    if (!(c.displayName ?? c.formalName)) continue;
    const code = callingCodeOfJid(c.jid);
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let best: string | undefined;
  let n = 0;
  for (const [code, k] of counts) {
    if (k > n) {
      best = code;
      n = k;
    }
  }
  return best;
}

/**
 * Replaces `@<digits>` mentions with `@Name` where a name is known (a mention whose jid has only
 * a number stays as written). `mentionedJids` (from `message_mentions` or legacy
 * `mentioned_jids`) says which jid each token stands for, which matters for `@lid` mentions;
 * without it a token is taken as a phone jid.
 */
export function replaceMentions(text: string, resolver: NameResolver, mentionedJids?: readonly string[]): string {
  if (!text.includes('@')) return text;
  const byUser = new Map<string, string>();
  for (const j of mentionedJids ?? []) {
    const key = jidKey(j);
    byUser.set(splitJid(key).user, key);
  }
  return text.replace(/(^|[^\w@])@(\d{5,20})(?!\d)/g, (whole, pre: string, digits: string) => {
    const jid = byUser.get(digits) ?? `${digits}@s.whatsapp.net`;
    const r = resolver.resolve(jid);
    if (r.source === 'number' || r.source === 'id') return whole;
    return `${pre}@${r.title}`;
  });
}
