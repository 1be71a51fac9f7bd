/**
 * Reading the demo like the phone shows it: the chat list, a group with senders, replies,
 * reactions, system events and RTL text; hostile strings as literal text; a library that
 * survives a reload and can be deleted.
 */
import { DEMO, DEMO_KEY_HEX, expect, openDemo, test } from './fixtures';
import { decryptWithOracle, sqlRows } from './oracle';

/** Titles by the ui-contract rule, computed with SQL from the demo database itself. */
function expectedTitles(): string[] {
  const db = decryptWithOracle(DEMO, DEMO_KEY_HEX);
  const rows = sqlRows(
    db,
    `SELECT c.subject, j.user, j.server,
            (SELECT pj.user FROM jid_map jm JOIN jid pj ON pj._id = jm.jid_row_id WHERE jm.lid_row_id = j._id)
     FROM chat c JOIN jid j ON j._id = c.jid_row_id
     WHERE j.raw_string <> 'status@broadcast'
       AND EXISTS (SELECT 1 FROM message m WHERE m.chat_row_id = c._id AND m._id > 1)`,
  ) as [string | null, string, string, string | null][];
  return rows.map(([subject, user, server, mapped]) => {
    if (server === 'g.us') return subject!;
    if (server === 'lid') return mapped ? `+${mapped}` : `LID:${user}`;
    return `+${user}`;
  });
}

test('the chat list shows every chat with its title, archived ones apart', async ({ page }) => {
  const titles = expectedTitles();
  await openDemo(page);
  const items = page.getByRole('list', { name: /^(Chats|Archived chats)$/ }).getByRole('listitem');
  await expect(items).toHaveCount(titles.length);
  for (const title of titles) {
    await expect(items.filter({ hasText: title }).first()).toBeVisible();
  }
});

test('a group shows senders, a reply, a reaction, a system event and right-to-left text', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /Weekend Hikers/ }).click();
  const log = page.getByRole('log', { name: /Weekend Hikers/ });
  await expect(log).toBeVisible();
  await expect(page.getByText(/\d[\d,]* messages/).first()).toBeVisible();
  const articles = log.getByRole('article');
  await expect(articles.first()).toBeVisible();
  // Group messages from others carry their sender's title; a reply is a button to its original.
  await expect(articles.filter({ hasText: /^\+\d+/ }).first()).toBeVisible();
  await expect(log.getByRole('button', { name: /^Go to the quoted message from / }).first()).toBeVisible();
  // From the top: the system events that started the group, then reactions further down.
  await log.focus();
  await page.keyboard.press('Home');
  await expect(log.getByRole('article').filter({ hasText: /created group/ }).first()).toBeVisible();
  const reactions = log.getByRole('img', { name: /^Reactions: / });
  for (let i = 0; i < 40 && !(await reactions.first().isVisible()); i++) await page.keyboard.press('PageDown');
  await expect(reactions.first()).toBeVisible();

  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /أصدقاء الجامعة/ }).click();
  const arabic = page.getByRole('log', { name: /أصدقاء الجامعة/ });
  const rtl = arabic.locator('[dir="auto"]').filter({ hasText: /[\u0600-\u06FF]/ }).first();
  await expect(rtl).toBeVisible();
  expect(await rtl.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
});

test('hostile strings show as literal text and run nothing', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /QA </ }).click();
  const log = page.getByRole('log', { name: 'QA <img src=x onerror=alert(1)>' });
  await expect(log).toBeVisible();
  await expect(log.getByText('<script>alert(1)</script>', { exact: true }).first()).toBeVisible();
  await expect(log.getByText('<img src=x onerror=alert(1)>', { exact: true }).first()).toBeVisible();
  expect(await log.locator('img[src="x"], script, svg[onload]').count()).toBe(0);
  expect(await log.locator('a[href^="javascript:"]').count()).toBe(0);
});

test('the library survives a reload and Delete library removes it', async ({ page }) => {
  await openDemo(page);
  await page.reload();
  const libraries = page.getByRole('list', { name: 'Libraries' });
  await expect(libraries.getByRole('listitem')).toHaveCount(1);
  await libraries.getByRole('button', { name: /msgstore/ }).click();
  await expect(page.getByRole('list', { name: 'Chats' }).getByRole('listitem').first()).toBeVisible();
  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Delete library' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('list', { name: 'Libraries' })).toBeHidden();
  const pages = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('unseal');
        open.onsuccess = () => {
          const count = open.result.transaction(['pages']).objectStore('pages').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(pages).toBe(0);
});
