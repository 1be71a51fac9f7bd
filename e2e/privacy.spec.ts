/**
 * The privacy page: Delete everything (with an in-page confirmation) leaves no library in
 * IndexedDB and no data in OPFS, and the app keeps working.
 */
import type { Page } from '@playwright/test';
import { APP_ORIGIN, expect, opfsFiles, test } from './fixtures';
import { CSP, CSP_META } from '../vite.config';

async function openDemo(page: Page) {
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('list', { name: 'Chats', exact: true }).getByRole('listitem').first()).toBeVisible();
}

test('Delete everything removes every library and all stored data; the app still works', async ({ page }) => {
  await page.goto('/');
  await openDemo(page);
  await page.getByRole('button', { name: 'Privacy' }).click();
  await expect(page.getByRole('heading', { name: 'Privacy', level: 1 })).toBeVisible();

  // The confirmation is in the page (the fixture fails on dialogs); Keep changes nothing.
  await page.getByRole('button', { name: 'Delete everything' }).click();
  await page.getByRole('group', { name: 'Delete everything?' }).getByRole('button', { name: 'Keep' }).click();
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('unseal');

  await page.getByRole('button', { name: 'Delete everything' }).click();
  await page.getByRole('button', { name: 'Yes, delete everything' }).click();
  await expect(page.getByRole('status')).toHaveText('Everything was deleted.');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // IndexedDB: the whole database is gone.
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('unseal');
  // OPFS: nothing at all (the import pool's slot files are gone too).
  expect(await opfsFiles(page)).toEqual([]);
  expect(await page.evaluate(async () => {
    const names: string[] = [];
    for await (const [name] of (await navigator.storage.getDirectory()) as unknown as AsyncIterable<[string, FileSystemHandle]>) names.push(name);
    return names;
  })).toEqual([]);

  // Back home: no libraries; the demo opens again.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('button', { name: 'Open the demo backup' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Libraries' })).toHaveCount(0);
  await openDemo(page);
  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' }).getByRole('listitem')).toHaveCount(1);
});

test('the privacy page is reachable from the open screen and shows the space used', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Privacy and storage' }).click();
  await expect(page.getByRole('heading', { name: 'What is stored, and where' })).toBeVisible();
  await expect(page.getByText(/of the .* this browser allows it/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What Unseal cannot protect against' })).toBeVisible();
});

test('the page runs under the shipped policy, which blocks injected scripts, remote images and connections', async ({ page, context, offOrigin }) => {
  // Anything that reached the network layer would be routed here (this route wins over the
  // fixture's). Chromium still reports a request that the policy stopped in the page, as a
  // failed request: those are taken off the fixture's list below, once proven blocked.
  const routed: string[] = [];
  await context.route('https://example.com/**', (route) => {
    routed.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const failures: string[] = [];
  context.on('requestfailed', (request) => {
    if (!request.url().startsWith('https://example.com/')) return;
    failures.push(`${request.url()} ${request.failure()?.errorText}`);
  });

  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CSP_META);

  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.disposition} ${e.originalPolicy}`),
    );
    const img = document.createElement('img');
    const imgSettled = new Promise<string>((resolve) => {
      img.onload = () => resolve('loaded');
      img.onerror = () => resolve('blocked');
    });
    img.src = 'https://example.com/x.png';
    document.body.append(img);
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.append(script);
    const remote = document.createElement('script');
    const remoteSettled = new Promise<string>((resolve) => {
      remote.onload = () => resolve('loaded');
      remote.onerror = () => resolve('blocked');
    });
    remote.src = 'https://example.com/x.js';
    document.body.append(remote);
    const fetched = await fetch('https://example.com/data').then(
      () => 'fetched',
      () => 'blocked',
    );
    return {
      img: await imgSettled,
      remoteScript: await remoteSettled,
      fetched,
      injected: (window as unknown as { injected?: boolean }).injected === true,
    };
  });
  expect(outcome).toEqual({ img: 'blocked', remoteScript: 'blocked', fetched: 'blocked', injected: false });
  // Each attempt was stopped, and reported once by each copy of the policy (header and meta tag).
  const attempts = [
    'connect-src https://example.com/data',
    'img-src https://example.com/x.png',
    'script-src-elem inline',
    'script-src-elem https://example.com/x.js',
  ];
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { violations: string[] }).violations.sort()))
    .toEqual(attempts.flatMap((a) => [`${a} enforce ${CSP}`, `${a} enforce ${CSP_META}`]).sort());
  expect(routed, 'requests that reached the network layer').toEqual([]);
  for (const failure of failures) expect(failure).toMatch(/ (csp|net::ERR_BLOCKED_BY_CSP)$/);
  // Blocked in the page, so they never left: not off-origin requests for the fixture.
  const blocked = new Set(failures.map((f) => f.split(' ')[0]));
  for (let i = offOrigin.length - 1; i >= 0; i--) if (blocked.has(offOrigin[i])) offOrigin.splice(i, 1);
});

test.describe('a full disk', () => {
  // No service worker here: its precache would use up the tiny quota before the import.
  test.use({ serviceWorkers: 'block' });

  // The demo's decrypted database is about 750 KB: with 300 KB the disk fills while it is
  // written to OPFS; with 900 KB, while the chats are stored in IndexedDB.
  for (const [quotaKb, when] of [
    [300, 'while writing the decrypted database'],
    [900, 'while storing the chats'],
  ] as const)
  test(`an import that runs out of space ${when} says how much is needed and leaves nothing behind`, async ({ page, context }) => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: APP_ORIGIN, quotaSize: quotaKb * 1024 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Open the demo backup' }).click();
    await expect(page.getByRole('alert')).toContainText('ran out of storage space');
    await expect(page.getByRole('alert')).toContainText(/About [\d.,]+ (KB|MB) are needed/);
    await expect(page.getByRole('button', { name: 'Open the demo backup' })).toBeEnabled();

    // Nothing half-stored: no library, no chats, no pages, no search index; no import file left.
    const stored = await page.evaluate(async () => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'unseal')) return {};
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('unseal');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const counts: Record<string, number> = {};
      for (const name of Array.from(db.objectStoreNames)) {
        counts[name] = await new Promise<number>((resolve, reject) => {
          const request = db.transaction(name).objectStore(name).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      db.close();
      return counts;
    });
    for (const [store, count] of Object.entries(stored)) expect(count, `records in ${store}`).toBe(0);
    for (const file of await opfsFiles(page)) expect(file.size, file.path).toBeLessThanOrEqual(4096);
    await expect(page.getByRole('list', { name: 'Libraries' })).toHaveCount(0);
  });
});
