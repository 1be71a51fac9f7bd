// The encrypted copy: `Save encrypted copy` of the whole 1M library (Argon2id + AES-256-GCM,
// docs/FORMATS.md), then opening the .unseal through `Backup file` + `Passphrase`. Opening an
// archive always restores a new library (a fresh id; src/worker/archive.ts), so the copy is opened
// in the same profile next to the original and nothing is refused.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { OUT } from './paths.mjs';
import { settle } from './proc.mjs';
import { mb, mibps, round } from './stats.mjs';

const PASSPHRASE = 'bench orbit lantern cobalt meadow';

/** In the page: when the save dialog's progress first shows a percentage (the key is derived by then). */
function recordSave(page) {
  return page.evaluate(() => {
    const rec = { t0: undefined, tFirstPercent: undefined, error: undefined };
    window.__saveRec = rec;
    const dialog = [...document.querySelectorAll('dialog')].find((d) => d.querySelector('#save-copy-title'));
    dialog.querySelector('form').addEventListener('submit', () => (rec.t0 ??= performance.now()), { capture: true, once: true });
    const obs = new MutationObserver(() => {
      const span = dialog.querySelector('.export-progress span');
      if (rec.t0 !== undefined && rec.tFirstPercent === undefined && span && /%$/.test(span.textContent)) rec.tFirstPercent = performance.now();
      const alert = dialog.querySelector('[role="alert"]');
      if (alert) rec.error ??= alert.textContent;
      if (rec.tFirstPercent !== undefined) obs.disconnect();
    });
    obs.observe(dialog, { subtree: true, childList: true, characterData: true });
  });
}

/** In the page: the open screen's progress labels and the "Opened: …" status, after the form is submitted. */
function recordOpen(page) {
  return page.evaluate(() => {
    const rec = { t0: undefined, phases: {}, done: undefined, status: undefined, error: undefined };
    window.__openRec = rec;
    document.addEventListener('submit', () => (rec.t0 ??= performance.now()), { capture: true, once: true });
    const obs = new MutationObserver(() => {
      if (rec.t0 === undefined) return;
      const now = performance.now();
      const p = document.querySelector('.progress p[aria-live]');
      if (p) {
        const label = p.textContent.replace(/[\d.,]+%.*$/, '').trim();
        if (label && rec.phases[label] === undefined) rec.phases[label] = now;
      }
      const status = [...document.querySelectorAll('[role="status"]')].find((s) => /^Opened:/.test(s.textContent.trim()));
      if (status && rec.done === undefined) {
        rec.done = now;
        rec.status = status.textContent;
      }
      const alert = document.querySelector('[role="alert"]');
      if (alert && rec.error === undefined) rec.error = alert.textContent;
      if (rec.done !== undefined || rec.error !== undefined) obs.disconnect();
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** Saves the open library as .unseal (times it) and opens the copy (times that). `page` shows the library. */
export async function measureArchive({ page, sampler, log }) {
  const out = {};
  const summary = (await page.getByRole('status').filter({ hasText: /\bchats?\b/ }).first().textContent()).replace(/^Opened:\s*/, '').trim();
  await page.getByRole('button', { name: 'Save encrypted copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save encrypted copy' });
  await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await recordSave(page);
  const path = resolve(OUT, 'library-1m.unseal');
  log('[archive] saving an encrypted copy of the whole library …\n');
  await settle(page);
  const saved = await sampler.during(async () => {
    const t0 = Date.now();
    const downloading = page.waitForEvent('download', { timeout: 10 * 60_000 });
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const download = await downloading;
    const tEvent = Date.now();
    const failure = await download.failure();
    if (failure) throw new Error(`the .unseal download failed: ${failure}`);
    await download.saveAs(path);
    const rec = await page.evaluate(() => window.__saveRec);
    return { downloadEventMs: tEvent - t0, savedMs: Date.now() - t0, keyMs: rec.tFirstPercent !== undefined ? rec.tFirstPercent - rec.t0 : null, error: rec.error };
  });
  if (saved.value.error) throw new Error(`saving the encrypted copy failed: ${saved.value.error}`);
  const bytes = statSync(path).size;
  const s = saved.value;
  out.save = {
    file: path,
    bytes,
    seconds: round(s.savedMs / 1000, 2),
    downloadEventSeconds: round(s.downloadEventMs / 1000, 2),
    keyDerivationMs: s.keyMs === null ? null : round(s.keyMs, 0),
    MiBps: round(mibps(bytes, s.downloadEventMs), 1),
    MiBpsAfterKey: s.keyMs === null ? null : round(mibps(bytes, s.downloadEventMs - s.keyMs), 1),
    rendererBeforeMB: mb(saved.before.rendererMax),
    rendererPeakMB: mb(saved.peak.rendererMax),
  };
  log(`[archive] saved ${mb(bytes)} MB in ${out.save.downloadEventSeconds} s to the download (${out.save.seconds} s saved to disk), ${out.save.MiBps} MiB/s; key derivation ~${out.save.keyDerivationMs} ms; renderer peak ${out.save.rendererPeakMB} MB\n`);
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Close' }).click();

  // Open the copy: a second library.
  await page.getByRole('button', { name: 'Back to libraries' }).click();
  await page.getByRole('button', { name: 'Open', exact: true }).waitFor();
  await page.getByLabel('Backup file').setInputFiles(path);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await recordOpen(page);
  log('[archive] opening the copy through "Backup file" + "Passphrase" …\n');
  await settle(page);
  const opened = await sampler.during(async () => {
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.waitForFunction(() => window.__openRec.done !== undefined || window.__openRec.error !== undefined, null, { timeout: 10 * 60_000, polling: 100 });
    return page.evaluate(() => window.__openRec);
  });
  const rec = opened.value;
  if (rec.error !== undefined) throw new Error(`opening the encrypted copy failed: ${rec.error}`);
  const seconds = (rec.done - rec.t0) / 1000;
  const phases = Object.entries(rec.phases)
    .sort((a, b) => a[1] - b[1])
    .map(([label, t], i, all) => ({ phase: label, startS: round((t - rec.t0) / 1000, 2), seconds: round(((all[i + 1]?.[1] ?? rec.done) - t) / 1000, 2) }));
  const keyPhase = phases.find((p) => /key/i.test(p.phase));
  const status = rec.status.replace(/^Opened:\s*/, '').trim();
  out.open = {
    seconds: round(seconds, 2),
    status,
    sameSummary: status === summary,
    phases,
    keyDerivationMs: keyPhase ? round(keyPhase.seconds * 1000, 0) : null,
    MiBps: round(mibps(bytes, seconds * 1000), 1),
    rendererBeforeMB: mb(opened.before.rendererMax),
    rendererPeakMB: mb(opened.peak.rendererMax),
  };
  log(`[archive] opened in ${out.open.seconds} s (${out.open.MiBps} MiB/s): "${rec.status}"; renderer peak ${out.open.rendererPeakMB} MB\n`);
  return out;
}
