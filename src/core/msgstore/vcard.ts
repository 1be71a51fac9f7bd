/** Just enough vCard (2.1/3.0/4.0) to show a contact card: the display name and phone numbers. */
import type { ContactCard } from './model';

export function parseVCard(vcard: string, fallbackName?: string): ContactCard {
  // Unfold continuation lines (RFC 6350 §3.2): CRLF followed by a space or tab.
  const lines = vcard.replace(/\r\n?/g, '\n').replace(/\n[ \t]/g, '').split('\n');
  let fn: string | undefined;
  let n: string | undefined;
  const numbers: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    // `item1.TEL;type=CELL;waid=…` → property name `TEL`
    const name = head.split(';')[0]!.split('.').pop()!.toUpperCase();
    if (name === 'FN' && value) fn ??= unescape(value);
    else if (name === 'N' && value) n ??= value.split(';').filter(Boolean).map(unescape).reverse().join(' ');
    else if (name === 'TEL' && value) numbers.push(value.replace(/^tel:/i, ''));
  }
  return { name: fn ?? n ?? fallbackName ?? '', numbers };
}

function unescape(s: string): string {
  return s.replace(/\\([,;\\nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A message may hold several cards back to back. */
export function parseVCards(text: string, fallbackName?: string): ContactCard[] {
  const parts = text.split(/(?=BEGIN:VCARD)/i).filter((p) => /BEGIN:VCARD/i.test(p));
  if (parts.length === 0) return [];
  return parts.map((p, i) => parseVCard(p, i === 0 ? fallbackName : undefined));
}
