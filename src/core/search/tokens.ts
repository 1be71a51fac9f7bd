/**
 * Tokens are the maximal runs of non-whitespace in folded text (foldText leaves single spaces
 * as the only whitespace). Punctuation stays attached to its token: that keeps substring
 * semantics exact, because a query without whitespace occurs in a folded text iff it occurs
 * inside one of that text's tokens.
 */

/** Distinct tokens of an already folded string, in first-seen order. */
export function tokenize(folded: string): string[] {
  if (folded === '') return [];
  const parts = folded.split(' ');
  if (parts.length === 1) return parts;
  if (parts.length <= 8) {
    const out: string[] = [];
    for (const p of parts) if (p !== '' && !out.includes(p)) out.push(p);
    return out;
  }
  const seen = new Set<string>();
  for (const p of parts) if (p !== '') seen.add(p);
  return [...seen];
}

/**
 * Stable 32-bit FNV-1a over UTF-16 code units. It decides a token's bucket, so it is part of
 * the stored format: never change it without bumping INDEX_VERSION.
 */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
