import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

/**
 * The Content-Security-Policy the app ships with. The same string is in index.html's meta tag
 * (checked by a test) and sent as a header by the preview server.
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

export default defineConfig({
  plugins: [preact(), devWithoutCspMeta],
  base: './',
  worker: { format: 'es' },
  // sqlite-wasm resolves sqlite3.wasm next to its module; it must not be pre-bundled.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: securityHeaders },
});
