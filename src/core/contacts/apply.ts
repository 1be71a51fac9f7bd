/**
 * Puts the names of a `NameResolver` (names.ts) into what the msgstore reader produced, so that
 * everything stored (and therefore the chat list, headers, senders, quotes, reactions, system
 * events, search filters and exports) shows the ui-contract title rule with contact names.
 *
 * The readers (src/core/msgstore) give every person the `+digits` / `LID:digits` title; this
 * module runs once per chat and per page during the import and replaces:
 *  - the title of a chat that is a person (groups, channels, broadcast lists keep theirs);
 *  - participants, `sender`, `quoted.sender`, reaction senders (`Person.number` keeps the number);
 *  - the `+digits` / `LID:digits` titles embedded in a system event's wording;
 *  - `@<number>` mentions in message text, captions and quote snapshots (`replaceMentions`).
 * Pure and copy-on-write: an object that needs no change is returned as it was.
 */
import type { Chat, Message, Person, Quote, Reaction } from '../msgstore/model';
import { replaceMentions, type NameResolver, type ResolvedName } from './names';

/** A resolved name worth showing instead of the reader's title (a name, not the number again). */
function isName(r: ResolvedName): boolean {
  return r.source !== 'number' && r.source !== 'id';
}

export function applyPerson<P extends Person>(p: P, resolver: NameResolver): P {
  const r = resolver.resolve(p.jid);
  // A reader's title for a jid the resolver knows no better than (an unnamed lid, a group) stays.
  const title = isName(r) || r.number ? r.title : p.title;
  if (title === p.title && r.number === p.number) return p;
  return r.number ? { ...p, title, number: r.number } : { ...p, title };
}

/** A chat with names: the title of a person chat, and every participant. */
export function applyNamesToChat<C extends Chat>(chat: C, resolver: NameResolver): C & { number?: string } {
  let out: C & { number?: string } = chat;
  if (chat.kind === 'person') {
    const r = resolver.resolve(chat.jid);
    if (isName(r) || r.number) out = { ...out, title: r.title, ...(r.number ? { number: r.number } : {}) };
  }
  let changed = false;
  const participants = chat.participants.map((p) => {
    const q = applyPerson(p, resolver);
    if (q !== p) changed = true;
    return q;
  });
  return changed ? { ...out, participants } : out;
}

/** `+digits` and `LID:digits` as personTitle (msgstore/people.ts) writes them into system text. */
const TITLE_IN_TEXT = /(^|[^\w+])(\+|LID:)(\d{5,20})(?!\d)/g;

/** A system event's wording with the people's titles replaced by their names. */
export function applyNamesToSystemText(text: string, resolver: NameResolver): string {
  if (!text.includes('+') && !text.includes('LID:')) return text;
  return text.replace(TITLE_IN_TEXT, (whole, pre: string, mark: string, digits: string) => {
    const r = resolver.resolve(mark === '+' ? `${digits}@s.whatsapp.net` : `${digits}@lid`);
    return isName(r) ? `${pre}${r.title}` : whole;
  });
}

function applyQuote(q: Quote, resolver: NameResolver): Quote {
  const sender = q.sender ? applyPerson(q.sender, resolver) : undefined;
  const text = q.text ? replaceMentions(q.text, resolver) : undefined;
  if (sender === q.sender && text === q.text) return q;
  return { ...q, sender, text };
}

function applyReactions(list: Reaction[], resolver: NameResolver): Reaction[] {
  let changed = false;
  const out = list.map((r) => {
    if (!r.sender) return r;
    const sender = applyPerson(r.sender, resolver);
    if (sender === r.sender) return r;
    changed = true;
    return { ...r, sender };
  });
  return changed ? out : list;
}

export function applyNamesToMessage(m: Message, resolver: NameResolver): Message {
  let out = m;
  const set = <K extends keyof Message>(key: K, value: Message[K]) => {
    if (value === m[key]) return;
    if (out === m) out = { ...m };
    out[key] = value;
  };
  if (m.sender) set('sender', applyPerson(m.sender, resolver));
  if (m.quoted) set('quoted', applyQuote(m.quoted, resolver));
  if (m.reactions) set('reactions', applyReactions(m.reactions, resolver));
  if (m.system) {
    const text = applyNamesToSystemText(m.system.text, resolver);
    if (text !== m.system.text) set('system', { ...m.system, text });
  }
  // Contact cards keep their own names; everything else with text may mention people.
  if (m.text && m.kind !== 'contact') {
    set('text', m.kind === 'system' ? applyNamesToSystemText(m.text, resolver) : replaceMentions(m.text, resolver));
  }
  return out;
}

/** A page of messages with names (the same array when nothing changed). */
export function applyNamesToMessages(messages: Message[], resolver: NameResolver): Message[] {
  let changed = false;
  const out = messages.map((m) => {
    const n = applyNamesToMessage(m, resolver);
    if (n !== m) changed = true;
    return n;
  });
  return changed ? out : messages;
}

/** The brief's one entry point: a chat or a page of messages. */
export function applyNames<C extends Chat>(chat: C, resolver: NameResolver): C & { number?: string };
export function applyNames(messages: Message[], resolver: NameResolver): Message[];
export function applyNames(x: Chat | Message[], resolver: NameResolver): unknown {
  return Array.isArray(x) ? applyNamesToMessages(x, resolver) : applyNamesToChat(x, resolver);
}
