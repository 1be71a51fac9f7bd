/**
 * The built app fetches nothing from other origins. This builds the app with Vite's JS API into a
 * temporary directory (so it runs with the unit tests, before the e2e build, and never touches
 * dist/) and reads every shipped file: any absolute http(s) URL in it must be one of the harmless
 * strings listed below (namespaces, link targets the user clicks, comments in bundled libraries).
 * Source maps are skipped: the app never fetches them (the service worker does not precache them
 * either) and they hold the libraries' full source text.
 *
 * At run time the Content-Security-Policy blocks any other origin anyway (e2e/csp.spec.ts); this
 * test catches a remote URL before it ships.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { CSP_META } from '../vite.config';

const ROOT = resolve(import.meta.dirname, '..');

/** Exact strings allowed, and why none of them is ever fetched. */
const ALLOWED_EXACT: Record<string, string> = {
  'http://www.w3.org/2000/svg': 'SVG namespace (Preact, icon.svg): an identifier, not fetched',
  'http://www.w3.org/1999/xhtml': 'XHTML namespace (Preact): an identifier',
  'http://www.w3.org/1998/Math/MathML': 'MathML namespace (Preact): an identifier',
  'http://': 'message linkifier: scheme test on message text (links the user may click, never fetched)',
  'https://': 'message linkifier: scheme test on message text',
  'https://${e}': 'message linkifier: a "www." link in message text gets https:// (a link target, not fetched)',
  'https://emscripten.org:': 'sqlite-wasm license comment',
  'https://emscripten.org/docs/introducing_emscripten/emscripten_license.html': 'sqlite-wasm license comment',
  'https://sqlite.org:': 'sqlite-wasm license comment',
  'https://sqlite.org/wasm/doc/trunk/persistence.md#coop-coep': 'sqlite-wasm: text of a console warning',
  'https://www.npmjs.com/package/hash-wasm': 'hash-wasm license comment',
  'https://github.com/rhashimoto/wa-sqlite/blob/master/src/examples/OriginPrivateFileSystemVFS.js':
    'sqlite-wasm OPFS proxy: comment crediting prior work',
  'https://developer.chrome.com/blog/sync-methods-for-accesshandles/': 'sqlite-wasm OPFS proxy: comment citing a spec change',
  'https://github.com/whatwg/fs/pull/21': 'sqlite-wasm OPFS proxy: comment citing the spec',
  'https://sqlite.org/forum/forumpost/9ee7f5340802d600': 'sqlite-wasm OPFS proxy: comment citing a bug report',
};

/** Prefixes allowed: templates whose rest is filled in at run time. */
const ALLOWED_PREFIX: Record<string, string> = {
  'https://www.openstreetmap.org/?mlat=${': 'a shared location: a link the user may click to open the map (rel=noreferrer, new tab), never fetched',
  'https://maps.google.com/?q=${': 'text export (src/core/export/txt.ts): a location written as WhatsApp writes it in its own .txt export; plain text, never fetched',
};

const URL_PATTERN = /https?:\/\/[^\s"'`)<>\\]*/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

let outDir = '';
let files: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'unseal-dist-'));
  await build({
    root: ROOT,
    configFile: resolve(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  files = filesUnder(outDir);
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the built app', () => {
  it('has no absolute URL outside the allow-list', () => {
    const found: string[] = [];
    const shipped = files.filter((f) => !f.endsWith('.map'));
    expect(shipped.length).toBeGreaterThan(5);
    for (const file of shipped) {
      const text = readFileSync(join(outDir, file)).toString('latin1');
      for (const [url] of text.matchAll(URL_PATTERN)) {
        if (url in ALLOWED_EXACT) continue;
        if (Object.keys(ALLOWED_PREFIX).some((prefix) => url.startsWith(prefix))) continue;
        found.push(`${file}: ${url}`);
      }
    }
    expect(found, 'absolute URLs in dist/ that are not on the allow-list').toEqual([]);
  });

  it('ships index.html with the CSP meta tag equal to vite.config.ts, and the manifest', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(CSP_META);
    expect(html).toContain('<link rel="manifest" href="./manifest.webmanifest"');
  });

  it('precaches every file but source maps and the service worker itself', () => {
    const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
    expect(sw).not.toContain('__UNSEAL_SW_');
    const list = /\[("\.\/"(?:,"[^"]*")*)\]/.exec(sw);
    expect(list, 'precache list in sw.js').not.toBeNull();
    const precached = JSON.parse(`[${list![1]}]`) as string[];
    const expected = ['./', ...files.filter((f) => f !== 'sw.js' && !f.endsWith('.map'))];
    expect(precached.sort()).toEqual(expected.sort());
    expect(precached).toContain('demo/msgstore.db.crypt15');
    expect(precached.some((f) => f.endsWith('.wasm'))).toBe(true);
  });

  it('has a manifest with icons, scope and file handlers for backups', () => {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.webmanifest'), 'utf8'));
    expect(manifest).toMatchObject({ start_url: './', scope: './', display: 'standalone', short_name: 'Unseal' });
    for (const icon of manifest.icons as { src: string }[]) expect(files).toContain(icon.src);
    const purposes = (manifest.icons as { purpose: string }[]).map((i) => i.purpose);
    expect(purposes).toContain('maskable');
    const extensions = (manifest.file_handlers as { accept: Record<string, string[]> }[]).flatMap((h) => Object.values(h.accept).flat());
    expect(extensions.sort()).toEqual(['.crypt12', '.crypt14', '.crypt15', '.db', '.unseal']);
  });
});
