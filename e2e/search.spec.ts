/**
 * Searching the demo: counts equal an independent count over the demo's database (Python, from
 * the raw tables), in three scripts; a result opens its chat at the message; hostile text found
 * by search stays text.
 */
import { execFileSync } from 'node:child_process';
import { DEMO, DEMO_KEY_HEX, expect, openDemo, test } from './fixtures';
import { decryptWithOracle } from './oracle';

/**
 * How many messages contain `word` in their searchable text (text or caption, document name,
 * poll options, place name and address, contact-card names), after NFKC and lower-casing,
 * excluding system events and the status feed. Written against the raw tables, not our reader.
 */
function expectedCount(word: string): number {
  const db = decryptWithOracle(DEMO, DEMO_KEY_HEX);
  const script = `
import sqlite3, sys, unicodedata, re
con = sqlite3.connect('file:' + sys.argv[1] + '?immutable=1', uri=True)
fold = lambda s: unicodedata.normalize('NFKC', s).lower()
needle = fold(sys.argv[2])
def extra(sql, mid):
    return [r[0] or '' for r in con.execute(sql, (mid,))]
n = 0
for mid, text in con.execute("""SELECT m._id, m.text_data FROM message m JOIN chat c ON c._id = m.chat_row_id
    JOIN jid j ON j._id = c.jid_row_id WHERE m._id > 1 AND j.raw_string <> 'status@broadcast' AND m.message_type <> 7"""):
    parts = [text or '']
    parts += extra('SELECT media_name FROM message_media WHERE message_row_id = ?', mid)
    parts += extra('SELECT option_name FROM message_poll_option WHERE message_row_id = ?', mid)
    parts += extra('SELECT place_name FROM message_location WHERE message_row_id = ?', mid)
    parts += extra('SELECT place_address FROM message_location WHERE message_row_id = ?', mid)
    for v in extra('SELECT vcard FROM message_vcard WHERE message_row_id = ?', mid):
        parts += re.findall(r'^FN[^:]*:(.*)$', v, re.M)
    if any(needle in fold(p) for p in parts):
        n += 1
print(n)`;
  return Number(execFileSync('python3', ['-c', script, db, word], { encoding: 'utf8' }).trim());
}

// Words in three scripts, and quoted phrases (verified against the stored texts of each page).
for (const word of ['sunscreen', 'बारिश', 'الخير', '"the first-aid kit"', '"at the"']) {
  test(`searching for “${word}” finds exactly the messages that contain it`, async ({ page }) => {
    const expected = expectedCount(word.replace(/^"|"$/g, ''));
    expect(expected).toBeGreaterThan(0);
    await openDemo(page);
    await page.getByRole('searchbox', { name: 'Search messages' }).fill(word);
    await expect(page.getByRole('status').filter({ hasText: /results?$/ })).toHaveText(
      `${expected} ${expected === 1 ? 'result' : 'results'}`,
    );
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem')).toHaveCount(Math.min(expected, 50));
  });
}

test('choosing a result opens the chat at that message', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('marmots');
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results.first()).toBeVisible();
  // The result names the chat and the sender as the conversation does.
  await expect(results.first()).toContainText('Weekend Hikers');
  const sender = (await results.first().locator('.result-sender').textContent())?.replace(/:\s*$/, '') ?? '';
  expect(sender).toMatch(/\S/);
  await results.first().getByRole('button').click();
  const log = page.getByRole('log', { name: /Weekend Hikers/ });
  await expect(log).toBeVisible();
  const focused = log.getByRole('article').filter({ hasText: /marmots/i }).first();
  await expect(focused).toBeVisible();
  await expect(focused).toBeFocused();
  await expect(focused).toContainText(sender);
});

test('Ctrl+K focuses the search box, and a hostile string found by search stays text', async ({ page }) => {
  await openDemo(page);
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('searchbox', { name: 'Search messages' })).toBeFocused();
  await page.keyboard.type('onerror');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  await expect(results.getByText(/<img src=x onerror=alert\(1\)>/).first()).toBeVisible();
  expect(await results.locator('img, script, svg').count()).toBe(0);
  await expect(results.locator('mark').first()).toHaveText('onerror');
});

test('Search filters work without words: every document of the library, then only one chat’s', async ({ page }) => {
  const { sqlRows } = await import('./oracle');
  const db = decryptWithOracle(DEMO, DEMO_KEY_HEX);
  const documents = `SELECT count(*) FROM message m JOIN chat c ON c._id = m.chat_row_id JOIN jid j ON j._id = c.jid_row_id
    WHERE m._id > 1 AND j.raw_string <> 'status@broadcast' AND m.message_type = 9`;
  const [[all]] = sqlRows(db, documents) as [[number]];
  expect(all).toBeGreaterThan(0);
  await openDemo(page);
  const toggle = page.getByRole('button', { name: 'Search filters' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const panel = page.getByRole('region', { name: 'Search' });
  await expect(panel.getByRole('status')).toHaveText(/Type words/);
  await panel.getByLabel('Kind').selectOption('document');
  await expect(panel.getByRole('status')).toHaveText(`${all} ${all === 1 ? 'result' : 'results'}`);
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results).toHaveCount(Math.min(all, 50));

  // The chat of the newest document: its own count.
  const [[chatId, subject, inChat]] = sqlRows(
    db,
    `SELECT m.chat_row_id, c.subject, count(*) OVER (PARTITION BY m.chat_row_id) FROM message m JOIN chat c ON c._id = m.chat_row_id
     JOIN jid j ON j._id = c.jid_row_id WHERE m._id > 1 AND j.raw_string <> 'status@broadcast' AND m.message_type = 9
     ORDER BY m.timestamp DESC LIMIT 1`,
  ) as [[number, string | null, number]];
  expect(chatId).toBeGreaterThan(0);
  await expect(results.first()).toBeVisible();
  const title = (await results.first().locator('.result-chat').textContent())!.trim();
  if (subject) expect(title).toBe(subject);
  await panel.getByRole('combobox', { name: 'In', exact: true }).selectOption({ label: title });
  await expect(panel.getByRole('status')).toHaveText(`${inChat} ${inChat === 1 ? 'result' : 'results'}`);

  // Closing the filters brings the chat list back.
  await toggle.click();
  await expect(page.getByRole('list', { name: 'Chats', exact: true })).toBeVisible();
  await expect(panel).toBeHidden();
});
