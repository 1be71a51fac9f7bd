/**
 * Opening backups through the UI: keys typed as people have them, key files, the precise
 * failure messages, and Cancel leaving nothing behind.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, opfsPaths, sharedPath, sharedText, test } from './fixtures';
import { decryptWithOracle, sqlRows } from './oracle';

/** The key as WhatsApp shows it: 16 groups of 4, upper case here to prove case does not matter. */
function groupsOfFour(hex: string): string {
  return hex.toUpperCase().match(/.{4}/g)!.join(' ');
}

/** A Java-serialized byte[32], the shape of WhatsApp's encrypted_backup.key. */
function encryptedBackupKeyFile(hex: string): string {
  const prefix = Buffer.from('aced0005757200025b42acf317f8060854e00200007870' + '00000020', 'hex');
  const path = join(mkdtempSync(join(tmpdir(), 'unseal-key-')), 'encrypted_backup.key');
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(hex, 'hex')]));
  return path;
}

async function chooseBackup(page: Page, path: string) {
  await page.getByLabel('Backup file').setInputFiles(path);
}

function demoCounts() {
  const db = decryptWithOracle(DEMO, DEMO_KEY_HEX);
  const [[chats]] = sqlRows(
    db,
    `SELECT count(DISTINCT m.chat_row_id) FROM message m JOIN chat c ON c._id = m.chat_row_id
     JOIN jid j ON j._id = c.jid_row_id WHERE m._id > 1 AND j.raw_string <> 'status@broadcast'`,
  );
  const [[messages]] = sqlRows(
    db,
    `SELECT count(*) FROM message m JOIN chat c ON c._id = m.chat_row_id
     JOIN jid j ON j._id = c.jid_row_id WHERE m._id > 1 AND j.raw_string <> 'status@broadcast'`,
  );
  return { chats: chats as number, messages: messages as number };
}

test('opens the demo backup with the key typed in groups of four', async ({ page }) => {
  const expected = demoCounts();
  await page.goto('/');
  await chooseBackup(page, DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(groupsOfFour(DEMO_KEY_HEX));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText(`${expected.chats} chats`);
  await expect(status).toContainText(`${expected.messages.toLocaleString('en-US')} messages`);
});

test('opens the demo backup with an encrypted_backup.key file', async ({ page }) => {
  const expected = demoCounts();
  await page.goto('/');
  await chooseBackup(page, DEMO);
  await page.getByLabel('Key file').setInputFiles(encryptedBackupKeyFile(DEMO_KEY_HEX));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${expected.chats} chats`);
});

test('the key is checked as it is typed', async ({ page }) => {
  await page.goto('/');
  await chooseBackup(page, DEMO);
  const key = page.getByRole('textbox', { name: '64-digit key' });
  await key.fill('1234 5678 9abc O000');
  await expect(page.getByText(/“O”.*not a hex digit/)).toBeVisible();
  await key.fill(groupsOfFour(DEMO_KEY_HEX) + ' 12');
  await expect(page.getByText(/66 digits/)).toBeVisible();
  await key.fill(groupsOfFour(DEMO_KEY_HEX).slice(0, 20));
  await expect(page.getByText(/16 of 64 digits/)).toBeVisible();
});

test('fixtures made by independent tools decrypt: crypt15 with the hex key, crypt14 and crypt12 with the key file', async ({ page }) => {
  // The fixtures' plaintext is a small non-WhatsApp database: decryption succeeds, then the
  // reader says it holds no chats. A wrong key would say so instead.
  await page.goto('/');
  for (const [backup, key] of [
    ['fixtures/backups/msgstore.db.crypt15', { text: sharedText('fixtures/backups/crypt15-key.txt') }],
    ['fixtures/backups/msgstore.db.crypt14', { file: sharedPath('fixtures/backups/key') }],
    ['fixtures/backups/msgstore.db.crypt12', { file: sharedPath('fixtures/backups/key') }],
  ] as const) {
    await page.reload();
    await chooseBackup(page, sharedPath(backup));
    if ('text' in key) await page.getByRole('textbox', { name: '64-digit key' }).fill(groupsOfFour(key.text.trim()));
    else await page.getByLabel('Key file').setInputFiles(key.file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('holds no chats');
  }
});

test('a wrong key, a damaged file and a truncated file each get their own message', async ({ page }) => {
  await page.goto('/');
  const cases = [
    ['fixtures/backups/msgstore.db.crypt15', 'fixtures/backups/negative/wrong-crypt15-key.txt', 'does not open this backup'],
    ['fixtures/backups/negative/msgstore-bitflip.db.crypt15', 'fixtures/backups/crypt15-key.txt', 'damaged'],
    ['fixtures/backups/negative/msgstore-truncated.db.crypt15', 'fixtures/backups/crypt15-key.txt', 'incomplete'],
  ] as const;
  for (const [backup, keyFile, words] of cases) {
    await page.reload();
    await chooseBackup(page, sharedPath(backup));
    await page.getByRole('textbox', { name: '64-digit key' }).fill(sharedText(keyFile).trim());
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText(words);
  }
  await page.reload();
  await chooseBackup(page, sharedPath('fixtures/backups/msgstore.db.crypt14'));
  await page.getByLabel('Key file').setInputFiles(sharedPath('fixtures/backups/negative/wrong-key'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('another WhatsApp installation');
});

test('a photo renamed to .crypt15 is not a WhatsApp backup', async ({ page }) => {
  const jpeg = join(mkdtempSync(join(tmpdir(), 'unseal-jpeg-')), 'msgstore.db.crypt15');
  writeFileSync(jpeg, Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(2000, 7)]));
  await page.goto('/');
  await chooseBackup(page, jpeg);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(groupsOfFour(DEMO_KEY_HEX));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('not a WhatsApp backup');
});

test('Cancel mid-way stops the import and leaves no storage behind', async ({ page }) => {
  test.setTimeout(120_000);
  const { writeLargeCrypt15 } = await import('./large-backup');
  const big = await writeLargeCrypt15(DEMO_KEY_HEX, 160 * 1024 * 1024);
  // The import runs in a worker of its own (started by the app's worker), and its inflate in
  // another; Cancel ends both.
  const closedWorkers = new Set<string>();
  const started: string[] = [];
  page.on('worker', (worker) => {
    const kind = /\/(import|inflate)\.worker-[^/]*\.js$/.exec(worker.url())?.[1];
    if (!kind) return;
    started.push(kind);
    worker.on('close', () => closedWorkers.add(kind));
  });
  await page.goto('/');
  await chooseBackup(page, big);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Import progress' });
  await expect(progress).toBeVisible();
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow') ?? 0)).toBeGreaterThan(0);
  expect(started.sort()).toEqual(['import', 'inflate']);
  const clickedAt = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toContainText('Cancelled');
  expect(Date.now() - clickedAt).toBeLessThan(5_000);
  await expect(progress).toBeHidden();
  await expect.poll(() => [...closedWorkers].sort()).toEqual(['import', 'inflate']);

  const leftovers = await page.evaluate(async () => {
    const libraries = await new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('unseal');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('libraries')) return resolve(0);
        const count = db.transaction(['pages']).objectStore('pages').count();
        count.onsuccess = () => resolve(count.result);
      };
    });
    return libraries;
  });
  expect(leftovers).toBe(0);
  // The import worker's SQLite pool directory went with it.
  expect(await opfsPaths(page)).toEqual([]);
});

test('the import runs in a worker that ends with it; a pool directory left by a killed import is removed at start-up', async ({ page }) => {
  const importWorkers: Worker[] = [];
  page.on('worker', (worker) => {
    if (/\/import\.worker-[^/]*\.js$/.test(worker.url())) importWorkers.push(worker);
  });
  await page.goto('/');
  await chooseBackup(page, DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  expect(importWorkers).toHaveLength(1);
  await expect.poll(async () => importWorkers[0]!.evaluate(() => 1).catch(() => 'closed')).toBe('closed');
  expect(await opfsPaths(page)).toEqual([]);

  // What a tab closed mid-import leaves: the pool directory of its import worker (and the fixed
  // directory of versions before import workers).
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    for (const name of ['.unseal-import-killed', '.unseal-import']) {
      const dir = await root.getDirectoryHandle(name, { create: true });
      const file = await dir.getFileHandle('slot', { create: true });
      const writable = await file.createWritable();
      await writable.write(new Uint8Array(8192));
      await writable.close();
    }
  });
  expect(await opfsPaths(page)).toEqual(['.unseal-import-killed/slot', '.unseal-import/slot']);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Libraries', exact: true })).toBeVisible();
  await expect.poll(() => opfsPaths(page)).toEqual([]);
});
