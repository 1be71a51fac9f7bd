/**
 * A chat's gallery ("Media, links and docs"): the demo's Maya chat holds a photo, a video, a GIF,
 * a sticker, a link and a document (scripts/make-demo.ts, chat 1). The expected items are counted
 * with SQL from the demo database itself (decrypted by the independent oracle), newest first.
 * Choosing an item closes the dialog and focuses that message in the conversation; Escape closes
 * and gives focus back; the hostile QA chat shows no `javascript:` link and its file name as text.
 * With a WhatsApp folder linked (scripts/make-demo-media.ts), a photo tile shows the file itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO, DEMO_KEY_HEX, expect, test } from './fixtures';
import { decryptWithOracle, sqlRows } from './oracle';
import { makeDemoMedia } from '../scripts/make-demo-media';

/** Maya's number (scripts/make-demo.ts): the chat title when no contacts are given. */
const MAYA = '12025550123';
const TYPE_LABEL: Record<number, string> = { 1: 'Photo', 3: 'Video', 13: 'GIF', 20: 'Sticker' };

interface Expected {
  media: string[];
  links: string[];
  docs: { name: string; size: number }[];
}

/** What the chat of `user` holds, newest first, straight from the demo database. */
function expectedFor(db: string, user: string): Expected {
  const chat = `(SELECT c._id FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE j.user = '${user}')`;
  const media = sqlRows(db, `SELECT message_type FROM message WHERE chat_row_id = ${chat} AND message_type IN (1, 3, 13, 20) ORDER BY sort_id DESC`);
  const links = sqlRows(
    db,
    `SELECT text_data FROM message WHERE chat_row_id = ${chat} AND message_type NOT IN (7, 15, 64)
       AND (text_data LIKE '%http://%' OR text_data LIKE '%https://%') ORDER BY sort_id DESC`,
  );
  const docs = sqlRows(
    db,
    `SELECT mm.media_name, mm.file_size FROM message m JOIN message_media mm ON mm.message_row_id = m._id
      WHERE m.chat_row_id = ${chat} AND m.message_type = 9 ORDER BY m.sort_id DESC`,
  );
  return {
    media: media.map(([t]) => TYPE_LABEL[t as number]!),
    links: links.map(([t]) => /https?:\/\/\S+/.exec(t as string)![0]),
    docs: docs.map(([name, size]) => ({ name: name as string, size: size as number })),
  };
}

/** formatBytes of src/ui/conversation/format.ts, for the sizes shown. */
function kb(bytes: number): string {
  const v = bytes / 1024;
  return v < 1024 ? `${v >= 10 ? Math.round(v) : v.toFixed(1)} KB` : `${(v / 1024 >= 10 ? Math.round(v / 1024) : (v / 1024).toFixed(1))} MB`;
}

let demoDb: string;
test.beforeAll(() => {
  demoDb = decryptWithOracle(DEMO, DEMO_KEY_HEX);
});

async function openChat(page: Page, title: RegExp) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: title }).click();
  await expect(page.getByRole('log', { name: title })).toBeVisible();
}

test('the gallery lists media, links and docs newest first, and opens a message in context', async ({ page }) => {
  const expected = expectedFor(demoDb, MAYA);
  expect(expected.media.length).toBeGreaterThan(0);
  expect(expected.links.length).toBeGreaterThan(0);
  expect(expected.docs.length).toBeGreaterThan(0);

  await openChat(page, new RegExp(`^\\+${MAYA}`));
  await page.getByRole('button', { name: 'Media, links and docs' }).click();
  const dialog = page.getByRole('dialog', { name: 'Media, links and docs' });
  await expect(dialog).toBeVisible();
  const tabs = dialog.getByRole('tablist', { name: 'Gallery sections' });
  await expect(tabs.getByRole('tab', { name: 'Media' })).toHaveAttribute('aria-selected', 'true');

  // Media: one tile per photo, video, GIF and sticker, newest first, each with a thumbnail.
  const media = dialog.getByRole('list', { name: 'Media', exact: true }).getByRole('listitem');
  await expect(media).toHaveCount(expected.media.length);
  for (let i = 0; i < expected.media.length; i++) {
    await expect(media.nth(i).getByRole('button')).toHaveAccessibleName(new RegExp(`^${expected.media[i]} from `));
  }
  await expect(media.first().locator('img')).toHaveCount(1);
  await expect(dialog.getByText(`${expected.media.length} media items`)).toBeVisible();

  // Links: the keyboard moves between tabs.
  await tabs.getByRole('tab', { name: 'Media' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: 'Links' })).toBeFocused();
  await expect(tabs.getByRole('tab', { name: 'Links' })).toHaveAttribute('aria-selected', 'true');
  const links = dialog.getByRole('list', { name: 'Links', exact: true }).locator(':scope > li');
  await expect(links).toHaveCount(expected.links.length);
  for (let i = 0; i < expected.links.length; i++) {
    const a = links.nth(i).getByRole('link', { name: expected.links[i] });
    await expect(a).toHaveAttribute('href', expected.links[i]!);
    await expect(a).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(a).toHaveAttribute('target', '_blank');
  }

  // Docs: file name and size.
  await tabs.getByRole('tab', { name: 'Docs' }).click();
  const docs = dialog.getByRole('list', { name: 'Docs' }).getByRole('listitem');
  await expect(docs).toHaveCount(expected.docs.length);
  for (let i = 0; i < expected.docs.length; i++) {
    await expect(docs.nth(i)).toContainText(expected.docs[i]!.name);
    await expect(docs.nth(i)).toContainText(kb(expected.docs[i]!.size));
  }

  // Choosing the document closes the dialog and focuses that message in the conversation.
  await docs.first().getByRole('button').click();
  await expect(dialog).toBeHidden();
  const log = page.getByRole('log', { name: new RegExp(`^\\+${MAYA}`) });
  const target = log.getByRole('article').filter({ hasText: expected.docs[0]!.name });
  await expect(target).toBeFocused();
  await expect(target).toHaveClass(/is-highlighted/);

  // And a photo from the media tab (the oldest one: the conversation scrolls up to it).
  await page.getByRole('button', { name: 'Media, links and docs' }).click();
  await expect(dialog).toBeVisible();
  await media.last().getByRole('button').click();
  await expect(dialog).toBeHidden();
  const oldestMedia = log.getByRole('article', { name: new RegExp(`: ${expected.media.at(-1)}`) });
  await expect(oldestMedia.first()).toBeFocused();
});

test('Escape closes the gallery and gives focus back to its button', async ({ page }) => {
  await openChat(page, new RegExp(`^\\+${MAYA}`));
  const button = page.getByRole('button', { name: 'Media, links and docs' });
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Media, links and docs' });
  await expect(dialog.getByRole('list', { name: 'Media', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  await button.click();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
});

test('hostile text: no javascript: link, a hostile file name shows as text', async ({ page }) => {
  await openChat(page, /^QA </);
  await page.getByRole('button', { name: 'Media, links and docs' }).click();
  const dialog = page.getByRole('dialog', { name: 'Media, links and docs' });
  await dialog.getByRole('tab', { name: 'Links' }).click();
  await expect(dialog.getByText('No links in this chat.')).toBeVisible();
  await expect(dialog.getByRole('link')).toHaveCount(0);
  await dialog.getByRole('tab', { name: 'Docs' }).click();
  await expect(dialog.getByRole('list', { name: 'Docs' }).getByText('"><svg onload=alert(1)>.pdf', { exact: true })).toBeVisible();
  expect(await page.locator('svg[onload]').count()).toBe(0);
});

test('with a WhatsApp folder linked, a photo tile shows the linked file, not the database thumbnail', async ({ page }) => {
  const folder = await makeDemoMedia(mkdtempSync(join(tmpdir(), 'unseal-gallery-')));
  const mayaPhotos = folder.rows.filter((r) => r.chatJid.startsWith(`${MAYA}@`) && r.bucket === 'image');
  expect(mayaPhotos).toHaveLength(1);
  expect(mayaPhotos[0]!.written).not.toBe('missing');

  await page.goto('/');
  await page.getByLabel('Backup file').setInputFiles(DEMO);
  await page.getByRole('textbox', { name: '64-digit key' }).fill(DEMO_KEY_HEX);
  await page.getByLabel('WhatsApp folder').setInputFiles(folder.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('chats');
  const title = new RegExp(`^\\+${MAYA}`);
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: title }).click();
  await expect(page.getByRole('log', { name: title })).toBeVisible();

  await page.getByRole('button', { name: 'Media, links and docs' }).click();
  const dialog = page.getByRole('dialog', { name: 'Media, links and docs' });
  const photo = dialog.getByRole('button', { name: /^Photo from / }).locator('img');
  await expect(photo).toHaveAttribute('src', /^blob:/);
  // The generated photos are 96 px wide, the database thumbnails 48 px (scripts/lib/tiny-jpeg.ts).
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
  // The first video was only a .mcrypt1 copy: its tile says so.
  await expect(dialog.getByRole('list', { name: 'Media', exact: true }).getByRole('listitem').filter({ hasText: 'not in the folder' }).first()).toBeVisible();
});
