// Export of the biggest chat to one .html through its `Export chat` button, then opening that file.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT } from './paths.mjs';
import { settle } from './proc.mjs';
import { mb, round } from './stats.mjs';

/** Opens the chat titled `title` from the Chats list unless its log is already shown. */
export async function ensureChatOpen(page, title) {
  const log = page.getByRole('log', { name: title, exact: true });
  if (await log.isVisible().catch(() => false)) return;
  const search = page.getByRole('searchbox', { name: 'Search messages' });
  if ((await search.inputValue()) !== '') await search.fill('');
  const list = page.getByRole('list', { name: 'Chats', exact: true });
  await list.locator('li button').filter({ has: page.locator('.chat-title', { hasText: title }) }).first().click();
  await log.waitFor();
}

/**
 * `chat`: { title, messages }. Times click → download event → file saved (Playwright copies the
 * finished download); then opens the file (file://) in a new tab of the same browser and times
 * navigation start → the newest message (`#m<pos>`, the export's id for each message) on screen.
 */
export async function measureExport({ page, context, sampler, chat, log }) {
  await ensureChatOpen(page, chat.title);
  const path = resolve(OUT, 'export-biggest-chat.html');
  const button = page.getByRole('button', { name: 'Export chat', exact: true });
  log(`[export] exporting ${chat.title} (${chat.messages.toLocaleString('en')} messages) with "Export chat" …\n`);
  await settle(page);
  const run = await sampler.during(async () => {
    const t0 = Date.now();
    const downloading = page.waitForEvent('download', { timeout: 5 * 60_000 });
    await button.click();
    const download = await downloading;
    const tEvent = Date.now();
    const failure = await download.failure();
    if (failure) throw new Error(`the export download failed: ${failure}`);
    await download.saveAs(path);
    return { downloadEventMs: tEvent - t0, savedMs: Date.now() - t0, suggested: download.suggestedFilename() };
  });
  const bytes = statSync(path).size;
  log(`[export] ${run.value.suggested}: ${mb(bytes)} MB, download event after ${run.value.downloadEventMs} ms, saved after ${run.value.savedMs} ms; renderer peak ${mb(run.peak.rendererMax)} MB\n`);

  // Open the saved file in a new tab; time until the newest message is in the viewport.
  const newest = chat.messages - 1;
  const viewer = await context.newPage();
  let open;
  try {
    const opened = await sampler.during(async () => {
      await viewer.goto(pathToFileURL(path).href, { waitUntil: 'commit', timeout: 120_000 });
      const handle = await viewer.waitForFunction(
        (id) => {
          const el = document.getElementById(id);
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.bottom > 0 && r.top < innerHeight ? performance.now() : false;
        },
        `m${newest}`,
        { timeout: 60_000, polling: 'raf' },
      );
      const visibleMs = await handle.jsonValue();
      const nav = await viewer.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return n ? { domContentLoadedMs: n.domContentLoadedEventEnd, loadMs: n.loadEventEnd } : {};
      });
      return { newestVisibleMs: round(visibleMs, 0), ...nav };
    });
    open = { ...opened.value, domContentLoadedMs: round(opened.value.domContentLoadedMs, 0), loadMs: round(opened.value.loadMs, 0) };
    log(`[export] the file opened at its newest message (#m${newest}) after ${open.newestVisibleMs} ms (DOMContentLoaded ${open.domContentLoadedMs} ms, load ${open.loadMs} ms)\n`);
  } catch (e) {
    const maxId = await viewer
      .evaluate(() => Math.max(...[...document.querySelectorAll('[id]')].map((x) => /^m(\d+)$/.exec(x.id)?.[1]).filter(Boolean).map(Number)))
      .catch(() => null);
    open = { error: `newest message #m${newest} not visible: ${e.message.split('\n')[0]} (largest id in the file: m${maxId})` };
    log(`[export] ${open.error}\n`);
  } finally {
    await viewer.close().catch(() => {});
  }
  return {
    chat: chat.title,
    messages: chat.messages,
    file: path,
    bytes,
    downloadEventMs: run.value.downloadEventMs,
    seconds: round(run.value.savedMs / 1000, 2),
    rendererBeforeMB: mb(run.before.rendererMax),
    rendererPeakMB: mb(run.peak.rendererMax),
    open,
  };
}
