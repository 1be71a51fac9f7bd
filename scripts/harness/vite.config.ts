/**
 * Dev-only: builds the conversation harness with the app's own config (same plugins, same CSP
 * headers on `vite preview`), so CSS is checked the way it ships: as a file under
 * `style-src 'self'`. The dev server cannot show styles under that header (Vite injects
 * `<style>` tags in dev), hence build + preview.
 *
 *   npx vite build -c scripts/harness/vite.config.ts
 *   npx vite preview -c scripts/harness/vite.config.ts --port 5175 --strictPort
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import app from '../../vite.config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default mergeConfig(
  app,
  defineConfig({
    root,
    build: {
      outDir: '/tmp/unseal-harness-dist',
      emptyOutDir: true,
      sourcemap: false, minify: false,
      rollupOptions: { input: fileURLToPath(new URL('./conversation.html', import.meta.url)) },
    },
  }),
);
