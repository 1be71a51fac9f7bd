/**
 * A contacts `.vcf` exported from a phone → `{ name, numbers }` per card, for naming people the
 * backup only knows by number (msgstore-schema.md §4, "Without wa.db").
 *
 * Handles vCard 2.1 (RFC-less "versit" spec), 3.0 (RFC 2426) and 4.0 (RFC 6350):
 * - line folding (CRLF followed by a space or tab is removed, with that one white-space char);
 * - 2.1 `ENCODING=QUOTED-PRINTABLE` (or the bare `QUOTED-PRINTABLE` param) with `=` soft line
 *   breaks, decoded as bytes and then through `CHARSET` (default UTF-8), as Android writes
 *   non-ASCII names;
 * - `\,` `\;` `\\` `\n` escapes; structured `N` (family;given;additional;prefix;suffix) when
 *   there is no `FN`; `ORG`, then `NICKNAME` as a last resort for the name;
 * - `TEL` with parameters (`TYPE=CELL`, bare `CELL`, quoted `TYPE="cell,voice"`, 4.0
 *   `VALUE=uri` `tel:` values) and WhatsApp's own `waid=<digits>` parameter, which is the jid
 *   user exactly and is kept apart from the written number;
 * - property groups (`item1.TEL`), many cards per file, CRLF/LF/CR line ends, a UTF-8 or
 *   UTF-16 byte-order mark (`decodeVcf`).
 * Not handled: nested 2.1 `AGENT` cards, `BASE64` values other than skipping them, non-UTF-8
 * `CHARSET`s that the runtime's TextDecoder does not know (the raw text is kept).
 *
 * Worker: read the picked file's bytes, `parseVcf(decodeVcf(bytes))`, and pass the entries to
 * `buildNameResolver({ vcf })` (names.ts). Numbers are matched there, normalized with the
 * owner's country (phone.ts).
 */

export interface VcfEntry {
  /** Display name: FN, else the N parts in natural order, else ORG, else NICKNAME. */
  name: string;
  /** Phone numbers as written (a `tel:` URI scheme removed). */
  numbers: string[];
  /** `waid=` parameters: WhatsApp jid users (E.164 digits), when the card came from WhatsApp. */
  waIds: string[];
}

/** Text of a `.vcf` file's bytes: BOM-aware; UTF-8, falling back to windows-1252. */
export function decodeVcf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

interface Prop {
  name: string;
  params: Map<string, string[]>;
  /** Bare 2.1 params (`CELL`, `QUOTED-PRINTABLE`), upper case. */
  bare: Set<string>;
  value: string;
}

/** Every card in the text that has a name. */
export function parseVcf(text: string): VcfEntry[] {
  const out: VcfEntry[] = [];
  let card: Prop[] | undefined;
  for (const line of logicalLines(text)) {
    const prop = parseProp(line);
    if (!prop) continue;
    if (prop.name === 'BEGIN' && prop.value.trim().toUpperCase() === 'VCARD') {
      card = [];
    } else if (prop.name === 'END' && prop.value.trim().toUpperCase() === 'VCARD') {
      if (card) {
        const e = toEntry(card);
        if (e) out.push(e);
      }
      card = undefined;
    } else if (card) {
      card.push(prop);
    }
  }
  return out;
}

function* logicalLines(text: string): Generator<string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length) {
    let line = lines[i++]!;
    for (;;) {
      const next = lines[i];
      if (next === undefined) break;
      if (next.length > 0 && (next[0] === ' ' || next[0] === '\t')) {
        line += next.slice(1);
        i++;
      } else if (line.endsWith('=') && isQuotedPrintable(line)) {
        line = line.slice(0, -1) + next; // QP soft line break
        i++;
      } else break;
    }
    if (line.trim()) yield line;
  }
}

function isQuotedPrintable(line: string): boolean {
  const colon = headEnd(line);
  return colon > 0 && /quoted-printable/i.test(line.slice(0, colon));
}

/** Index of the `:` ending the property head (colons inside quoted params do not count). */
function headEnd(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

function parseProp(line: string): Prop | undefined {
  const colon = headEnd(line);
  if (colon <= 0) return undefined;
  const parts = splitOutsideQuotes(line.slice(0, colon), ';');
  const name = parts[0]!.split('.').pop()!.trim().toUpperCase();
  const params = new Map<string, string[]>();
  const bare = new Set<string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      bare.add(p.trim().toUpperCase());
      continue;
    }
    const key = p.slice(0, eq).trim().toUpperCase();
    const vals = splitOutsideQuotes(p.slice(eq + 1), ',').map((v) => v.trim().replace(/^"|"$/g, ''));
    params.set(key, [...(params.get(key) ?? []), ...vals]);
  }
  let value = line.slice(colon + 1);
  const encoding = (params.get('ENCODING')?.[0] ?? '').toUpperCase();
  if (encoding === 'QUOTED-PRINTABLE' || bare.has('QUOTED-PRINTABLE')) {
    value = decodeQp(value, params.get('CHARSET')?.[0] ?? 'utf-8');
  } else if (encoding === 'BASE64' || encoding === 'B' || bare.has('BASE64')) {
    value = '';
  }
  return { name, params, bare, value };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function decodeQp(s: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d /* = */ && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of new TextEncoder().encode(s[i]!)) bytes.push(b);
    }
  }
  try {
    return new TextDecoder(charset.toLowerCase()).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}

/** Splits a structured value on unescaped `sep`, leaving escapes in place. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescapeText(s: string): string {
  return s.replace(/\\([\\,;:nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function toEntry(props: Prop[]): VcfEntry | undefined {
  let fn: string | undefined;
  let n: string | undefined;
  let org: string | undefined;
  let nick: string | undefined;
  const numbers: string[] = [];
  const waIds: string[] = [];
  for (const p of props) {
    switch (p.name) {
      case 'FN':
        fn ||= clean(unescapeText(p.value));
        break;
      case 'N': {
        // family;given;additional;prefix;suffix; commas separate several values of one part.
        const [family = '', given = '', extra = '', prefix = '', suffix = ''] = splitUnescaped(p.value, ';').map((x) =>
          splitUnescaped(x, ',').map(unescapeText).join(' '),
        );
        n ||= clean([prefix, given, extra, family, suffix].join(' '));
        break;
      }
      case 'ORG':
        org ||= clean(unescapeText(splitUnescaped(p.value, ';')[0] ?? ''));
        break;
      case 'NICKNAME':
        nick ||= clean(unescapeText(splitUnescaped(p.value, ',')[0] ?? ''));
        break;
      case 'TEL': {
        const v = p.value.trim().replace(/^tel:/i, '');
        if (/\d/.test(v)) numbers.push(v);
        for (const w of p.params.get('WAID') ?? []) if (/^\d+$/.test(w)) waIds.push(w);
        break;
      }
    }
  }
  const name = fn || n || org || nick;
  if (!name) return undefined;
  return { name, numbers, waIds };
}
