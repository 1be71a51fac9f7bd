/**
 * The encrypted copy with media: the demo backup linked to the generated WhatsApp folder
 * (scripts/make-demo-media.ts), saved with `Include media files`, the library deleted (so its
 * media copies are gone), the copy opened with its passphrase: the same media report, and a
 * photo shown inline from the restored file. A wrong passphrase leaves no media copies behind.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, opfsPaths, scrollUntil, test } from './fixtures';
import { makeDemoMedia, type DemoMediaManifest } from '../scripts/make-demo-media';

const PASSPHRASE = 'harbour violet tundra pretzel';

let folder: DemoMediaManifest;

test.beforeAll(async () => {
  folder = await makeDemoMedia(mkdtempSync(join(tmpdir(), 'unseal-archive-media-')));
});

async function reportText(page: Page): Promise<string> {
  await page.getByText(/^Media: \d+ of \d+ found/).click();
  const report = page.getByRole('group', { name: 'Media report' });
  await expect(report).toContainText('media files found');
  const text = (await report.innerText()).trim();
  await page.getByText(/^Media: \d+ of \d+ found/).click(); // closed again
  return text;
}

async function expectInlinePhoto(page: Page): Promise<void> {
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /^\+12025550123|^Maya Rivera/ }).click();
  const log = page.getByRole('log').first();
  await expect(log.getByRole('article').first()).toBeVisible();
  const photo = log.locator('img[src^="blob:"][alt^="Photo: New wall"]');
  await scrollUntil(log, photo);
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
}

test('save an encrypted copy with media, delete the library, reopen it: same report, photo from the restored file', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('WhatsApp folder').setInputFiles(folder.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('chats');
  const summary = (await page.getByRole('status').first().textContent())!.replace(/^Opened: /, '');
  const report = await reportText(page);
  const linked = await opfsPaths(page, 'media');
  expect(linked.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Save encrypted copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save encrypted copy' });
  const include = dialog.getByRole('checkbox', { name: 'Include media files' });
  await expect(include).not.toBeChecked();
  // How many files and how large, as the media report counts them.
  await expect(dialog).toContainText(`${linked.length} linked files`);
  await include.check();
  await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const download = await downloading;
  const path = join(mkdtempSync(join(tmpdir(), 'unseal-archive-media-')), download.suggestedFilename());
  await download.saveAs(path);
  // A copy with media is format v2.
  expect(readFileSync(path).subarray(0, 18).toString('latin1')).toBe('unseal-archive/v2\n');

  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Delete library' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' })).toBeHidden();
  expect(await opfsPaths(page, 'media')).toEqual([]);

  // A wrong passphrase: nothing stored, no media copies.
  await page.getByLabel('Backup file').setInputFiles(path);
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('passphrase does not open');
  expect(await opfsPaths(page, 'media')).toEqual([]);

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText(summary);
  expect(await reportText(page)).toBe(report);
  // One restored copy per linked file, in the new library's own restore run.
  const restored = await opfsPaths(page, 'media');
  expect(restored).toHaveLength(linked.length);
  expect(restored.every((p) => /^[0-9a-f-]{36}\/restore-[a-z0-9]+\/\d+-/.test(p))).toBe(true);
  await expectInlinePhoto(page);
});
