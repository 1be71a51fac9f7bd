/**
 * Password-protected HTML export: wraps a finished export (any of our HTML pages) into a page
 * that holds only ciphertext and decrypts itself in the browser, offline, when the password is
 * typed. Format (also in docs/FORMATS.md, "Protected HTML export"):
 *
 * The page carries one data block `<script type="application/octet-stream" id="payload">`
 * whose text is the standard base64 (with padding, no line breaks) of:
 *
 * ```
 * offset  size  field
 *      0     8  magic "UNSEALP1" (ASCII)
 *      8     4  Argon2id memory in KiB, uint32 big-endian   (65536)
 *     12     4  Argon2id iterations, uint32 big-endian       (3)
 *     16     4  Argon2id parallelism, uint32 big-endian      (1)
 *     20    16  salt (random)
 *     36    12  AES-GCM nonce (random)
 *     48     n  AES-256-GCM ciphertext of the UTF-8 page, then its 16-byte tag
 * ```
 * key = Argon2id(UTF-8(NFC(password)), salt, m, t, p, 32 bytes) (RFC 9106, version 0x13);
 * additional data = bytes 0..47 (the header), so changing a parameter fails the tag.
 * A reader MUST reject: a wrong magic; a payload shorter than 64 bytes; parameters out of
 * range (parallelism 1..16, iterations 1..64, memory 8·p KiB .. 4 GiB); a failed tag. A failed
 * tag is reported as "wrong password" (a damaged file is indistinguishable from it).
 *
 * The page's one inline script is hash-wasm's `argon2.umd.min.js` (passed in by the caller,
 * ~30 KB), then {@link PROTECT_DECRYPT_JS}, then {@link PROTECT_UI_JS}; its CSP allows that
 * script's hash, `'wasm-unsafe-eval'` (Argon2 is WebAssembly), and the style and script hashes
 * of the wrapped page (read from its own CSP meta), because the decrypted page replaces this
 * one with `document.open(); document.write(html)` and keeps this document's policy.
 *
 * Limit: the whole page is in memory (plaintext, ciphertext and base64: about 3.5× the HTML),
 * so this is for single-chat exports; WebCrypto's one-shot AES-GCM needs it that way anyway.
 */
import { base64 } from './common';
import { assertInlineSafe, buildCsp } from './csp';
import { escapeHtml as esc } from './escape';
// The one Argon2id wrapper (with the encrypted archive's defaults and bounds).
import { DEFAULT_KDF, type KdfParams } from '../archive/format';
import { deriveKey, type DeriveKey } from '../archive/kdf';

export const PROTECT_MAGIC = 'UNSEALP1';
export const PROTECT_HEADER_BYTES = 48;

/**
 * Decryption as the page runs it, plain ES2017 defining `unsealProtected` = `{ fromBase64,
 * decrypt(payload, password, argon2id, subtle) → Promise<string> }`. Errors carry `code`:
 * `corrupt`, `unsupported` or `wrong-password`. Tests evaluate these exact bytes from the page.
 */
export const PROTECT_DECRYPT_JS = `
var unsealProtected = (function () {
  'use strict';
  var MAGIC = '${PROTECT_MAGIC}', HEADER = ${PROTECT_HEADER_BYTES}, TAG = 16;
  function fail(code, message) { var e = new Error(message); e.code = code; return e; }
  function fromBase64(s) {
    var bin = atob(s.replace(/\\s+/g, ''));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function decrypt(payload, password, argon2id, subtle) {
    if (payload.length < HEADER + TAG) throw fail('corrupt', 'The protected data is too short.');
    for (var i = 0; i < MAGIC.length; i++) {
      if (payload[i] !== MAGIC.charCodeAt(i)) throw fail('unsupported', 'This is not a protected Unseal export of a known version.');
    }
    var dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    var m = dv.getUint32(8), t = dv.getUint32(12), p = dv.getUint32(16);
    if (p < 1 || p > 16 || t < 1 || t > 64 || m < 8 * p || m > 4194304) throw fail('corrupt', 'The key parameters in this file are out of range.');
    var key = await argon2id({
      password: new TextEncoder().encode(String(password).normalize('NFC')),
      salt: payload.subarray(20, 36),
      iterations: t, parallelism: p, memorySize: m, hashLength: 32, outputType: 'binary'
    });
    var k = await subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
    var plain;
    try {
      plain = await subtle.decrypt({ name: 'AES-GCM', iv: payload.subarray(36, 48), additionalData: payload.subarray(0, HEADER), tagLength: 128 }, k, payload.subarray(HEADER));
    } catch (e) {
      throw fail('wrong-password', 'Wrong password.');
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  }
  return { fromBase64: fromBase64, decrypt: decrypt };
})();
`;

/** The unlock form's behaviour; needs `hashwasm` (the UMD) and `unsealProtected` above. */
export const PROTECT_UI_JS = `
(function () {
  'use strict';
  var form = document.getElementById('unlock'), pw = document.getElementById('pw'), btn = document.getElementById('go'), msg = document.getElementById('msg');
  form.hidden = false;
  pw.focus();
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!pw.value) { msg.textContent = 'Type the password.'; return; }
    btn.disabled = true;
    msg.textContent = 'Unlocking… this takes a few seconds.';
    var payload;
    try { payload = unsealProtected.fromBase64(document.getElementById('payload').textContent); }
    catch (err) { msg.textContent = 'This file is damaged: its protected data cannot be read.'; return; }
    unsealProtected.decrypt(payload, pw.value, hashwasm.argon2id, crypto.subtle).then(function (html) {
      pw.value = '';
      document.open();
      document.write(html);
      document.close();
    }, function (err) {
      btn.disabled = false;
      msg.textContent = err && err.code === 'wrong-password' ? 'Wrong password. Nothing was decrypted; try again.'
        : err && err.code ? err.message : 'Could not unlock this file: ' + (err && err.message ? err.message : String(err));
      pw.select();
    });
  });
})();
`;

const PROTECT_CSS = `
:root{color-scheme:light dark}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;max-width:30rem;margin:15vh auto;padding:0 1rem}
h1{font-size:1.3rem}
form{display:flex;flex-wrap:wrap;gap:.5rem}
form[hidden]{display:none}
input{flex:1 1 12rem;font:inherit;padding:.4rem .6rem}
button{font:inherit;padding:.4rem .9rem}
#msg{min-height:1.5em}
`;

export interface ProtectOptions {
  /** The text of `hash-wasm/dist/argon2.umd.min.js` (4.13.0); the worker imports it with `?raw`. */
  argon2Script: string;
  appVersion: string;
  /** Default {@link DEFAULT_KDF}. */
  params?: KdfParams;
  /** Random bytes (tests only); default `crypto.getRandomValues`. */
  random?: (n: number) => Uint8Array;
  /** Argon2id; default archive/kdf.ts `deriveKey` (in this thread). */
  deriveKey?: DeriveKey;
}

/** `'sha256-…'` sources of style-src and script-src in a page's own CSP meta. */
function innerHashes(html: string): { styles: string[]; scripts: string[] } {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/i.exec(html.slice(0, 4096));
  const styles: string[] = [];
  const scripts: string[] = [];
  for (const directive of (meta?.[1] ?? '').split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    const hashes = sources.filter((s) => /^'sha(256|384|512)-[A-Za-z0-9+/=]+'$/.test(s));
    if (name === 'style-src') styles.push(...hashes);
    if (name === 'script-src') scripts.push(...hashes);
  }
  return { styles, scripts };
}

/** Encrypts `plaintext` into the payload bytes described above. */
export async function sealPayload(
  plaintext: Uint8Array,
  password: string,
  params: KdfParams = DEFAULT_KDF,
  random?: (n: number) => Uint8Array,
  derive: DeriveKey = deriveKey,
): Promise<Uint8Array> {
  const rand = random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const salt = rand(16);
  const iv = rand(12);
  if (salt.length !== 16 || iv.length !== 12) throw new Error('sealPayload: random() returned the wrong length');
  const header = new Uint8Array(PROTECT_HEADER_BYTES);
  const dv = new DataView(header.buffer);
  header.set(new TextEncoder().encode(PROTECT_MAGIC), 0);
  dv.setUint32(8, params.memoryKiB);
  dv.setUint32(12, params.iterations);
  dv.setUint32(16, params.parallelism);
  header.set(salt, 20);
  header.set(iv, 36);
  const key = await derive(password, salt, params);
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt']);
  key.fill(0);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: header, tagLength: 128 }, k, plaintext as Uint8Array<ArrayBuffer>),
  );
  const out = new Uint8Array(header.length + ct.length);
  out.set(header, 0);
  out.set(ct, header.length);
  return out;
}

/** The self-decrypting page for `html` (a whole exported page). */
export async function protectHtml(html: string, password: string, opts: ProtectOptions): Promise<string> {
  assertInlineSafe(opts.argon2Script, 'argon2Script');
  if (!/argon2id/.test(opts.argon2Script)) throw new Error('protectHtml: argon2Script does not look like hash-wasm argon2.umd.min.js');
  const payload = await sealPayload(new TextEncoder().encode(html), password, opts.params ?? DEFAULT_KDF, opts.random, opts.deriveKey);
  const script = `${opts.argon2Script}\n${PROTECT_DECRYPT_JS}\n${PROTECT_UI_JS}`;
  const inner = innerHashes(html);
  // The wrapped page's hashes too: it is written into this document and keeps this policy.
  const csp = await buildCsp({ styles: [PROTECT_CSS], scripts: [script], wasm: true, extraStyleSources: inner.styles, extraScriptSources: inner.scripts });
  let h = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n';
  h += `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`;
  h += '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  h += `<meta name="generator" content="Unseal ${esc(opts.appVersion)}">\n`;
  h += `<title>Protected chat export</title>\n<style>${PROTECT_CSS}</style>\n</head>\n<body>\n`;
  h += '<h1>Protected chat export</h1>\n<p>This file holds an encrypted WhatsApp chat. Type its password to read it; nothing is sent anywhere.</p>\n';
  h += '<noscript><p>Reading it needs JavaScript: allow scripts for this file, or ask for an unprotected export.</p></noscript>\n';
  h += '<form id="unlock" hidden><input id="pw" type="password" autocomplete="off" aria-label="Password" placeholder="Password"><button id="go" type="submit">Unlock</button></form>\n';
  h += '<p id="msg" role="status"></p>\n';
  h += `<p><small>Made with Unseal ${esc(opts.appVersion)}. Argon2id and AES-256-GCM; format "Protected HTML export" in Unseal's docs/FORMATS.md.</small></p>\n`;
  h += `<script type="application/octet-stream" id="payload">${base64(payload)}</script>\n`;
  h += `<script>${script}</script>\n</body></html>\n`;
  return h;
}
