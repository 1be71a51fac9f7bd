/**
 * Query parsing. Syntax, on purpose tiny:
 *   - words separated by whitespace: every word must occur (as a substring, after folding);
 *   - "a quoted phrase": that exact folded sequence (whitespace runs count as one space).
 *     `"`, `“`, `”` and `„` all open/close a phrase; an unclosed quote runs to the end.
 * Quote characters are syntax, so they cannot themselves be searched for.
 * Filters are structured options (SearchFilters), not query syntax.
 */
import { foldText } from './fold';

export interface ParsedQuery {
  /** Folded needles without spaces: each must be a substring of one token of the message. */
  words: string[];
  /** Folded needles with at least one space: each must occur in the folded text verbatim. */
  phrases: string[];
}

export type KindFilter = 'text' | 'media' | 'document' | 'link';

export interface SearchFilters {
  /** Only this chat (Chat.id). */
  chatId?: number;
  /** Only messages by this jid; `'me'` for my own messages. */
  sender?: string;
  /** ms since epoch, inclusive. */
  since?: number;
  /** ms since epoch, exclusive. */
  until?: number;
  kind?: KindFilter;
}

const QUOTE = /["“”„]/;

export function parseQuery(raw: string): ParsedQuery {
  const words: string[] = [];
  const phrases: string[] = [];
  const addNeedle = (folded: string): void => {
    if (folded === '') return;
    (folded.includes(' ') ? phrases : words).push(folded);
  };
  let rest = raw;
  let quoted = false;
  while (rest.length > 0) {
    const m = QUOTE.exec(rest);
    const part = m ? rest.slice(0, m.index) : rest;
    if (quoted) addNeedle(foldText(part));
    else for (const w of part.split(/\s+/)) addNeedle(foldText(w));
    if (!m) break;
    rest = rest.slice(m.index + 1);
    quoted = !quoted;
  }
  return simplify({ words, phrases });
}

/** Drops needles implied by others (a word inside another word or phrase); keeps semantics. */
function simplify(q: ParsedQuery): ParsedQuery {
  const phrases = [...new Set(q.phrases)].filter(
    (p, i, all) => !all.some((o, j) => j !== i && o.length > p.length && o.includes(p)),
  );
  const uniq = [...new Set(q.words)];
  const words = uniq.filter(
    (w, i) =>
      !uniq.some((o, j) => j !== i && o.length > w.length && o.includes(w)) &&
      !phrases.some((p) => p.includes(w)),
  );
  return { words, phrases };
}

export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.words.length === 0 && q.phrases.length === 0;
}
