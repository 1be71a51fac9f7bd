/**
 * Lock this library: only the encrypted copy stays in the browser (no readable chat, page or
 * index record; the OPFS copy is ciphertext), it survives a reload, a wrong passphrase is refused,
 * and the right one brings back the same chats and counts. With a linked WhatsApp folder, the
 * media files go into the locked copy and come back with it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, opfsPaths, test } from './fixtures';
import { makeDemoMedia } from '../scripts/make-demo-media';

const PASSPHRASE = 'harbour violet quartz ember';

/** Record counts of the app's IndexedDB stores. */
function storeCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('unseal');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          const counts: Record<string, number> = {};
          for (const name of names) {
            const req = tx.objectStore(name).count();
            req.onsuccess = () => (counts[name] = req.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(counts);
          };
        };
      }),
  );
}

/** The locked copies in OPFS: name and whether the bytes hold `needle` as UTF-8. */
function lockedCopies(page: Page, needle: string): Promise<{ name: string; size: number; hasNeedle: boolean; head: string }[]> {
  return page.evaluate(async (needle) => {
    const out: { name: string; size: number; hasNeedle: boolean; head: string }[] = [];
    let dir: FileSystemDirectoryHandle;
    try {
      dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('locked');
    } catch {
      return out;
    }
    for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemFileHandle]>) {
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      const text = new TextDecoder('latin1').decode(bytes);
      const utf8 = new TextDecoder('latin1').decode(new TextEncoder().encode(needle));
      out.push({ name, size: bytes.length, hasNeedle: text.includes(utf8), head: text.slice(0, 32) });
    }
    return out;
  }, needle);
}

test('lock a library: only ciphertext stays; a wrong passphrase is refused; unlocking restores it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  const status = page.getByRole('status').first();
  await expect(status).toContainText('chats');
  const summary = (await status.textContent())!.replace(/^Opened: /, '');
  const titles = await page.getByRole('list', { name: 'Chats' }).getByRole('listitem').allInnerTexts();
  const before = await storeCounts(page);
  expect(before.pages).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Lock this library' }).click();
  const dialog = page.getByRole('dialog', { name: 'Lock this library' });
  await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE + '!');
  await expect(dialog.getByRole('button', { name: 'Lock', exact: true })).toBeDisabled();
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Lock', exact: true }).click();

  // Back on the libraries: the library is listed as locked, and nothing readable is stored.
  const item = page.getByRole('list', { name: 'Libraries' }).getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Locked');
  const after = await storeCounts(page);
  expect(after).toMatchObject({ libraries: 1, chats: 0, pages: 0, searchMeta: 0, searchBuckets: 0, media: 0 });
  const copies = await lockedCopies(page, 'Weekend Hikers');
  expect(copies).toHaveLength(1);
  expect(copies[0].size).toBeGreaterThan(1000);
  expect(copies[0].head).toMatch(/^unseal-archive\/v\d+\n/);
  expect(copies[0].hasNeedle).toBe(false);

  // A reload keeps it locked.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Libraries' }).getByRole('listitem')).toContainText('Locked');

  // A wrong passphrase: its message; still locked.
  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /demo/i }).first().click();
  const unlock = page.getByRole('dialog', { name: /^Unlock / });
  await unlock.getByLabel('Passphrase').fill('not it');
  await unlock.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(unlock.getByRole('alert')).toContainText('passphrase does not open');
  expect((await storeCounts(page)).pages).toBe(0);

  await unlock.getByLabel('Passphrase').fill(PASSPHRASE);
  await unlock.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('status').first()).toHaveText(summary);
  expect(await page.getByRole('list', { name: 'Chats' }).getByRole('listitem').allInnerTexts()).toEqual(titles);
  expect(await storeCounts(page)).toMatchObject({ libraries: 1, chats: before.chats, pages: before.pages });
  expect(await lockedCopies(page, '')).toEqual([]);
  // The index came back with it: search answers.
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('sunscreen');
  await expect(page.getByRole('status').filter({ hasText: /results?$/ })).toHaveText(/^\d+ results?$/);
  // Phrases verify against each page's stored texts, restored with the library.
  expect((await storeCounts(page)).searchTexts).toBe(before.pages);
});

test('a locked library keeps its media in the encrypted copy and gets it back when unlocked', async ({ page }) => {
  test.setTimeout(120_000);
  const folder = await makeDemoMedia(mkdtempSync(join(tmpdir(), 'unseal-lock-media-')));
  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(resolve('public/demo/msgstore.db.crypt15'));
  await page.getByRole('textbox', { name: '64-digit key' }).fill(readFileSync(resolve('public/demo/demo-key.txt'), 'utf8').replace(/\s/g, ''));
  await page.getByLabel('WhatsApp folder').setInputFiles(folder.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('chats');
  const linked = await opfsPaths(page, 'media');
  expect(linked.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Lock this library' }).click();
  const dialog = page.getByRole('dialog', { name: 'Lock this library' });
  await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Libraries' }).getByRole('listitem')).toContainText('Locked');
  expect(await opfsPaths(page, 'media')).toEqual([]);
  expect(await storeCounts(page)).toMatchObject({ media: 0, pages: 0 });

  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /msgstore\.db\.crypt15/ }).first().click();
  const unlock = page.getByRole('dialog', { name: /^Unlock / });
  await unlock.getByLabel('Passphrase').fill(PASSPHRASE);
  await unlock.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('chats');
  expect(await opfsPaths(page, 'media')).toHaveLength(linked.length);
  expect((await storeCounts(page)).media).toBeGreaterThan(0);
});
