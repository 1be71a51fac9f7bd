/**
 * Splits message text into plain text and links, for the HTML export. Pure data out; the
 * caller escapes every segment's text and writes only hrefs that passed {@link safeHref}.
 *
 * The conversation view has its own `src/ui/conversation/linkify.ts` (the ui layer, which core
 * must not import); this is the export's own copy of the same rules, so the two may be merged
 * into core later: `http://…`, `https://…`, `www.…` (linked as https) and e-mail addresses
 * (linked as `mailto:`); trailing punctuation and an unbalanced closing bracket are left out.
 */
import { safeHref } from './escape';

export type LinkSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_OR_EMAIL =
  /(?<![\p{L}\p{N}_@.\-/])(?:(?:https?:\/\/|www\.)[^\s<>"`\u0000-\u001f\u007f]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})/giu;
const TRAILING = /[.,;:!?'"\u2018\u2019\u201c\u201d\u2026*_~]$/u;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
// Cheap pre-check: most messages hold no link at all.
const MAYBE = /https?:\/\/|www\.|@/i;

function trimUrl(candidate: string): string {
  let s = candidate;
  for (;;) {
    if (TRAILING.test(s)) {
      s = s.slice(0, -1);
      continue;
    }
    const last = s.at(-1);
    const open = last === undefined ? undefined : PAIRS[last];
    if (open !== undefined && last !== undefined && s.split(last).length > s.split(open).length) {
      s = s.slice(0, -1);
      continue;
    }
    return s;
  }
}

function hrefFor(match: string): string | undefined {
  const lower = match.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) return safeHref(match);
  if (lower.startsWith('www.')) return safeHref(`https://${match}`);
  if (match.includes('@')) return safeHref(`mailto:${match}`);
  return undefined;
}

export function linkSegments(text: string): LinkSegment[] {
  if (!MAYBE.test(text)) return text === '' ? [] : [{ kind: 'text', text }];
  const out: LinkSegment[] = [];
  let plain = '';
  let last = 0;
  URL_OR_EMAIL.lastIndex = 0;
  for (let m = URL_OR_EMAIL.exec(text); m !== null; m = URL_OR_EMAIL.exec(text)) {
    const isUrl = /^(?:https?:\/\/|www\.)/i.test(m[0]);
    const candidate = isUrl ? trimUrl(m[0]) : m[0];
    const href = candidate.length > 0 ? hrefFor(candidate) : undefined;
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
