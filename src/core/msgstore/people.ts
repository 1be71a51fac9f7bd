/**
 * Jids and the ui-contract title rule: a group shows its subject; a person `+` and the phone
 * number's digits; a privacy id (`@lid`) mapped to a phone number shows that number; an unmapped
 * one `LID:` and its digits, never as if it were a phone number.
 */
import type { ChatKind, Person } from './model';

export interface JidParts {
  user: string;
  server: string;
}

/** Splits `user[.agent][:device]@server`; the device/agent suffixes are dropped. */
export function splitJid(jid: string): JidParts {
  const at = jid.lastIndexOf('@');
  const rawUser = at >= 0 ? jid.slice(0, at) : jid;
  const server = at >= 0 ? jid.slice(at + 1).toLowerCase() : '';
  return { user: stripDevice(rawUser, server), server };
}

function stripDevice(user: string, server: string): string {
  if (server === 'g.us' || server === 'broadcast' || server === 'newsletter') return user;
  // `4917612345000.0:3` and `4917612345000:3`: only the part before the first `.` or `:`.
  const m = /^([^.:]*)[.:]/.exec(user);
  return m ? m[1]! : user;
}

export function chatKindOf(jid: string): ChatKind {
  const { server } = splitJid(jid);
  if (server === 'g.us') return 'group';
  if (server === 'newsletter') return 'channel';
  if (server === 'broadcast') return 'broadcast';
  return 'person';
}

export function isStatusJid(jid: string): boolean {
  return jid.toLowerCase() === 'status@broadcast';
}

/**
 * Title of a person or any non-group jid. `mappedPhoneJid` is the phone jid a `@lid` maps to via
 * `jid_map`, when there is one.
 */
export function personTitle(jid: string, mappedPhoneJid?: string): string {
  const { user, server } = splitJid(jid);
  if (server === 'lid') {
    if (mappedPhoneJid) return personTitle(mappedPhoneJid);
    return `LID:${digits(user) || user}`;
  }
  if (server === 'broadcast') return user === 'status' ? 'Status' : `Broadcast list ${user}`;
  if (server === 'newsletter') return `Channel ${user}`;
  if (server === 'g.us') return `Group ${user}`;
  if (/^\d+$/.test(user)) return `+${user}`;
  return user || jid;
}

function digits(s: string): string {
  return s.replace(/\D+/g, '');
}

export function person(jid: string, mappedPhoneJid?: string): Person {
  return { jid, title: personTitle(jid, mappedPhoneJid) };
}

/** The chat title: a group's or channel's subject when set, else the person rule. */
export function chatTitle(jid: string, subject: string | undefined, mappedPhoneJid?: string): string {
  const kind = chatKindOf(jid);
  const s = subject?.trim();
  if ((kind === 'group' || kind === 'channel' || kind === 'broadcast') && s) return s;
  if (kind === 'group') return 'Unnamed group';
  return personTitle(jid, mappedPhoneJid);
}
