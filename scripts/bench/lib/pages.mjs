// Builds the bench-only pages (scripts/bench/pages) with Vite's JS API into bench-out/pages and
// serves them from a tiny static server on 127.0.0.1 (module workers need http, not file:).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { PAGES_OUT, ROOT } from './paths.mjs';

export async function buildPages() {
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: false,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      outDir: PAGES_OUT,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      rollupOptions: { input: { decrypt: resolve(ROOT, 'scripts/bench/pages/decrypt.html') } },
    },
  });
  return { decrypt: 'scripts/bench/pages/decrypt.html' };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves `dir`; resolves `{ url, close }`. */
export function serveStatic(dir = PAGES_OUT) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolvePromise({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
