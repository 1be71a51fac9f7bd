/**
 * Text folding for search: one function decides what "the same text" means, and the index, the
 * query parser, the phrase verifier and the highlighter all go through it.
 *
 * foldText(s):
 *   1. NFKC on the whole string (ligatures `ﬁ` → `fi`, fullwidth `ＡＢＣ` → `ABC`, `²` → `2`);
 *   2. `toLowerCase()`, then the two full-case-folding differences that matter in practice:
 *      `ß` → `ss` and final sigma `ς` → `σ` (so a word typed alone finds it inside a longer word);
 *   3. NFD, then U+0300–U+036F combining marks are removed **only when the last base character
 *      before them is Latin or Greek** (`café` → `cafe`, `ά` → `α`). Marks that follow any other
 *      base are kept, and marks outside that block are always kept: Devanagari vowel signs,
 *      Arabic harakat, Hebrew points are letters of their scripts. Cyrillic keeps its marks on
 *      purpose: `й` and `и`, `ё` and `е` are distinct letters there.
 *   4. NFC; every run of whitespace (`\s`) becomes one space; leading/trailing space is dropped.
 *
 * Folding is local to whitespace-separated words (nothing composes or changes case across a
 * space), which is what lets the index store folded tokens and still answer substring queries.
 *
 * Limits: this is not full Unicode case folding (e.g. Cherokee, `ŉ`), and NFKC may turn a
 * symbol into text plus a space (`¨` → ` ̈`); both sides of every comparison are folded the
 * same way, so results stay exact with respect to foldText.
 */
import type { Message } from '../msgstore/model';

const ASCII = /^[\x00-\x7f]*$/;
const WS = /\s+/g;
const STRIPPABLE = /[\u0300-\u036f]/;
const MARK = /\p{M}/u;
const LATIN_OR_GREEK = /[\p{Script=Latin}\p{Script=Greek}]/u;

function caseFold(s: string): string {
  let out = s.toLowerCase();
  if (out.includes('ß')) out = out.replaceAll('ß', 'ss');
  if (out.includes('ς')) out = out.replaceAll('ς', 'σ');
  return out;
}

/** State carried across calls: is the last base character seen Latin/Greek? */
interface MarkState {
  strip: boolean;
}

/** Step 3 on an NFD string. */
function stripLatinMarks(nfd: string, state: MarkState): string {
  if (!STRIPPABLE.test(nfd)) {
    // Still track the last base for the caller that folds segment by segment.
    updateState(nfd, state);
    return nfd;
  }
  let out = '';
  for (const ch of nfd) {
    const c = ch.charCodeAt(0);
    if (c >= 0x300 && c <= 0x36f) {
      if (!state.strip) out += ch;
    } else {
      if (!MARK.test(ch)) state.strip = LATIN_OR_GREEK.test(ch);
      out += ch;
    }
  }
  return out;
}

function updateState(s: string, state: MarkState): void {
  // Find the last non-mark code point.
  for (let i = s.length - 1; i >= 0; i--) {
    let ch = s[i];
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const h = s.charCodeAt(i - 1);
      if (h >= 0xd800 && h <= 0xdbff) {
        ch = s.slice(i - 1, i + 1);
        i--;
      }
    }
    if (!MARK.test(ch)) {
      state.strip = LATIN_OR_GREEK.test(ch);
      return;
    }
  }
}

function foldCore(s: string, state: MarkState): string {
  const lower = caseFold(s.normalize('NFKC'));
  return stripLatinMarks(lower.normalize('NFD'), state).normalize('NFC');
}

/** The folded form used everywhere in search. Never throws (lone surrogates pass through). */
export function foldText(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase().replace(WS, ' ').trim();
  return foldCore(s, { strip: false }).replace(WS, ' ').trim();
}

export interface HighlightFold {
  folded: string;
  /** `start[i]`: index in the original where the piece that produced `folded[i]` begins. */
  start: number[];
  /** `end[i]`: index in the original just after that piece (exclusive). */
  end: number[];
}

type Segmenter = { segment(s: string): Iterable<{ segment: string; index: number }> };
let graphemes: Segmenter | null | undefined;

function segmenter(): Segmenter | null {
  if (graphemes === undefined) {
    const ctor = (Intl as unknown as { Segmenter?: new (l?: string, o?: object) => Segmenter }).Segmenter;
    graphemes = ctor ? new ctor(undefined, { granularity: 'grapheme' }) : null;
  }
  return graphemes;
}

/** Code point + following marks: the fallback when Intl.Segmenter is missing. */
function* simpleSegments(s: string): Iterable<{ segment: string; index: number }> {
  let i = 0;
  while (i < s.length) {
    const startAt = i;
    const first = s.codePointAt(i)!;
    i += first > 0xffff ? 2 : 1;
    while (i < s.length) {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (!MARK.test(ch)) break;
      i += ch.length;
    }
    yield { segment: s.slice(startAt, i), index: startAt };
  }
}

/**
 * foldText with a map back to the original, for highlighting. The original is folded one
 * grapheme cluster at a time, so every folded character points at the whole cluster it came
 * from (a highlight never splits `é`, `पु` or a ZWJ emoji sequence). For compositions that
 * cross clusters (Hangul conjoining jamo written out) `folded` can differ from foldText(original);
 * highlights may then be missed, but indices are always within [0, original.length].
 */
export function foldForHighlight(original: string): HighlightFold {
  const folded: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const state: MarkState = { strip: false };
  const ascii = ASCII.test(original);
  const segs = ascii ? null : segmenter();
  const iter: Iterable<{ segment: string; index: number }> = ascii
    ? simpleSegments(original)
    : segs
      ? segs.segment(original)
      : simpleSegments(original);
  let lastSpace = true; // true at the start: leading whitespace is dropped
  for (const { segment, index } of iter) {
    const f = ascii ? segment.toLowerCase() : foldCore(segment, state);
    const segEnd = index + segment.length;
    for (let k = 0; k < f.length; k++) {
      const ch = f[k];
      if (/\s/.test(ch)) {
        if (lastSpace) continue;
        lastSpace = true;
        folded.push(' ');
      } else {
        lastSpace = false;
        folded.push(ch);
      }
      start.push(index);
      end.push(segEnd);
    }
  }
  if (folded.length > 0 && folded[folded.length - 1] === ' ') {
    folded.pop();
    start.pop();
    end.pop();
  }
  return { folded: folded.join(''), start, end };
}

/**
 * The searchable text of a message: body or caption, document file name, poll question and
 * options, location name and address, contact-card names, event name; joined by '\n'.
 * System events are not searched ('').
 */
export function searchableText(m: Message): string {
  if (m.kind === 'system' || m.system) return '';
  const parts: string[] = [];
  if (m.text) parts.push(m.text);
  if (m.media?.fileName) parts.push(m.media.fileName);
  if (m.poll) {
    if (m.poll.question) parts.push(m.poll.question);
    for (const o of m.poll.options) if (o.name) parts.push(o.name);
  }
  if (m.location) {
    if (m.location.name) parts.push(m.location.name);
    if (m.location.address) parts.push(m.location.address);
  }
  if (m.contacts) for (const c of m.contacts) if (c.name) parts.push(c.name);
  if (m.event?.name) parts.push(m.event.name);
  return parts.join('\n');
}
