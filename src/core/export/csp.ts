/**
 * Content-Security-Policy for exported files: everything inline, each inline `<style>` and
 * `<script>` allowed by its SHA-256 hash, nothing fetched from anywhere.
 *
 * With `localFiles` (a chat exported together with its media files) images, video and audio may
 * also load from `'self'`. For a page opened from `file://`, Chromium matches `'self'` against
 * `file:` URLs (so the relative `… media/` files load) and never against a remote one; a page
 * served over http(s) gets its own origin. A CSP source cannot name a relative path, so this is
 * as narrow as a policy can say it.
 */
import { base64 } from './common';

/** `'sha256-…'` source expression for the exact text of an inline element (UTF-8). */
export async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${base64(new Uint8Array(digest))}'`;
}

export interface CspInput {
  styles: string[];
  scripts: string[];
  /** Adds `'wasm-unsafe-eval'` to script-src (WebAssembly.compile for Argon2). */
  wasm?: boolean;
  /** Allows images, video and audio from `'self'` as well (media files next to the page). */
  localFiles?: boolean;
  /** Ready-made `'sha256-…'` sources to allow as well (e.g. those of a page written into this one). */
  extraStyleSources?: string[];
  extraScriptSources?: string[];
}

/** The policy text, ready for `<meta http-equiv="Content-Security-Policy" content="…">`. */
export async function buildCsp(input: CspInput): Promise<string> {
  const styles = [...(await Promise.all(input.styles.map(cspHash))), ...(input.extraStyleSources ?? [])];
  const scripts = [...(await Promise.all(input.scripts.map(cspHash))), ...(input.extraScriptSources ?? [])];
  if (input.wasm) scripts.push("'wasm-unsafe-eval'");
  return [
    "default-src 'none'",
    input.localFiles ? "img-src data: 'self'" : 'img-src data:',
    ...(input.localFiles ? ["media-src 'self'"] : []),
    `style-src ${styles.length ? styles.join(' ') : "'none'"}`,
    `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Throws unless `code` can sit inside `<script>…</script>` / `<style>…</style>` verbatim. */
export function assertInlineSafe(code: string, what: string): void {
  if (/<\/(script|style)|<!--|<script/i.test(code)) throw new Error(`${what}: cannot be inlined (contains </script, </style, <!-- or <script)`);
}
