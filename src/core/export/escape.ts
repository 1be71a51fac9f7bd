/**
 * Escaping for the HTML export. Message text, names, captions, file names and every other string
 * that came out of a backup are hostile input: they only ever reach the output through
 * {@link escapeHtml} (text and attribute values) or {@link safeHref} (link targets).
 *
 * Never put any of them inside the export's `<script>` or `<style>`: those hold constant code only.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // The HTML parser turns a raw CR (and CRLF) into LF; a reference keeps it.
  '\r': '&#13;',
  // Harmless in HTML text, but a hazard if anything ever copies the text into script.
  '\u2028': '&#8232;',
  '\u2029': '&#8233;',
};

// NUL cannot survive an HTML parser in any form (a raw NUL is dropped, `&#0;` becomes U+FFFD):
// write U+FFFD ourselves so the file says what a reader will see.
const SPECIAL = /[&<>"'\r\u2028\u2029\0]/g;

/**
 * Text safe between tags and inside double- or single-quoted attribute values. Lone UTF-16
 * surrogates are left as they are (the UTF-8 encoder writes them as U+FFFD).
 */
export function escapeHtml(text: string): string {
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(text)) return text;
  return text.replace(SPECIAL, (c) => ESCAPES[c] ?? '\uFFFD');
}

/** Link targets: the one rule shared with the app (only http, https, mailto, tel). */
export { safeHref } from '../text/links';
