/**
 * The encrypted copy: save the demo library as .unseal, delete the library, open the copy with
 * its passphrase through the same `Backup file` picker, and find the same chats and counts; a
 * wrong passphrase says so and stores nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

const PASSPHRASE = 'orbit lantern cobalt meadow';

test('save an encrypted copy, delete the library, reopen the copy with its passphrase', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  const status = page.getByRole('status').first();
  await expect(status).toContainText('chats');
  const summary = (await status.textContent())!.replace(/^Opened: /, '');
  const titles = await page.getByRole('list', { name: 'Chats' }).getByRole('listitem').allInnerTexts();

  await page.getByRole('button', { name: 'Save encrypted copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save encrypted copy' });
  await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE + 'x');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.unseal$/);
  const path = join(mkdtempSync(join(tmpdir(), 'unseal-archive-')), download.suggestedFilename());
  await download.saveAs(path);

  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Delete library' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' })).toBeHidden();

  // A wrong passphrase: its own message, nothing stored.
  await page.getByLabel('Backup file').setInputFiles(path);
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('passphrase does not open');
  await expect(page.getByRole('list', { name: 'Libraries' })).toBeHidden();

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText(summary);
  expect(await page.getByRole('list', { name: 'Chats' }).getByRole('listitem').allInnerTexts()).toEqual(titles);
  // The search index came along: a search answers at once, without re-indexing.
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('sunscreen');
  await expect(page.getByRole('status').filter({ hasText: /results?$/ })).toHaveText(/^\d+ results?$/);
});
