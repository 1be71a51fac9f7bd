// Linking a WhatsApp folder of 20,000 media files (data.mjs `ensureMediaFolder`) to the 1M
// library through the library view's `Link WhatsApp folder` control (a webkitdirectory input):
// matching, then `Copy into this browser` (picked files cannot stay linked). The time excludes
// the pause between the stated size and the click.
import { ensureMediaFolder } from './data.mjs';
import { settle } from './proc.mjs';
import { mb, round } from './stats.mjs';

/** In the page: the input's `change` event, the progress texts, and the summary "Media: N of M found". */
function recordLink(page) {
  return page.evaluate(() => {
    const rec = { t0: undefined, tMatched: undefined, tClicked: undefined, tCopying: undefined, done: undefined, summary: undefined, report: undefined, error: undefined };
    window.__linkRec = rec;
    const details = document.querySelector('details.media-link');
    details.querySelector('#link-media-folder').addEventListener('change', () => (rec.t0 ??= performance.now()), { capture: true, once: true });
    const obs = new MutationObserver(() => {
      if (rec.t0 === undefined) return;
      const now = performance.now();
      const progress = details.querySelector('p[aria-live]');
      if (rec.tMatched === undefined && details.querySelector('[aria-label="Link or copy"]')) rec.tMatched = now;
      if (progress && rec.tCopying === undefined && / of /.test(progress.textContent)) rec.tCopying = now;
      const summary = details.querySelector('summary')?.textContent ?? '';
      if (/^Media: [\d.,\u202f\u00a0]+ of [\d.,\u202f\u00a0]+ found/.test(summary) && !progress) {
        rec.done ??= now;
        rec.summary = summary;
        const report = details.querySelector('[aria-label="Media report"]');
        rec.report = report ? [...report.querySelectorAll('p, li')].map((x) => x.textContent.trim()).join('; ') : '';
      }
      const alert = details.querySelector('[role="alert"]');
      if (alert) rec.error ??= alert.textContent;
      if (rec.done !== undefined || rec.error !== undefined) obs.disconnect();
    });
    obs.observe(details, { subtree: true, childList: true, characterData: true, attributes: true });
    details.addEventListener('click', () => rec.tMatched !== undefined && (rec.tClicked ??= performance.now()), { capture: true });
  });
}

export async function measureMedia({ page, sampler, log, count = 20_000 }) {
  const folder = await ensureMediaFolder(count, log);
  const summary = page.locator('details.media-link > summary');
  if (!(await page.locator('details.media-link').evaluate((d) => d.open))) await summary.click();
  await recordLink(page);
  log(`[media] linking ${folder.manifest.files.toLocaleString('en')} files (${folder.root}) with "Link WhatsApp folder" …\n`);
  await settle(page);
  const run = await sampler.during(async () => {
    const t0 = Date.now();
    await page.getByLabel('Link WhatsApp folder').setInputFiles(folder.root, { timeout: 5 * 60_000 });
    const tGiven = Date.now();
    await page.waitForFunction(() => window.__linkRec.tMatched !== undefined || window.__linkRec.error !== undefined, null, { timeout: 10 * 60_000, polling: 100 });
    const tStated = Date.now();
    if ((await page.evaluate(() => window.__linkRec.error)) === undefined) await page.getByRole('button', { name: 'Copy into this browser' }).click();
    const tConfirmed = Date.now();
    await page.waitForFunction(() => window.__linkRec.done !== undefined || window.__linkRec.error !== undefined, null, { timeout: 10 * 60_000, polling: 100 });
    const rec = await page.evaluate(() => window.__linkRec);
    return { ...rec, setInputFilesMs: tGiven - t0, nodeMs: Date.now() - t0 - (tConfirmed - tStated) };
  });
  const rec = run.value;
  if (rec.error !== undefined) throw new Error(`linking the folder failed: ${rec.error}`);
  const num = (s) => Number(s.replace(/[^\d]/g, ''));
  const m = rec.summary.match(/^Media: ([\d.,\u202f\u00a0]+) of ([\d.,\u202f\u00a0]+) found/);
  const out = {
    files: folder.manifest.files,
    byFolder: folder.manifest.byKind,
    seconds: round((rec.tMatched - rec.t0 + rec.done - rec.tClicked) / 1000, 2),
    matchingSeconds: round((rec.tMatched - rec.t0) / 1000, 2),
    copyingSeconds: round((rec.done - rec.tClicked) / 1000, 2),
    setInputFilesSeconds: round(rec.setInputFilesMs / 1000, 2),
    fromSetInputFilesSeconds: round(rec.nodeMs / 1000, 2),
    found: num(m[1]),
    mediaMessages: num(m[2]),
    report: rec.report.replace(/\s+/g, ' ').trim(),
    rendererBeforeMB: mb(run.before.rendererMax),
    rendererPeakMB: mb(run.peak.rendererMax),
  };
  log(`[media] linked in ${out.seconds} s after the input's change event (${out.fromSetInputFilesSeconds} s from setInputFiles): ${out.found.toLocaleString('en')} of ${out.mediaMessages.toLocaleString('en')} found; renderer peak ${out.rendererPeakMB} MB\n`);
  return out;
}
