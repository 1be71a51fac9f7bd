/**
 * Exports: each demo chat exported to one .html that opens from file:// with the network blocked,
 * shows its newest message, holds every message's text, and runs no hostile string; the zip's
 * index lists every chat with the right count and every link resolves; a protected export opens
 * with its password and refuses a wrong one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, openDemo, test } from './fixtures';
import { decryptWithOracle, sqlRows } from './oracle';

/** Opens a local file in a fresh context with every request blocked and recorded. */
async function openOffline(browser: Browser, path: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const requests: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(path).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  context.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path).href);
  return { context, page, requests, dialogs };
}

/** Texts of a chat's text messages, from the demo database itself. */
function chatTexts(title: string): string[] {
  const db = decryptWithOracle(DEMO, DEMO_KEY_HEX);
  return (
    sqlRows(
      db,
      `SELECT m.text_data FROM message m JOIN chat c ON c._id = m.chat_row_id
       WHERE c.subject = '${title.replace(/'/g, "''")}' AND m.message_type = 0 AND m.text_data IS NOT NULL AND m._id > 1`,
    ) as [string][]
  ).map(([t]) => t);
}

test('Export chat gives one offline .html with every message, the newest visible, hostile text inert', async ({ page, browser }) => {
  await openDemo(page);
  const dir = mkdtempSync(join(tmpdir(), 'unseal-export-'));
  for (const title of ['Weekend Hikers', 'QA <img src=x onerror=alert(1)>']) {
    await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: title }).first().click();
    await expect(page.getByRole('log', { name: new RegExp(title.slice(0, 10)) })).toBeVisible();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export chat', exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);

    const fullTitle = (sqlRows(decryptWithOracle(DEMO, DEMO_KEY_HEX), `SELECT subject FROM chat WHERE subject LIKE '${title.slice(0, 10)}%'`) as [string][])[0][0];
    // Every text is in the file as escaped text, readable with scripts disabled: compare against
    // the document's text content, which the browser decodes from exactly those escapes.
    const offlineText = await (async () => {
      const { context, page: p } = await openOffline(browser, path, false);
      const text = await p.evaluate(() => document.body.textContent ?? '');
      // The file opens at its newest message without any script (the layout does it).
      const newestId = await p.evaluate(() => `m${Math.max(...[...document.querySelectorAll('.m')].map((e) => Number(e.id.slice(1))))}`);
      await expect(p.locator(`#${newestId}`)).toBeInViewport();
      await context.close();
      return text;
    })();
    for (const text of chatTexts(fullTitle)) {
      for (const line of text.split(/[\n\u2028\u2029]/)) {
        expect(offlineText.includes(line), `message text in the export: ${line.slice(0, 60)}`).toBe(true);
      }
    }

    const offline = await openOffline(browser, path);
    // Messages are id="m{pos}"; the newest one is on screen when the file opens.
    const newest = await offline.page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('[id]')].map((e) => /^m(\d+)$/.exec(e.id)?.[1]).filter(Boolean).map(Number)),
    );
    await expect(offline.page.locator(`#m${newest}`)).toBeInViewport();
    if (title === 'Weekend Hikers') {
      // Find in chat starts at the newest match and "Older" steps back in time.
      const word = mostCommonWord(chatTexts(fullTitle));
      const find = offline.page.getByRole('searchbox', { name: 'Find in chat' });
      await find.fill(word);
      await find.press('Enter');
      const status = offline.page.locator('#qs');
      await expect(status).toHaveText(/^(\d+) of \1$/);
      const total = Number((await status.textContent())!.split(' of ')[1]);
      expect(total).toBeGreaterThan(1);
      const hitPos = async () => Number((await offline.page.locator('.m.hit').getAttribute('id'))!.slice(1));
      const newestHit = await hitPos();
      await offline.page.getByRole('button', { name: 'Older' }).click();
      await expect(status).toHaveText(`${total - 1} of ${total}`);
      expect(await hitPos()).toBeLessThan(newestHit);
      await expect(offline.page.locator('.m.hit')).toBeInViewport();
    }
    if (title.startsWith('QA')) {
      await expect(offline.page.getByText('<script>alert(1)</script>', { exact: true }).first()).toBeAttached();
      expect(await offline.page.locator('img[src="x"], svg[onload]').count()).toBe(0);
    }
    expect(offline.requests).toEqual([]);
    expect(offline.dialogs).toEqual([]);
    await offline.context.close();
  }
});

test('Export chats gives a zip whose index lists every chat with its count and links that resolve', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Export chats' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export chats' });
  await expect(dialog).toBeVisible();
  // No WhatsApp folder linked: there are no media files to include.
  await expect(dialog.getByRole('checkbox', { name: 'Include media files' })).toBeDisabled();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: /^Export \d+ chats$/ }).click();
  const download = await downloading;
  const dir = mkdtempSync(join(tmpdir(), 'unseal-zip-'));
  const zipPath = join(dir, 'export.zip');
  await download.saveAs(zipPath);
  execFileSync('python3', ['-m', 'zipfile', '-t', zipPath]);
  execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, join(dir, 'x')]);
  const index = readFileSync(join(dir, 'x', 'index.html'), 'utf8');
  const links = [...index.matchAll(/href="([^"#]+)"/g)].map((m) => decodeURIComponent(m[1].replace(/&amp;/g, '&')));
  const chatCount = Number((await page.getByRole('status').first().textContent())!.match(/(\d+) chats/)![1]);
  expect(new Set(links.filter((l) => l.endsWith('.html'))).size).toBe(chatCount);
  for (const link of links) expect(() => readFileSync(join(dir, 'x', link))).not.toThrow();
  const total = (await page.getByRole('status').first().textContent())!.match(/([\d,]+) messages/)![1].replace(/,/g, '');
  const counts = [...index.matchAll(/([\d,]+) messages?/g)].map((m) => Number(m[1].replace(/,/g, '')));
  expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(Number(total));
});

test('a password-protected export opens with its password and refuses a wrong one', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await openDemo(page);
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /Weekend Hikers/ }).click();
  await page.getByRole('button', { name: 'Export options' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Password (optional)').fill('correct horse battery staple');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  const path = join(mkdtempSync(join(tmpdir(), 'unseal-protected-')), download.suggestedFilename());
  await download.saveAs(path);
  const html = readFileSync(path, 'utf8');
  expect(html).not.toContain('Sunscreen, people');

  const offline = await openOffline(browser, path);
  const password = offline.page.getByLabel(/password/i).first();
  await password.fill('wrong password');
  await password.press('Enter');
  await expect(offline.page.getByRole('status')).toContainText(/wrong password/i);
  await password.fill('correct horse battery staple');
  await password.press('Enter');
  await expect(offline.page.getByText('Sunscreen, people. Sunscreen.').first()).toBeAttached({ timeout: 30_000 });
  expect(offline.requests).toEqual([]);
  await offline.context.close();
});

/** A word of four letters or more that most of the texts contain (for find-in-chat). */
function mostCommonWord(texts: string[]): string {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of new Set(t.toLowerCase().match(/\p{L}{4,}/gu) ?? [])) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}
