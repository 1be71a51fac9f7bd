import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The Content-Security-Policy the app ships with, sent as a header by the preview server (and to
 * be sent by any server that hosts the app).
 */
export const CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The same policy in index.html's meta tag (checked by tests), so it holds wherever the files are
 * served from. Without `frame-ancestors`: a meta policy cannot carry it (CSP3 §6.1; Chromium logs
 * an error and ignores it), so framing is refused by the header alone.
 */
export const CSP_META = CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

const securityHeaders = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * In dev, Vite injects CSS as <style> tags, which the shipped policy (style-src 'self') forbids:
 * the dev server drops the meta policy. Builds and `vite preview` keep it (and send the header).
 */
const devWithoutCspMeta: Plugin = {
  name: 'unseal-dev-without-csp-meta',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

/** Files in dist/ the service worker does not precache: itself, and source maps (never fetched by the app). */
const NOT_PRECACHED = (path: string) => path === 'sw.js' || path.endsWith('.map');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Builds src/sw/sw.ts as dist/sw.js (a classic script: it imports nothing) and, once every file
 * is written, fills in its precache list (every file in dist/ but maps and itself, plus `./` for
 * the start URL) and its version (a hash of those files' paths and bytes).
 */
function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'unseal-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: resolve(import.meta.dirname, 'src/sw/sw.ts'), fileName: 'sw.js' });
    },
    writeBundle() {
      const files = filesUnder(outDir).filter((path) => !NOT_PRECACHED(path));
      const hash = createHash('sha256');
      for (const path of files) hash.update(path).update('\0').update(readFileSync(join(outDir, path))).update('\0');
      const version = hash.digest('hex').slice(0, 16);
      const swPath = join(outDir, 'sw.js');
      const source = readFileSync(swPath, 'utf8');
      const filled = source
        .replace(/\[\s*(["'`])__UNSEAL_SW_PRECACHE__\1\s*\]/, JSON.stringify(['./', ...files]))
        .replaceAll('__UNSEAL_SW_VERSION__', version)
        .replace(/\n?\/\/# sourceMappingURL=.*$/m, '');
      if (filled.includes('__UNSEAL_SW_')) throw new Error('unseal-service-worker: a placeholder in sw.js was not filled');
      writeFileSync(swPath, filled);
      rmSync(`${swPath}.map`, { force: true });
    },
  };
}

export default defineConfig({
  plugins: [preact(), devWithoutCspMeta, serviceWorker()],
  base: './',
  worker: { format: 'es' },
  define: { __APP_VERSION__: JSON.stringify(JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')).version) },
  // sqlite-wasm resolves sqlite3.wasm next to its module; it must not be pre-bundled.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: securityHeaders },
});
