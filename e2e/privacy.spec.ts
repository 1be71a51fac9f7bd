/**
 * The privacy page: Delete everything (with an in-page confirmation) leaves no library in
 * IndexedDB and no data in OPFS, and the app keeps working.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

async function openDemo(page: Page) {
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('list', { name: 'Chats', exact: true }).getByRole('listitem').first()).toBeVisible();
}

/** Every file in this origin's OPFS, with its size (-1 when another context holds it open). */
function opfsFiles(page: Page) {
  return page.evaluate(async () => {
    const files: { path: string; size: number }[] = [];
    async function walk(dir: FileSystemDirectoryHandle, prefix: string) {
      for await (const [name, handle] of (dir as unknown as AsyncIterable<[string, FileSystemHandle]>)) {
        const path = `${prefix}/${name}`;
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, path);
        else {
          let size = -1;
          try {
            size = (await (handle as FileSystemFileHandle).getFile()).size;
          } catch {
            // Held open by the worker's SQLite pool.
          }
          files.push({ path, size });
        }
      }
    }
    await walk(await navigator.storage.getDirectory(), '');
    return files;
  });
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
  // OPFS: nothing but the import pool's empty slots (each only its 4 KiB header, no data).
  for (const file of await opfsFiles(page)) {
    expect(file.path).toMatch(/^\/\.unseal-import\/\.opaque\//);
    expect(file.size).toBeGreaterThanOrEqual(0);
    expect(file.size).toBeLessThanOrEqual(4096);
  }

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
