/**
 * Splits message text into plain-text and link segments, for the conversation view and the HTML
 * export alike. Message text is hostile input: this
 * never produces markup, only data that the view turns into Preact children (text nodes and
 * `<a>` elements whose `href` has passed {@link safeHref}).
 *
 * Recognised: `http://…`, `https://…`, `www.…` (linked as https), and e-mail addresses (linked
 * as `mailto:`). Trailing punctuation (`.`, `,`, `!`, `?`, quotes, an unbalanced closing
 * bracket) is left out of a URL, the way people write "see https://example.com."
 */

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

// A URL starts at a word boundary with a scheme or `www.`, and runs until whitespace or a
// character that never belongs in a bare URL in chat text (<, >, ", `, and control chars).
const URL_OR_EMAIL =
  /(?<![\p{L}\p{N}_@.\-/])(?:(?:https?:\/\/|www\.)[^\s<>"`\u0000-\u001f\u007f]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})/giu;

const TRAILING = /[.,;:!?'"\u2018\u2019\u201c\u201d\u2026*_~]$/u;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drops trailing punctuation and unbalanced closing brackets from a URL candidate. */
function trimUrl(candidate: string): string {
  let s = candidate;
  for (;;) {
    if (TRAILING.test(s)) {
      s = s.slice(0, -1);
      continue;
    }
    const last = s.at(-1);
    const open = last === undefined ? undefined : PAIRS[last];
    if (open !== undefined && last !== undefined) {
      const opens = s.split(open).length - 1;
      const closes = s.split(last).length - 1;
      if (closes > opens) {
        s = s.slice(0, -1);
        continue;
      }
    }
    return s;
  }
}

/**
 * The href to use for a link, or `undefined` when it must not become a link. Only http, https,
 * mailto and tel survive; anything the URL parser rejects is not a link.
 */
export function safeHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return undefined;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') return undefined;
  return url.href;
}

function hrefFor(match: string): string | undefined {
  const lower = match.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) return safeHref(match);
  if (lower.startsWith('www.')) return safeHref(`https://${match}`);
  if (match.includes('@')) return safeHref(`mailto:${match}`);
  return undefined;
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  let last = 0;
  URL_OR_EMAIL.lastIndex = 0;
  for (let m = URL_OR_EMAIL.exec(text); m !== null; m = URL_OR_EMAIL.exec(text)) {
    const isUrl = /^(?:https?:\/\/|www\.)/i.test(m[0]);
    const candidate = isUrl ? trimUrl(m[0]) : m[0];
    const href = candidate.length > 0 ? hrefFor(candidate) : undefined;
    // A bare scheme ("https://") or `www.` with nothing after it is not a link.
    const meaningful = isUrl ? /^(?:https?:\/\/|www\.)[^./].*/i.test(candidate) : true;
    if (href === undefined || !meaningful) continue;
    plain += text.slice(last, m.index);
    if (plain !== '') out.push({ kind: 'text', text: plain });
    plain = '';
    out.push({ kind: 'link', text: candidate, href });
    last = m.index + candidate.length;
    URL_OR_EMAIL.lastIndex = last;
  }
  plain += text.slice(last);
  if (plain !== '') out.push({ kind: 'text', text: plain });
  return out;
}
