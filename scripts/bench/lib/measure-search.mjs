// Search on the imported 1M library, through the UI's search box (searchbox "Search messages").
//
// Each query: the box is cleared (the sidebar goes back to the chat list), then the query is typed
// with Playwright's fill() (one `input` event). The app waits 120 ms after the last keystroke
// before it asks the worker (src/ui/search/SearchPanel.tsx, product behaviour, kept), so each
// query is timed twice: from the `input` event (what a person waits, debounce included) and from
// the moment the debounce fires, i.e. when the page posts the `search` request to the worker
// (seen by wrapping Worker.prototype.postMessage in the page; nothing else is changed). The
// worker answers the first request (offset 0) with the first 20 hits *and*, for words, the exact
// total in one response, so the first result and the "N results" status are drawn in the same
// render; a quoted phrase answers with its first hits before its exact count ("N results so
// far, counting…"), which comes with the app's second request (30 more hits). Both are reported.
import { settle } from './proc.mjs';
import { mb, median, percentile, round } from './stats.mjs';

/**
 * 50 queries over the generated text (scripts/make-big-backup.ts): rare = 8-hex-digit tails of
 * the 1 % of messages that carry an https://example.com/<hex> link (one message each, seed 1);
 * common = words of its English, Hindi and Arabic vocabularies (~20k–140k messages each);
 * multi-word = several words that must all occur, and quoted phrases.
 */
export const QUERIES = [
  // rare (12)
  ...['b4f88b10', 'dbe0e958', '68dea4f8', '52006b40', '5ae888c6', '7f80a000', 'fbd8f290', 'ec9099b0', '2df108c3', 'aa08fce4', '6909474c', 'f8b285d0'].map((q) => ['rare', q]),
  // common (20)
  ...['the', 'coffee', 'birthday', 'flight', 'hotel', 'weather', 'congrats', 'amazing', 'sunny', 'tomorrow', 'ok', 'love', 'dinner', 'photo', 'खाना', 'बारिश', 'धन्यवाद', 'القهوة', 'رمضان', 'مبروك'].map((q) => ['common', q]),
  // multi-word (18)
  ...['coffee tomorrow', 'flight hotel', 'rain cold', 'dinner tonight', 'happy birthday', 'see you', 'good morning', 'train late', 'weekend plans trip', 'photo amazing beautiful', 'चाय सुबह', 'القهوة الشاي']
    .map((q) => ['multi-word', q]),
  ...['"good morning"', '"thank you"', '"see you"', '"happy birthday"', '"coffee tomorrow"', '"see you later"'].map((q) => ['phrase', q]),
];

/** Wraps Worker.prototype.postMessage once to see when a search request leaves and its answer comes back. */
function installSearchProbe(page) {
  return page.evaluate(() => {
    if (window.__benchSearchProbe) return;
    window.__benchSearchProbe = true;
    const hooked = new WeakSet();
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg, ...rest) {
      const rec = window.__searchRec;
      if (rec && msg && msg.op === 'search') rec.searches.push(msg.id);
      if (rec && msg && msg.op === 'search' && msg.args?.offset === 0) {
        rec.posts.push({ id: msg.id, t: performance.now() });
        if (!hooked.has(this)) {
          hooked.add(this);
          this.addEventListener('message', (e) => {
            const r = window.__searchRec;
            const d = e.data;
            if (!r || !d || d.type !== 'result' || d.value?.state !== 'ready') return;
            if (r.searches.includes(d.id) && d.value.totalExact) r.exactTotal = d.value.total;
            if (r.posts.some((p) => p.id === d.id)) r.resp = { id: d.id, t: performance.now(), total: d.value.total, workerMs: d.value.ms, hits: d.value.hits.length };
          });
        }
      }
      return post.call(this, msg, ...rest);
    };
  });
}

/** Arms the recorder for one query; resolves nothing (the result is read with `readRec`). */
function arm(page, q) {
  return page.evaluate((q) => {
    const box = document.querySelector('input[aria-label="Search messages"]');
    const rec = { q, tInput: undefined, posts: [], searches: [], exactTotal: undefined, resp: undefined, tFirst: undefined, tCount: undefined, countText: undefined, done: false };
    window.__searchRec = rec;
    box.addEventListener('input', () => (rec.tInput ??= performance.now()), { capture: true, once: true });
    const check = () => {
      if (rec.tInput === undefined) return;
      const now = performance.now();
      const first = document.querySelector('ul[aria-label="Search results"] li');
      if (first && rec.tFirst === undefined) rec.tFirst = now;
      const status = document.querySelector('.search-panel [role="status"]');
      if (status && /\bresults?$/.test(status.textContent) && rec.tCount === undefined) {
        rec.tCount = now;
        rec.countText = status.textContent;
      }
      if (rec.tCount !== undefined && (rec.tFirst !== undefined || /^0 results$/.test(rec.countText))) {
        rec.done = true;
        obs.disconnect();
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, q);
}

async function oneQuery(page, search, q, timeoutMs = 30_000) {
  await search.fill('');
  await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();
  await arm(page, q);
  await search.fill(q);
  await page.waitForFunction(() => window.__searchRec.done, null, { timeout: timeoutMs, polling: 'raf' });
  const r = await page.evaluate(() => window.__searchRec);
  const post = r.posts.at(-1)?.t;
  const count = Number((r.countText.match(/^([\d.,\u202f\u00a0 ]+)\s*results?$/)?.[1] ?? 'NaN').replace(/[^\d]/g, ''));
  return {
    q,
    results: count,
    workerTotal: r.exactTotal ?? null,
    requests: r.posts.length,
    firstFromInputMs: r.tFirst !== undefined ? round(r.tFirst - r.tInput, 1) : null,
    countFromInputMs: round(r.tCount - r.tInput, 1),
    debounceMs: post !== undefined ? round(post - r.tInput, 1) : null,
    firstFromRequestMs: r.tFirst !== undefined && post !== undefined ? round(r.tFirst - post, 1) : null,
    countFromRequestMs: post !== undefined ? round(r.tCount - post, 1) : null,
    workerMs: r.resp ? round(r.resp.workerMs, 1) : null,
    // The answer reaching the page (engine, hit messages read, structured clone) from the request.
    answerFromRequestMs: r.resp && post !== undefined ? round(r.resp.t - post, 1) : null,
  };
}

const stats = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x));
  return v.length ? { n: v.length, median: round(median(v), 1), p95: round(percentile(v, 95), 1), max: round(Math.max(...v), 1) } : null;
};

/** The search series. `page` shows the 1M library (index built); leaves the search box empty. */
export async function measureSearch({ page, sampler, log, queries = QUERIES }) {
  const search = page.getByRole('searchbox', { name: 'Search messages' });
  await installSearchProbe(page);
  // Warm-up: the first query after the app (re)loaded also loads the index in the worker.
  const warm = await oneQuery(page, search, 'weather', 120_000);
  log(`[search] warm-up "weather": ${warm.results} results, ${warm.countFromInputMs} ms from input (first query of this worker)\n`);
  await search.fill('');
  await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();
  await settle(page);
  const idle = sampler.sampleNow();
  // One RSS-sampled run per kind of query, in QUERIES order, so each kind's peak is known too.
  const runs = [];
  const byKind = {};
  let peak = 0;
  for (const kind of [...new Set(queries.map(([k]) => k))]) {
    const run = await sampler.during(async () => {
      const out = [];
      for (const [k, q] of queries) {
        if (k !== kind) continue;
        const r = { kind, ...(await oneQuery(page, search, q)) };
        out.push(r);
        log(`[search]   ${kind.padEnd(10)} ${JSON.stringify(q).padEnd(26)} ${String(r.results).padStart(7)} results · from input ${r.countFromInputMs} ms · from request: first ${r.firstFromRequestMs} ms, count ${r.countFromRequestMs} ms (answer ${r.answerFromRequestMs} ms, engine ${r.workerMs} ms)\n`);
      }
      return out;
    });
    runs.push(...run.value);
    peak = Math.max(peak, run.peak.rendererMax);
    const rs = run.value;
    byKind[kind] = {
      n: rs.length,
      firstFromRequest: stats(rs.map((r) => r.firstFromRequestMs)),
      countFromRequest: stats(rs.map((r) => r.countFromRequestMs)),
      answerFromRequest: stats(rs.map((r) => r.answerFromRequestMs)),
      worker: stats(rs.map((r) => r.workerMs)),
      rendererPeakMB: mb(run.peak.rendererMax),
    };
  }
  await search.fill('');
  await page.getByRole('list', { name: 'Chats', exact: true }).waitFor();
  const mismatched = runs.filter((r) => r.workerTotal !== null && r.workerTotal !== r.results).map((r) => r.q);
  return {
    queries: runs.length,
    debounceMs: stats(runs.map((r) => r.debounceMs)),
    firstFromInput: stats(runs.map((r) => r.firstFromInputMs)),
    countFromInput: stats(runs.map((r) => r.countFromInputMs)),
    firstFromRequest: stats(runs.map((r) => r.firstFromRequestMs)),
    countFromRequest: stats(runs.map((r) => r.countFromRequestMs)),
    worker: stats(runs.map((r) => r.workerMs)),
    // Words only: a phrase shows its first hits before its exact count.
    sameRender: runs.filter((r) => r.kind !== 'phrase').every((r) => r.firstFromInputMs === null || r.firstFromInputMs === r.countFromInputMs),
    byKind,
    warmup: warm,
    rendererIdleMB: mb(idle.rendererMax),
    rendererPeakMB: mb(peak),
    rendererAboveIdleMB: mb(peak - idle.rendererMax),
    mismatched,
    runs,
  };
}
