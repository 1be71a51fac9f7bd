// Import stage: the real app, built and served by `vite preview`, driven through its UI by the
// accessible names in shared/spec/ui-contract.md.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { ensureBackup } from './data.mjs';
import { launchPersistent } from './browser.mjs';
import { CpuMeter, RssSampler, waitForQuiet } from './proc.mjs';
import { APP_OUT, OUT, ROOT } from './paths.mjs';
import { mb, median, round } from './stats.mjs';
import { libraryStage } from './stage-library.mjs';

const PORT = 4174;

function runLogged(cmd, args, logFile) {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}); see ${logFile}`))));
  });
}

/** Starts `vite preview` in its own process group; `stop()` ends that group (only it). */
async function startPreview(outDir, logFile) {
  const out = createWriteStream(logFile);
  const args = ['vite', 'preview', '--port', String(PORT), '--strictPort'];
  if (outDir) args.push('--outDir', outDir);
  const child = spawn('npx', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${PORT}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`vite preview exited early (port ${PORT} busy?); see ${logFile}`);
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`vite preview did not answer on ${url}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop() {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    },
  };
}

/** Records, in the page, when each progress phase first shows and when the summary status appears. */
function installPhaseRecorder(page) {
  return page.evaluate(() => {
    const rec = { t0: undefined, phases: {}, done: undefined, status: undefined, error: undefined };
    window.__importRec = rec;
    document.addEventListener('submit', () => (rec.t0 ??= performance.now()), true);
    const check = () => {
      const now = performance.now();
      const p = document.querySelector('.progress p[aria-live]');
      if (p) {
        const label = p.textContent.replace(/[\d.,]+%.*$/, '').trim();
        if (label && rec.phases[label] === undefined) rec.phases[label] = now;
      }
      const status = [...document.querySelectorAll('[role="status"]')].find((s) => /\bchats?\b/.test(s.textContent));
      if (status && rec.done === undefined) {
        rec.done = now;
        rec.status = status.textContent;
      }
      const alert = document.querySelector('[role="alert"]');
      if (alert && rec.error === undefined) rec.error = alert.textContent;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** In the page: click the chat whose title is `title`, and time until an article of its log is visible. */
function timeChatOpen(page, title, timeoutMs = 30_000) {
  return page.evaluate(
    ([title, timeoutMs]) =>
      new Promise((resolve, reject) => {
        const list = document.querySelector('ul[aria-label="Chats"]');
        const btn = [...(list?.querySelectorAll('li button') ?? [])].find((b) => b.querySelector('.chat-title')?.textContent === title);
        if (!btn) return reject(new Error(`no chat titled ${title} in the Chats list`));
        const t0 = performance.now();
        btn.click();
        const tick = () => {
          const now = performance.now();
          const log = [...document.querySelectorAll('[role="log"]')].find((l) => l.getAttribute('aria-label') === title);
          if (log) {
            const box = log.getBoundingClientRect();
            const visible = [...log.querySelectorAll('article')].filter((a) => {
              const r = a.getBoundingClientRect();
              return r.height > 0 && r.bottom > box.top && r.top < box.bottom;
            });
            if (visible.length > 0) {
              const pos = visible.map((a) => Number(a.dataset.pos)).filter(Number.isFinite);
              return resolve({ ms: now - t0, articles: visible.length, maxPos: pos.length ? Math.max(...pos) : null });
            }
          }
          if (now - t0 > timeoutMs) return reject(new Error(`no article of ${title} visible after ${timeoutMs} ms`));
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    [title, timeoutMs],
  );
}

/** The library's chats as stored (read-only look into the app's IndexedDB, for picking chats). */
function storedChats(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('unseal');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('chats').objectStore('chats').getAll();
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            resolve(get.result.map((c) => ({ id: c.id, title: c.title, messageCount: c.messageCount, archived: !!c.archived })));
            db.close();
          };
        };
      }),
  );
}

export async function importStage({ opens = 5, useDist = false, steps = new Set(), log }) {
  const backup = await ensureBackup('messages1m', log);
  const logs = resolve(OUT, 'logs');
  mkdirSync(logs, { recursive: true });
  log(`[import] building the app (${useDist ? 'npm run build → dist/' : 'vite build → bench-out/app'}) …\n`);
  if (useDist) await runLogged('npm', ['run', 'build'], resolve(logs, 'build.log'));
  else await runLogged('npx', ['vite', 'build', '--outDir', APP_OUT, '--emptyOutDir'], resolve(logs, 'build.log'));
  const preview = await startPreview(useDist ? undefined : APP_OUT, resolve(logs, 'preview.log'));
  const profile = resolve(OUT, `profile-${process.pid}`);
  rmSync(profile, { recursive: true, force: true });
  const sampler = new RssSampler();
  let context;
  try {
    context = await launchPersistent(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(preview.url);
    await page.getByRole('button', { name: 'Open', exact: true }).waitFor();
    await installPhaseRecorder(page);
    await page.getByLabel('Backup file').setInputFiles(backup.path);
    await page.getByRole('textbox', { name: '64-digit key' }).fill(backup.facts.key);
    await waitForQuiet();
    const idle = sampler.sampleNow();
    const cpu = new CpuMeter().start();
    log(`[import] opening ${backup.facts.messages.toLocaleString('en')} messages (${mb(backup.facts.encryptedBytes)} MB) through the UI …\n`);

    const progressLog = setInterval(async () => {
      const t = await page.locator('.progress p[aria-live]').textContent({ timeout: 200 }).catch(() => null);
      if (t) log(`[import]   ${t}\n`);
    }, 5000);
    let imported;
    try {
      imported = await sampler.during(async () => {
        await page.getByRole('button', { name: 'Open', exact: true }).click();
        await page.waitForFunction(() => window.__importRec.done !== undefined || window.__importRec.error !== undefined, null, {
          timeout: 9 * 60_000,
          polling: 100,
        });
        return page.evaluate(() => window.__importRec);
      });
    } finally {
      clearInterval(progressLog);
    }
    const othersCpuPct = cpu.othersPct();
    const rec = imported.value;
    if (rec.error !== undefined) throw new Error(`the import failed: ${rec.error}`);
    const seconds = (rec.done - rec.t0) / 1000;
    const phases = Object.entries(rec.phases)
      .sort((a, b) => a[1] - b[1])
      .map(([label, t], i, all) => ({ phase: label, startS: round((t - rec.t0) / 1000, 2), seconds: round(((all[i + 1]?.[1] ?? rec.done) - t) / 1000, 2) }));
    const after = sampler.sampleNow();
    log(`[import] done in ${round(seconds, 1)} s: "${rec.status}"; renderer peak ${mb(imported.peak.rendererMax)} MB\n`);
    const num = (re) => Number((rec.status.match(re)?.[1] ?? 'NaN').replace(/[^\d]/g, ''));
    const chatCount = num(/([\d.,\u202f\u00a0]+)\s*chats/);
    const messageCount = num(/([\d.,\u202f\u00a0]+)\s*messages/);

    // ---- the biggest chat, newest page first paint
    await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();
    const chats = await storedChats(page);
    const biggest = chats.reduce((a, b) => (b.messageCount > a.messageCount ? b : a));
    const small = chats.filter((c) => !c.archived && c.id !== biggest.id && c.title !== biggest.title).reduce((a, b) => (b.messageCount < a.messageCount ? b : a));
    if (biggest.archived) throw new Error(`the biggest chat (${biggest.title}) is archived; the bench clicks in the Chats list`);
    log(`[import] biggest chat: ${biggest.title} (${biggest.messageCount.toLocaleString('en')} messages); opening it ${opens}×\n`);
    const openSeries = async (label) => {
      const times = [];
      for (let i = 0; i < opens; i++) {
        if (i > 0 || label === 'idle') await timeChatOpen(page, small.title); // switch away so the conversation remounts
        const r = await timeChatOpen(page, biggest.title);
        times.push({ ...r, ms: round(r.ms, 1) });
        log(`[import]   open #${i + 1} (${label}): ${round(r.ms, 1)} ms (${r.articles} articles visible, newest pos ${r.maxPos})\n`);
      }
      return times;
    };
    // 1. right after the import: the worker indexes for search in the background meanwhile
    const duringIndexing = await openSeries('while indexing');

    // 2. wait until search answers (the index is built), through the UI's search box
    log('[import] waiting for the search index (searchbox "Search messages" → status "N results") …\n');
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    let indexing;
    try {
      indexing = await sampler.during(async () => {
        await search.fill('coffee');
        await page.getByRole('status').filter({ hasText: /\d\s*results?\b/ }).first().waitFor({ timeout: 6 * 60_000 });
        return page.evaluate(([done]) => ({ readyAfterImportS: (performance.now() - done) / 1000 }), [rec.done]);
      });
      log(`[import] search ready ${round(indexing.value.readyAfterImportS, 1)} s after the import finished; renderer peak meanwhile ${mb(indexing.peak.rendererMax)} MB\n`);
    } catch (e) {
      log(`[import] search index not ready: ${e.message.split('\n')[0]}\n`);
    }
    await search.fill('');
    await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();

    // 3. idle: the number to compare
    const openTimes = await openSeries('idle');
    const header = await page.locator('.conv').getByText(/messages/).first().textContent().catch(() => '');

    // ---- cold: reload the app, open the library from the Libraries list, then the chat
    await page.reload();
    await page.getByRole('list', { name: 'Libraries', exact: true }).getByRole('button').first().click();
    await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();
    const cold = await timeChatOpen(page, biggest.title);
    log(`[import]   after reload: ${round(cold.ms, 1)} ms\n`);

    // ---- on this library, in this session: search, export, media, encrypted copy (stage-library.mjs)
    const library = await libraryStage({ page, context, sampler, biggest: { title: biggest.title, messages: biggest.messageCount }, steps, log });
    if (problems.length) log(`[import] page problems: ${problems.join(' | ')}\n`);

    return {
      file: backup.path,
      cipherBytes: backup.facts.encryptedBytes,
      plainBytes: backup.facts.plainBytes,
      messagesInBackup: backup.facts.messages,
      seconds: round(seconds, 2),
      status: rec.status,
      chatCount,
      messageCount,
      phases,
      othersCpuPct,
      rendererIdleMB: mb(idle.rendererMax),
      rendererPeakMB: mb(imported.peak.rendererMax),
      rendererSumPeakMB: mb(imported.peak.rendererSum),
      treePeakMB: mb(imported.peak.tree),
      rendererAfterMB: mb(after.rendererMax),
      biggestChat: { title: biggest.title, messages: biggest.messageCount, header },
      searchIndex: indexing
        ? { readyAfterImportS: round(indexing.value.readyAfterImportS, 1), rendererPeakMB: mb(indexing.peak.rendererMax), treePeakMB: mb(indexing.peak.tree) }
        : null,
      chatOpen: {
        duringIndexing: { opens: duringIndexing, medianMs: round(median(duringIndexing.map((o) => o.ms)), 1) },
        opens: openTimes,
        firstMs: openTimes[0].ms,
        medianMs: round(median(openTimes.map((o) => o.ms)), 1),
        afterReloadMs: round(cold.ms, 1),
        newestShown: [...duringIndexing, ...openTimes, cold].every((o) => o.maxPos === biggest.messageCount - 1),
      },
      library,
      problems,
    };
  } finally {
    sampler.stop();
    await context?.close().catch(() => {});
    preview.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
