/**
 * A linked WhatsApp folder (src/worker/media.ts), end to end. `window.showDirectoryPicker` is
 * stubbed to return an OPFS directory the test filled with the generated demo media
 * (scripts/make-demo-media.ts): an OPFS handle is a real FileSystemDirectoryHandle, storable in
 * IndexedDB, with read permission granted. Linked: nothing is copied, the photo shows, and again
 * after a reload; gone: "not in the folder", no error. Copied instead: the size is stated first,
 * then the copy is independent of the folder. And IndexedDB v2 data (copies only) opens in v3.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, filesBelow, scrollUntil, test } from './fixtures';
import { makeDemoMedia, type DemoMediaManifest } from '../scripts/make-demo-media';

/** Maya's chat (scripts/make-demo.ts): its title without contacts, and a photo in it. */
const MAYA = '+12025550123';
const PHOTO_ALT = /^Photo: New wall/;
/** Where the picked folder lives in OPFS: `picked/WhatsApp`. */
const PICKED = 'picked';

let folder: DemoMediaManifest;
/** Every file of the generated folder: path below `WhatsApp/`, base64 bytes. */
let files: { path: string; base64: string }[];

test.beforeAll(async () => {
  folder = await makeDemoMedia(mkdtempSync(join(tmpdir(), 'unseal-folder-')));
  files = filesBelow(folder.root).map((path) => ({ path, base64: readFileSync(join(folder.root, path)).toString('base64') }));
});

test.beforeEach(async ({ page }) => {
  await page.addInitScript((picked) => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await (await navigator.storage.getDirectory()).getDirectoryHandle(picked)).getDirectoryHandle('WhatsApp');
  }, PICKED);
});

/** Writes the generated folder into OPFS at `picked/WhatsApp/…`. */
async function fillPickedFolder(page: Page): Promise<void> {
  await page.evaluate(
    async ({ picked, files }) => {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(picked, { create: true });
      for (const f of files) {
        const parts = ['WhatsApp', ...f.path.split('/')];
        let dir = root;
        for (const name of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(name, { create: true });
        const writable = await (await dir.getFileHandle(parts[parts.length - 1]!, { create: true })).createWritable();
        await writable.write(Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)));
        await writable.close();
      }
    },
    { picked: PICKED, files },
  );
}

/** Opens the demo, then picks the folder for it with the directory picker: the `Link or copy` choice. */
async function pickFolderForDemo(page: Page): Promise<Locator> {
  await page.goto('/');
  await fillPickedFolder(page);
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  await page.getByText('Media: no WhatsApp folder linked').click();
  await page.getByLabel('Link WhatsApp folder').click();
  return page.getByRole('group', { name: 'Link or copy' });
}

/** How many entries OPFS `media/` holds (the copies' folders, one per library). */
function copiedDirs(page: Page): Promise<number> {
  return page.evaluate(async () => {
    try {
      const media = await (await navigator.storage.getDirectory()).getDirectoryHandle('media');
      let n = 0;
      for await (const _ of (media as unknown as { keys(): AsyncIterable<string> }).keys()) n++;
      return n;
    } catch {
      return 0;
    }
  });
}

async function openMaya(page: Page): Promise<Locator> {
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: new RegExp(`^\\${MAYA}`) }).click();
  const log = page.getByRole('log', { name: MAYA });
  await expect(log.getByRole('article').first()).toBeVisible();
  return log;
}

/** The linked file's own image (the database thumbnail is an object URL too, outside `.msg-media-file`). */
function linkedImages(log: Locator): Locator {
  return log.locator('.msg-media-file img[src^="blob:"]');
}

async function expectPhotoShown(log: Locator): Promise<void> {
  const photo = linkedImages(log).and(log.getByRole('img', { name: PHOTO_ALT }));
  await scrollUntil(log, photo);
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
}

/** formatBytes of src/ui/messages.ts, as an en-US browser shows it. */
function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
}

/** What copying the demo folder takes: the distinct files the chats' messages found, and their bytes. */
function expectedCopy(): { files: number; bytes: number } {
  const used = new Set<string>();
  for (const r of folder.rows) {
    if (r.chatJid === 'status@broadcast') continue;
    if (r.written === 'path') used.add(r.filePath);
    if (r.written === 'moved') used.add(`Media/Moved here/${r.filePath.split('/').pop()}`);
  }
  let bytes = 0;
  for (const path of used) bytes += statSync(join(folder.root, path)).size;
  return { files: used.size, bytes };
}

test('a folder chosen with the directory picker is linked, not copied, and still shows after a reload', async ({ page }) => {
  await page.goto('/');
  await fillPickedFolder(page);
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('WhatsApp folder').click();
  await expect(page.getByText(/^WhatsApp: the folder is linked/)).toBeVisible();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');

  await page.getByText(/^Media: \d+ of \d+ found/).click();
  const report = page.getByRole('group', { name: 'Media report' });
  await expect(report).toContainText('read from the folder WhatsApp');
  await expect(report).not.toContainText('copied');
  await page.getByText(/^Media: /).click();

  await expectPhotoShown(await openMaya(page));
  expect(await copiedDirs(page)).toBe(0);

  await page.reload();
  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /msgstore/ }).click();
  await expectPhotoShown(await openMaya(page));
  expect(await copiedDirs(page)).toBe(0);
  // Access is granted (an OPFS handle): nothing to allow.
  await expect(page.getByRole('button', { name: 'Allow access to the WhatsApp folder' })).toHaveCount(0);
  // The linked (not copied) files can go into an encrypted copy and an export too.
  await page.getByRole('button', { name: 'Save encrypted copy' }).click();
  const save = page.getByRole('dialog', { name: 'Save encrypted copy' });
  await expect(save.getByRole('checkbox', { name: 'Include media files' })).toBeVisible();
  await expect(save).toContainText(/\d+ linked files?:/);
  await save.getByRole('button', { name: 'Close' }).click();

  // Delete library drops the kept handle and the links with it.
  const kept = () =>
    page.evaluate(
      () =>
        new Promise<number[]>((ok) => {
          const opening = indexedDB.open('unseal');
          opening.onsuccess = () => {
            const tx = opening.result.transaction(['mediaFolders', 'media']);
            const folders = tx.objectStore('mediaFolders').count();
            const links = tx.objectStore('media').count();
            tx.oncomplete = () => {
              ok([folders.result, links.result]);
              opening.result.close();
            };
          };
        }),
    );
  const [folders, links] = await kept();
  expect(folders).toBe(1);
  expect(links).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Delete library' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' })).toHaveCount(0);
  expect(await kept()).toEqual([0, 0]);
});

test('a linked folder that is gone shows its files as not in the folder', async ({ page }) => {
  const choice = await pickFolderForDemo(page);
  await choice.getByRole('button', { name: 'Link the folder' }).click();
  await expect(page.getByText(/^Media: \d+ of \d+ found/)).toBeVisible();
  await page.getByText(/^Media: /).click();

  await page.evaluate(async (picked) => (await navigator.storage.getDirectory()).removeEntry(picked, { recursive: true }), PICKED);
  await page.reload();
  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /msgstore/ }).click();
  await expect(page.getByText(/The linked folder WhatsApp is gone or was moved/)).toBeVisible();
  const log = await openMaya(page);
  const photo = log.getByRole('article').filter({ has: page.getByText('not in the folder') }).first();
  await scrollUntil(log, photo);
  await expect(photo).toBeVisible();
  await expect(linkedImages(log)).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('Copy into this browser states the size first; the copy then does without the folder', async ({ page }) => {
  const expected = expectedCopy();
  expect(expected.files).toBeGreaterThan(1);
  const choice = await pickFolderForDemo(page);
  await expect(choice.getByRole('button', { name: 'Link the folder' })).toBeVisible();
  await expect(choice).toContainText(`${expected.files} files, ${formatBytes(expected.bytes)} will be copied`);
  expect(await copiedDirs(page)).toBe(0); // stated, not yet copied
  await choice.getByRole('button', { name: 'Copy into this browser' }).click();
  await expect(page.getByRole('group', { name: 'Media report' })).toContainText(`${formatBytes(expected.bytes)} copied`);
  expect(await copiedDirs(page)).toBe(1);
  await page.getByText(/^Media: /).click();

  // The folder goes; the copies stay.
  await page.evaluate(async (picked) => (await navigator.storage.getDirectory()).removeEntry(picked, { recursive: true }), PICKED);
  await page.reload();
  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /msgstore/ }).click();
  await expectPhotoShown(await openMaya(page));
  await expect(page.getByText(/gone or was moved/)).toHaveCount(0);
});

test('IndexedDB v2 (media copied into OPFS) migrates to the current version and keeps its links', async ({ page }) => {
  // A v3 library with copied media (picked files: copy only)…
  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('WhatsApp folder').setInputFiles(folder.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  expect(await copiedDirs(page)).toBe(1);

  // …rewritten as the v2 database it would have been (no app on this page, so nothing holds it open).
  await page.goto('/manifest.webmanifest');
  const before = await page.evaluate(async () => {
    const request = <T,>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const v3 = await request(indexedDB.open('unseal'));
    const v2Stores = ['libraries', 'chats', 'pages', 'searchMeta', 'searchBuckets', 'media'];
    const tx = v3.transaction(v2Stores);
    const data = Object.fromEntries(await Promise.all(v2Stores.map(async (s) => [s, await request(tx.objectStore(s).getAll())] as const)));
    v3.close();
    await request(indexedDB.deleteDatabase('unseal'));
    const opening = indexedDB.open('unseal', 2);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      db.createObjectStore('libraries', { keyPath: 'id' });
      db.createObjectStore('chats', { keyPath: ['libraryId', 'id'] });
      db.createObjectStore('pages', { keyPath: ['libraryId', 'chatId', 'page'] });
      db.createObjectStore('searchMeta', { keyPath: 'libraryId' });
      db.createObjectStore('searchBuckets', { keyPath: ['libraryId', 'bucket', 'segment'] });
      db.createObjectStore('media', { keyPath: ['libraryId', 'chatId', 'pos'] });
    };
    const v2 = await request(opening);
    const write = v2.transaction(v2Stores, 'readwrite');
    for (const s of v2Stores) for (const value of data[s] as unknown[]) write.objectStore(s).put(value);
    await new Promise((ok) => (write.oncomplete = ok));
    v2.close();
    return { version: v2.version, media: (data.media as { opfsPath?: string }[]).length, withOpfsPath: (data.media as { opfsPath?: string }[]).filter((m) => m.opfsPath).length };
  });
  expect(before.version).toBe(2);
  expect(before.media).toBeGreaterThan(0);
  expect(before.withOpfsPath).toBe(before.media);

  await page.goto('/');
  await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /msgstore/ }).click();
  await expectPhotoShown(await openMaya(page));
  const after = await page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[]; media: number }>((ok) => {
        const opening = indexedDB.open('unseal');
        opening.onsuccess = () => {
          const db = opening.result;
          const count = db.transaction('media').objectStore('media').count();
          count.onsuccess = () => {
            ok({ version: db.version, stores: [...db.objectStoreNames], media: count.result });
            db.close();
          };
        };
      }),
  );
  // v3 added mediaFolders, v4 searchTexts.
  expect(after.version).toBe(4);
  expect(after.stores).toEqual(expect.arrayContaining(['mediaFolders', 'searchTexts']));
  expect(after.media).toBe(before.media);
});
