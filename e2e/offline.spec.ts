/**
 * Offline: after one visit the service worker has the whole app (shell, worker, WASM, the demo
 * backup) in its cache, and opening a backup works with the network off.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

async function waitForServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first version claims the page once it has activated (its precache is complete by then).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('after one visit, the app opens and reads the demo backup offline', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Unseal', level: 1 })).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  const chats = page.getByRole('list', { name: 'Chats', exact: true });
  await expect(chats).toBeVisible();
  await expect(chats.getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  // Search needs the index, built by the indexing worker: it too comes from the cache.
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('marmots');
  await expect(page.getByRole('status').filter({ hasText: /\d results?$/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first()).toBeVisible();
});

test('the service worker answers only for the app’s own files', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    return { names, urls: urls.sort() };
  });
  // One versioned cache, holding the shell, the workers, the WASM and the demo backup.
  expect(cached.names).toHaveLength(1);
  expect(cached.names[0]).toMatch(/^unseal-app-[0-9a-f]{16}$/);
  expect(cached.urls).toContain('/');
  expect(cached.urls).toContain('/index.html');
  expect(cached.urls).toContain('/demo/msgstore.db.crypt15');
  expect(cached.urls).toContain('/manifest.webmanifest');
  expect(cached.urls.some((u) => /^\/assets\/unseal\.worker-.*\.js$/.test(u))).toBe(true);
  // The workers the worker starts: import, inflate, indexing and key derivation (offline, the demo
  // above goes through the first three).
  for (const name of ['import', 'inflate', 'indexing', 'kdf']) {
    expect(cached.urls.some((u) => new RegExp(`^/assets/${name}\\.worker-.*\\.js$`).test(u)), name).toBe(true);
  }
  expect(cached.urls.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(cached.urls.some((u) => u.endsWith('.map') || u === '/sw.js')).toBe(false);
});
