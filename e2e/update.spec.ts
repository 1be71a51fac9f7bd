/**
 * Updates: a new version of the service worker installs in the background and waits; the page
 * offers it ("A new version is ready." + Reload) and only the user's click swaps it in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

/** The built service worker that `vite preview` serves (the tests run against dist/). */
const SW_FILE = fileURLToPath(new URL('../dist/sw.js', import.meta.url));

test('a new version waits until the user presses Reload', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await expect(page.getByText('A new version is ready.')).toHaveCount(0);

  // The next deploy: the same app with a different service worker script. (A Playwright route
  // does not see the browser's own service worker update check, so the served file changes.)
  const original = readFileSync(SW_FILE, 'utf8');
  writeFileSync(SW_FILE, `${original}\n// the next version\n`);
  try {
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
  } finally {
    writeFileSync(SW_FILE, original);
  }

  const banner = page.getByRole('status').filter({ hasText: 'A new version is ready.' });
  await expect(banner).toBeVisible();
  // Waiting, not active: the page is still controlled by the version it loaded with.
  expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

  await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
  await banner.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(() => !(window as unknown as { beforeUpdate?: boolean }).beforeUpdate);
  await expect(page.getByRole('heading', { name: 'Unseal', level: 1 })).toBeVisible();
  await expect(page.getByText('A new version is ready.')).toHaveCount(0);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
});

test('a newer version in another tab is not held up, and this tab says to reload', async ({ page, context }) => {
  await page.goto('/');
  // This tab's worker has the database open once the libraries are listed.
  await expect(page.getByRole('button', { name: 'Open the demo backup' })).toBeVisible();
  await page.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name === 'unseal'));

  // Another tab runs a newer Unseal that upgrades the database.
  const other = await context.newPage();
  await other.goto('/');
  const upgraded = await other.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const request = indexedDB.open('unseal', 1000);
        request.onblocked = () => resolve('blocked');
        request.onsuccess = () => {
          request.result.close();
          resolve(`upgraded to ${request.result.version}`);
        };
        request.onerror = () => resolve(`error ${request.error?.name}`);
      }),
  );
  expect(upgraded).toBe('upgraded to 1000');

  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('alert')).toContainText('Unseal was updated in another tab. Reload this page to go on.');
});
