// Decrypt stage: a bench-only page + worker (scripts/bench/pages) over the real core modules.
import { ensureBackup } from './data.mjs';
import { launch } from './browser.mjs';
import { buildPages, serveStatic } from './pages.mjs';
import { CpuMeter, RssSampler, waitForQuiet } from './proc.mjs';
import { mb, median, mibps, round } from './stats.mjs';

const CHUNK = 4 << 20; // the app's default (decrypt.ts DEFAULT_CHUNK_SIZE)

/** One run in a fresh browser, so each run's peak renderer RSS is its own. */
async function oneRun(server, pagePath, backup, mode) {
  const browser = await launch();
  const sampler = new RssSampler();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${server.url}/${pagePath}`);
    await page.waitForFunction(() => window.__bench?.ready === true);
    await page.locator('#backup').setInputFiles(backup.path);
    const quiet = await waitForQuiet();
    const cpu = new CpuMeter().start();
    const { value, before, peak } = await sampler.during(() =>
      page.evaluate(([m, k, c]) => window.__bench.run(m, k, c), [mode, backup.facts.key, CHUNK]),
    );
    const othersPct = cpu.othersPct();
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    return { value, before, peak, othersPct, quiet };
  } finally {
    sampler.stop();
    await browser.close();
  }
}

async function benchFile(server, pagePath, backup, { reps, modes, log }) {
  const runs = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of modes) {
      const { value, before, peak, othersPct, quiet } = await oneRun(server, pagePath, backup, mode);
      if ((mode === 'gcm' || mode === 'full' || mode === 'inflate') && value.tagOk !== true) throw new Error(`${mode}: the tag did not verify`);
      if ((mode === 'full' || mode === 'inflate') && value.bytesOut !== backup.facts.plainBytes) {
        throw new Error(`${mode}: inflated ${value.bytesOut} bytes, the generator wrote ${backup.facts.plainBytes}`);
      }
      const r = {
        mode,
        rep,
        ms: round(value.ms, 0),
        inMiBps: round(mibps(value.bytesIn, value.ms)),
        plainMiBps: value.bytesOut ? round(mibps(value.bytesOut, value.ms)) : null,
        bytesIn: value.bytesIn,
        bytesOut: value.bytesOut,
        rendererBeforeMB: mb(before.rendererMax),
        rendererPeakMB: mb(peak.rendererMax),
        treePeakMB: mb(peak.tree),
        othersCpuPct: othersPct,
        waitedForQuietMs: quiet.waitedMs,
      };
      log(`[decrypt] ${backup.path.split('/').pop()} ${mode} #${rep + 1}: ${r.ms} ms, ${r.inMiBps} MiB/s in${r.plainMiBps ? `, ${r.plainMiBps} MiB/s out` : ''}, renderer ${r.rendererBeforeMB} → peak ${r.rendererPeakMB} MB, other load ${othersPct} %\n`);
      runs.push(r);
    }
  }
  const summary = {};
  for (const mode of modes) {
    const rs = runs.filter((r) => r.mode === mode);
    summary[mode] = {
      reps: rs.length,
      medianMs: median(rs.map((r) => r.ms)),
      inMiBps: round(median(rs.map((r) => r.inMiBps))),
      plainMiBps: rs[0].plainMiBps === null ? null : round(median(rs.map((r) => r.plainMiBps))),
      rendererBeforeMB: median(rs.map((r) => r.rendererBeforeMB)),
      rendererPeakMB: Math.max(...rs.map((r) => r.rendererPeakMB)),
      treePeakMB: Math.max(...rs.map((r) => r.treePeakMB)),
      othersCpuPctMax: Math.max(...rs.map((r) => r.othersCpuPct)),
    };
  }
  return {
    file: backup.path,
    cipherBytes: backup.facts.encryptedBytes,
    plainBytes: backup.facts.plainBytes,
    messages: backup.facts.messages,
    summary,
    runs,
  };
}

export async function decryptStage({ reps = 3, big = true, log }) {
  const result = { files: {} };
  const b300 = await ensureBackup('plain300', log);
  const b1g = big ? await ensureBackup('plain1g', log) : undefined;
  log('[decrypt] building the bench page with Vite …\n');
  const pages = await buildPages();
  const server = await serveStatic();
  try {
    result.files.plain300 = await benchFile(server, pages.decrypt, b300, { reps, modes: ['read', 'md5', 'gcm', 'inflate', 'full'], log });
    if (b1g) result.files.plain1g = await benchFile(server, pages.decrypt, b1g, { reps: Math.min(reps, 2), modes: ['gcm', 'full'], log });
  } finally {
    await server.close();
  }
  return result;
}
