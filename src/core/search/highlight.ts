/**
 * Highlighting for result snippets. Pure data: the UI renders each segment as a text node
 * (match segments inside <mark>), never as HTML.
 */
import { foldForHighlight } from './fold';
import { parseQuery, type ParsedQuery } from './query';

export interface Segment {
  text: string;
  match: boolean;
}

export interface Snippet {
  segments: Segment[];
  /** Text was cut before / after the window (show an ellipsis). */
  cutStart: boolean;
  cutEnd: boolean;
}

/** Matched [start, end) ranges of the original, merged and sorted. */
export function matchRanges(original: string, query: string | ParsedQuery): [number, number][] {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  const needles = [...q.words, ...q.phrases];
  if (needles.length === 0 || original === '') return [];
  const { folded, start, end } = foldForHighlight(original);
  const ranges: [number, number][] = [];
  for (const n of needles) {
    let from = 0;
    for (;;) {
      const p = folded.indexOf(n, from);
      if (p < 0) break;
      ranges.push([start[p], end[p + n.length - 1]]);
      from = p + 1;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function toSegments(s: string, ranges: [number, number][], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let at = from;
  for (const [a0, b0] of ranges) {
    const a = Math.max(a0, from);
    const b = Math.min(b0, to);
    if (b <= a) continue;
    if (a > at) out.push({ text: s.slice(at, a), match: false });
    out.push({ text: s.slice(a, b), match: true });
    at = b;
  }
  if (at < to) out.push({ text: s.slice(at, to), match: false });
  return out;
}

/** The whole original cut into segments; concatenating their text gives back `original`. */
export function highlightSegments(original: string, query: string | ParsedQuery): Segment[] {
  return toSegments(original, matchRanges(original, query), 0, original.length);
}

const MARK = /\p{M}/u;

/** Moves i left so that it does not split a surrogate pair or separate a mark from its base. */
function safeStart(s: string, i: number): number {
  while (i > 0) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) i--;
    else if (MARK.test(String.fromCodePoint(s.codePointAt(i)!)) || c === 0x200d) i--;
    else break;
  }
  return i;
}

/** Moves i right for the same reasons. */
function safeEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) i++;
    else if (MARK.test(String.fromCodePoint(s.codePointAt(i)!)) || c === 0x200d) i++;
    else break;
  }
  return i;
}

/** About `radius` characters either side of the first match (or the start when none). */
export function snippet(original: string, query: string | ParsedQuery, radius = 40): Snippet {
  const ranges = matchRanges(original, query);
  const first = ranges[0] ?? [0, 0];
  let from = safeStart(original, Math.max(0, first[0] - radius));
  let to = safeEnd(original, Math.min(original.length, first[1] + (ranges.length ? radius : 2 * radius)));
  // Prefer to start after a space when one is close.
  if (from > 0) {
    const sp = original.indexOf(' ', from);
    if (sp >= 0 && sp < first[0] && sp - from < 12) from = sp + 1;
  }
  if (to < original.length) {
    const sp = original.lastIndexOf(' ', to);
    if (sp > first[1] && to - sp < 12) to = sp;
  }
  return { segments: toSegments(original, ranges, from, to), cutStart: from > 0, cutEnd: to < original.length };
}
