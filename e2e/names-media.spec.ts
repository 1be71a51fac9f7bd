/**
 * Names and media, end to end: the demo backup opened with a .vcf (`Contacts file`) and a
 * generated WhatsApp folder (`WhatsApp folder`, scripts/make-demo-media.ts): names in the chat
 * list, as group senders and in chat info; photos inline from the linked file; the voice note
 * playable; the media report's counts; `Export chats` with `Include media files`, opened from
 * file:// with the network blocked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, filesBelow, scrollUntil, test } from './fixtures';
import { makeDemoMedia, type DemoMediaManifest } from '../scripts/make-demo-media';
import { encryptCrypt15 } from '../scripts/lib/crypt15';
import { exportDb, loadSqlite } from '../scripts/lib/msgstore-gen';

/** Three of the demo's people; Jonas in national format (UK, no country code). */
const VCF = [
  'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Rivera\r\nTEL;TYPE=CELL:+1 202-555-0123\r\nEND:VCARD',
  'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Okoye;Sam;;;\r\nTEL;CELL:+1 (202) 555-0147\r\nEND:VCARD',
  'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jonas Weber\r\nTEL;TYPE=CELL:07700 900512\r\nEND:VCARD',
  '',
].join('\r\n');

let folder: DemoMediaManifest;
let vcfPath: string;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unseal-media-'));
  folder = await makeDemoMedia(dir);
  vcfPath = join(dir, 'contacts.vcf');
  writeFileSync(vcfPath, VCF);
});

async function openWithExtras(page: Page) {
  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('Contacts file').setInputFiles(vcfPath);
  await page.getByLabel('WhatsApp folder').setInputFiles(folder.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');
}

test('names from a .vcf appear in the chat list, as group senders and in chat info', async ({ page }) => {
  await openWithExtras(page);
  const chats = page.getByRole('list', { name: 'Chats' });
  await expect(chats.getByRole('listitem').filter({ hasText: /^Maya Rivera/ })).toHaveCount(1);
  await expect(chats.getByRole('listitem').filter({ hasText: /^\+12025550123/ })).toHaveCount(0);

  await chats.getByRole('button', { name: /Weekend Hikers/ }).click();
  const log = page.getByRole('log', { name: /Weekend Hikers/ });
  await expect(log.getByRole('article').first()).toBeVisible();
  // Named senders, and no sender shown by a number that has a name.
  await expect(log.locator('.msg-sender').filter({ hasText: /^(Maya Rivera|Sam Okoye|Jonas Weber)$/ }).first()).toBeVisible();
  await expect(log.locator('.msg-sender').filter({ hasText: /^\+(12025550123|12025550147|447700900512)$/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Chat info' }).click();
  const info = page.getByRole('region', { name: 'Chat info' });
  const people = info.getByRole('list', { name: 'Participants' });
  await expect(people).toContainText('Sam Okoye');
  await expect(people).toContainText('+12025550147');
  await expect(people).toContainText('Maya Rivera');
  await expect(info).toContainText('120363025981746133@g.us');
  await expect(people.getByRole('listitem').filter({ hasText: 'Sam Okoye' })).toContainText('admin');
});

test('the WhatsApp folder: inline photo, playable voice note, the report', async ({ page }) => {
  await openWithExtras(page);
  const inChats = folder.rows.filter((r) => r.chatJid !== 'status@broadcast');
  const found = inChats.filter((r) => r.written === 'path' || r.written === 'moved');
  const missing = inChats.length - found.length;
  const photos = inChats.filter((r) => r.bucket === 'image');
  const photosFound = photos.filter((r) => r.written !== 'missing').length;

  await page.getByText(/^Media: /).click();
  const report = page.getByRole('group', { name: 'Media report' });
  await expect(report).toContainText(`${found.length} of ${inChats.length} media files found`);
  await expect(report).toContainText(`${missing} missing`);
  await expect(report.locator('li[data-kind="image"]')).toHaveText(`photos: ${photosFound} found, ${photos.length - photosFound} missing`);
  await expect(report).toContainText('Google Drive');
  await page.getByText(/^Media: /).click(); // closed again

  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /^Maya Rivera/ }).click();
  const log = page.getByRole('log', { name: 'Maya Rivera' });
  await expect(log.getByRole('article').first()).toBeVisible();

  const voice = log.locator('audio');
  await scrollUntil(log, voice);
  await expect(voice.first()).toBeAttached();
  expect(await voice.first().getAttribute('src')).toMatch(/^blob:/);
  // The file decodes (0.5 s of tone): the element knows its duration.
  await expect.poll(() => voice.first().evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(0.4);

  const photo = log.locator('img[src^="blob:"][alt^="Photo: New wall"]');
  await scrollUntil(log, photo);
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  // The first video was only a .mcrypt1 copy: it shows the database thumbnail, "not in the folder".
  const video = log.getByRole('article').filter({ hasText: 'My first V5 send' });
  await scrollUntil(log, video);
  await expect(video).toContainText('not in the folder');
});

test('Export chats with Include media files: the files next to each chat, shown from there offline, nothing remote', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await openWithExtras(page);
  await page.getByRole('button', { name: 'Export chats' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export chats' });
  const include = dialog.getByRole('checkbox', { name: 'Include media files' });
  await expect(include).toBeEnabled();
  await include.check();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: /^Export \d+ chats$/ }).click();
  const download = await downloading;
  const dir = mkdtempSync(join(tmpdir(), 'unseal-media-export-'));
  const zipPath = join(dir, 'export.zip');
  await download.saveAs(zipPath);
  execFileSync('python3', ['-m', 'zipfile', '-t', zipPath]);
  const out = join(dir, 'x');
  execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, out]);

  // One file per message whose file was found, each in its chat's media folder; the .json names
  // it, and it is the picked folder's file (found by the message's own file name), byte for byte.
  const source = new Map(filesBelow(folder.root).map((p) => [basename(p), readFileSync(join(folder.root, p))]));
  const exported = filesBelow(out).filter((p) => /^chats\/[^/]+ media\//.test(p));
  const found = folder.rows.filter((r) => r.chatJid !== 'status@broadcast' && (r.written === 'path' || r.written === 'moved'));
  expect(exported).toHaveLength(found.length);
  const named: string[] = [];
  for (const json of readdirSync(join(out, 'chats')).filter((n) => n.endsWith('.json'))) {
    const { messages } = JSON.parse(readFileSync(join(out, 'chats', json), 'utf8')) as { messages: { file?: { path: string }; media?: { filePath?: string } }[] };
    for (const m of messages.filter((x) => x.file)) {
      const path = `chats/${m.file!.path}`;
      named.push(path);
      const original = source.get(basename(m.media!.filePath!));
      expect(original, `source of ${path}`).toBeDefined();
      expect(readFileSync(join(out, path)).equals(original!), `bytes of ${path}`).toBe(true);
    }
  }
  expect(named.sort()).toEqual(exported.sort());

  // Maya's chat from file://, every request off file: recorded and refused.
  const htmlName = readdirSync(join(out, 'chats')).find((n) => /^\d+ Maya Rivera\.html$/.test(n))!;
  const chatPath = join(out, 'chats', htmlName);
  const folderUrl = pathToFileURL(out).href;
  const context = await browser.newContext();
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${folderUrl}/`)) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const offline = await context.newPage();
  await offline.goto(pathToFileURL(chatPath).href);
  const photo = offline.locator('img[alt^="Photo: New wall"]');
  await photo.scrollIntoViewIfNeeded();
  expect(await photo.getAttribute('src')).toMatch(/^\d+%20Maya%20Rivera%20media\/[^/]+\.jpg$/);
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // The voice note plays from its file (media-src).
  const voice = offline.locator('audio').first();
  await voice.scrollIntoViewIfNeeded();
  await expect.poll(() => voice.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(0.4);

  // The page's own policy refuses a remote image before any request is made.
  const blocked = await offline.evaluate(
    () =>
      new Promise<string>((done) => {
        document.addEventListener('securitypolicyviolation', (e) => done(`${e.effectiveDirective} ${e.blockedURI}`));
        const img = document.createElement('img');
        img.src = 'https://example.com/tracker.png';
        document.body.append(img);
      }),
  );
  expect(blocked).toBe('img-src https://example.com/tracker.png');
  expect(requests).toEqual([]);
  await context.close();
});

/** A wa.db naming Dad (address book) and Ravi (push name only), encrypted like WhatsApp's wa.db.crypt15 with the demo key. */
async function encryptedWaDb(dir: string): Promise<string> {
  const sqlite3 = await loadSqlite();
  const db = new sqlite3.oo1.DB(':memory:');
  db.exec(`CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN, display_name TEXT, wa_name TEXT, number TEXT, raw_contact_id INTEGER);
    INSERT INTO wa_contacts (jid, is_whatsapp_user, display_name, wa_name, number, raw_contact_id) VALUES
      ('12025550188@s.whatsapp.net', 1, 'Dad (wa.db)', 'Papa Bear', '202-555-0188', 7),
      ('61491570110@s.whatsapp.net', 1, NULL, 'Ravi (push)', NULL, NULL);`);
  const plain = exportDb(sqlite3, db);
  db.close();
  const { bytes } = await encryptCrypt15(plain, {
    rootKey: new Uint8Array(Buffer.from(DEMO_KEY_HEX, 'hex')),
    iv: new Uint8Array(16).fill(9),
    features: [],
    md5Footer: false,
  });
  const path = join(dir, 'wa.db.crypt15');
  writeFileSync(path, bytes);
  return path;
}

test('an encrypted wa.db names people; a folder linked later from the library; Delete library removes the copies', async ({ page }) => {
  const waDb = await encryptedWaDb(mkdtempSync(join(tmpdir(), 'unseal-wadb-')));
  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('Contacts file').setInputFiles(waDb);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  const chats = page.getByRole('list', { name: 'Chats' });
  await expect(chats.getByRole('listitem').filter({ hasText: /^Dad \(wa\.db\)/ })).toHaveCount(1);

  // No folder yet: then one, from the library view.
  await page.getByText('Media: no WhatsApp folder linked').click();
  await page.getByLabel('Link WhatsApp folder').setInputFiles(folder.root);
  // Picked files cannot stay linked: only copying is offered, with its size first.
  const choice = page.getByRole('group', { name: 'Link or copy' });
  await expect(choice).toContainText(/\d+ files, [\d.,]+ KB will be copied/);
  await expect(choice.getByRole('button', { name: 'Link the folder' })).toHaveCount(0);
  await choice.getByRole('button', { name: 'Copy into this browser' }).click();
  await expect(page.getByRole('group', { name: 'Media report' })).toContainText('media files found');
  await page.getByText(/^Media: \d+ of \d+ found/).click();
  await chats.getByRole('button', { name: /^Dad \(wa\.db\)/ }).click();
  const log = page.getByRole('log', { name: 'Dad (wa.db)' });
  await expect(log.locator('img[src^="blob:"]').first()).toBeVisible();

  const mediaDirs = () =>
    page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      try {
        const media = await root.getDirectoryHandle('media');
        const names: string[] = [];
        for await (const name of (media as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
        return names.length;
      } catch {
        return 0;
      }
    });
  expect(await mediaDirs()).toBe(1);
  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Delete library' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' })).toHaveCount(0);
  expect(await mediaDirs()).toBe(0);
});
