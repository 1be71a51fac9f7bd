// Dev-only: drives scripts/harness/conversation.html in Debian Chromium and prints numbers.
// Usage: node scripts/harness/check-conversation.mjs [baseUrl] (vite must be serving the root)
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:5174';
const url = (q = '') => `${base}/scripts/harness/conversation.html${q}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-smooth-scrolling'],
});
const out = {};
const problems = [];

async function open(q, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...opts });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${q}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${q}: pageerror ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`${q}: a dialog opened (${d.message()}): message text ran as code`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`off-origin request ${r.url()}`);
  });
  await page.goto(url(q));
  await page.waitForFunction(() => window.__harness?.firstPaint !== undefined, null, { timeout: 15000 });
  await page.waitForTimeout(300);
  return { ctx, page };
}

const stats = (page) =>
  page.evaluate(() => {
    const log = document.querySelector('[role="log"]');
    return {
      articles: log.querySelectorAll('article').length,
      rows: log.querySelectorAll('.conv-row').length,
      domNodes: log.querySelectorAll('*').length,
      scrollTop: Math.round(log.scrollTop),
      scrollHeight: log.scrollHeight,
      clientHeight: log.clientHeight,
      firstPos: Number(log.querySelector('article')?.dataset.pos),
      lastPos: Number([...log.querySelectorAll('article')].at(-1)?.dataset.pos),
      loads: window.__harness.loads.length,
    };
  });

// 1. Open at the newest message.
{
  const { ctx, page } = await open('');
  const h = await page.evaluate(() => ({ firstArticle: window.__harness.firstArticle, firstPaint: window.__harness.firstPaint }));
  out.open = { ...h, ...(await stats(page)) };
  out.warmOpen = [];
  for (let i = 0; i < 3; i++) out.warmOpen.push(await page.evaluate(() => window.__harness.remount()));
  await page.waitForTimeout(300);
  // Newest message visible at the bottom?
  out.open.newestVisible = await page.evaluate(() => {
    const log = document.querySelector('[role="log"]');
    const a = log.querySelector(`article[data-pos="${window.__harness.N - 1}"]`);
    if (!a) return false;
    const r = a.getBoundingClientRect();
    const l = log.getBoundingClientRect();
    return r.bottom <= l.bottom + 1 && r.top >= l.top - 1 && l.bottom - r.bottom < 40;
  });
  await page.screenshot({ path: '/tmp/conv-open.png' });
  out.roleLog = await page.getByRole('log', { name: 'Weekend trip 🏕️' }).count();
  out.messagesText = await page.getByText(/100,000 messages/).count();

  // 2. Scroll up to the very top by wheel-like steps (large jumps), then check.
  const t0 = Date.now();
  let steps = 0;
  for (;;) {
    const top = await page.evaluate(() => {
      const log = document.querySelector('[role="log"]');
      log.scrollTop = Math.max(0, log.scrollTop - 200_000);
      return log.scrollTop;
    });
    steps++;
    await page.waitForTimeout(30);
    if (top <= 0) break;
    if (steps > 500) break;
  }
  await page.waitForTimeout(500);
  // Settle: once rows are measured, keep going up until really at the top.
  for (let i = 0; i < 20; i++) {
    const top = await page.evaluate(() => {
      const log = document.querySelector('[role="log"]');
      log.scrollTop = 0;
      return log.scrollTop;
    });
    await page.waitForTimeout(100);
    if (top === 0 && (await page.evaluate(() => document.querySelector('[role="log"]').scrollTop)) === 0) break;
  }
  out.top = { ms: Date.now() - t0, steps, ...(await stats(page)) };
  out.top.hasFirst = await page.locator('article[data-pos="0"]').count();
  await page.screenshot({ path: '/tmp/conv-top.png' });

  // 3. Smooth scroll: wheel down from the top a few hundred times, check the anchor is stable.
  const positions = [];
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(500, 400);
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(16);
    positions.push(await page.evaluate(() => Number(document.querySelector('[role="log"] article')?.dataset.pos)));
  }
  out.wheel = { firstPosAfter: positions.at(-1), ...(await stats(page)) };
  await page.screenshot({ path: '/tmp/conv-wheel.png' });

  // 4. Scroll up a little at a time from the middle with a slow page (jumps must not happen).
  await ctx.close();
}

// 5. Slow loads, wheel upwards from the newest: the visible message must not jump when older pages arrive.
{
  const { ctx, page } = await open('?delay=120');
  const jumps = [];
  await page.mouse.move(500, 400);
  for (let i = 0; i < 80; i++) {
    const before = await page.evaluate(() => {
      const log = document.querySelector('[role="log"]');
      const l = log.getBoundingClientRect();
      const arts = [...log.querySelectorAll('article')].filter((a) => {
        const r = a.getBoundingClientRect();
        return r.top >= l.top && r.bottom <= l.bottom;
      });
      const a = arts[Math.floor(arts.length / 2)];
      return a ? { pos: a.dataset.pos, top: a.getBoundingClientRect().top } : null;
    });
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(40);
    if (before) {
      const after = await page.evaluate((pos) => {
        const a = document.querySelector(`[role="log"] article[data-pos="${pos}"]`);
        return a ? a.getBoundingClientRect().top : null;
      }, before.pos);
      if (after !== null) jumps.push(Math.round(after - before.top - 400));
    }
  }
  // Expected delta per step is +400 (content moves down by the wheel amount).
  out.slowUp = { maxDeviation: Math.max(...jumps.map(Math.abs)), deviations: jumps.filter((j) => Math.abs(j) > 2).slice(0, 20), ...(await stats(page)) };
  await page.screenshot({ path: '/tmp/conv-slow.png' });
  await ctx.close();
}

// 6. focusPos opens in the middle, highlighted; a quote jump moves there.
{
  const { ctx, page } = await open('?focus=50000');
  out.focus = await page.evaluate(() => {
    const log = document.querySelector('[role="log"]');
    const a = log.querySelector('article[data-pos="50000"]');
    if (!a) return { found: false };
    const r = a.getBoundingClientRect();
    const l = log.getBoundingClientRect();
    return {
      found: true,
      highlighted: a.classList.contains('is-highlighted'),
      focused: document.activeElement === a,
      centreOffset: Math.round((r.top + r.bottom) / 2 - (l.top + l.bottom) / 2),
    };
  });
  await page.screenshot({ path: '/tmp/conv-focus.png' });
  const quote = page.locator('button.msg-quote-link').first();
  if (await quote.count()) {
    const label = await quote.getAttribute('aria-label');
    const target = await quote.evaluate((b) => b.closest('article').dataset.pos);
    await quote.click();
    await page.waitForTimeout(400);
    out.quoteJump = await page.evaluate(() => {
      const a = document.activeElement;
      return { focusedPos: a?.dataset?.pos, highlighted: a?.classList.contains('is-highlighted') };
    });
    out.quoteJump.from = target;
    out.quoteJump.label = label;
  }
  await ctx.close();
}

// 7. Jump to date: O(log pages) loads.
{
  const { ctx, page } = await open('');
  const before = await page.evaluate(() => window.__harness.loads.length);
  const target = await page.evaluate(() => {
    const d = new Date(Date.now() - 400 * 86400_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await page.getByLabel('Jump to date').fill(target);
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await page.waitForTimeout(600);
  out.dateJump = await page.evaluate(([before, target]) => {
    const log = document.querySelector('[role="log"]');
    const a = document.activeElement;
    const [y, m, d] = target.split('-').map(Number);
    const midnight = new Date(y, m - 1, d).getTime();
    return {
      target,
      loadsDuringSearch: window.__harness.loads.length - before,
      pages: Math.ceil(window.__harness.N / window.__harness.pageSize),
      focusedPos: a?.dataset?.pos,
      focusedTime: new Date(window.__harness.tsOf(Number(a?.dataset?.pos))).toISOString(),
      previousTime: new Date(window.__harness.tsOf(Number(a?.dataset?.pos) - 1)).toISOString(),
      midnight: new Date(midnight).toISOString(),
      articles: log.querySelectorAll('article').length,
    };
  }, [before, target]);
  await page.screenshot({ path: '/tmp/conv-date.png' });

  // Keyboard: Home/End on the focused log.
  await page.getByRole('log').focus();
  await page.keyboard.press('Home');
  await page.waitForTimeout(500);
  await page.keyboard.press('Home');
  await page.waitForTimeout(300);
  out.keyHome = await stats(page);
  await page.keyboard.press('End');
  await page.waitForTimeout(400);
  out.keyEnd = await stats(page);
  await page.keyboard.press('PageUp');
  await page.waitForTimeout(200);
  out.keyPageUp = (await stats(page)).scrollTop;
  await ctx.close();
}

// 8. Hostile text stays text; links are safe; empty chats and failed pages.
{
  const { ctx, page } = await open('?n=2000');
  // Walk the whole chat once so every synthetic text variant has been on screen.
  const seen = await page.evaluate(async () => {
    const log = document.querySelector('[role="log"]');
    let badImgs = 0;
    let badLinks = 0;
    let hostile = 0;
    for (let top = log.scrollHeight; top > 0; top -= log.clientHeight) {
      log.scrollTop = top;
      await new Promise((r) => setTimeout(r, 20));
      badImgs += [...log.querySelectorAll('img')].filter((i) => !i.src.startsWith('blob:')).length;
      badLinks += [...log.querySelectorAll('a')].filter(
        (a) => !/^(https?:|mailto:|tel:)/.test(a.href) || (a.target === '_blank' && a.rel !== 'noopener noreferrer'),
      ).length;
      hostile += [...log.querySelectorAll('.msg-text')].filter((t) => t.textContent.includes('<img src=x onerror=alert(1)>')).length;
    }
    return { badImgs, badLinks, hostileShownAsText: hostile };
  });
  out.hostile = seen;
  await ctx.close();
  const empty = await open('?n=0').catch(() => null);
  if (empty) await empty.ctx.close();
  const e2 = await browser.newPage();
  await e2.goto(url('?n=0'));
  await e2.waitForTimeout(500);
  out.empty = await e2.evaluate(() => ({ text: document.querySelector('[role="log"]')?.textContent, sub: document.querySelector('.conv-sub')?.textContent }));
  await e2.close();
  const f = await browser.newPage();
  await f.goto(url('?fail=399&delay=30'));
  await f.waitForTimeout(600);
  out.fail = { alert: await f.getByRole('alert').textContent() };
  await f.getByRole('button', { name: 'Retry' }).click();
  await f.waitForTimeout(400);
  out.fail.afterRetry = await f.evaluate(() => ({ alerts: document.querySelectorAll('[role=alert]').length, articles: document.querySelectorAll('article').length }));
  await f.close();
}

// 9. Dark mode + small screen screenshots.
{
  const { ctx, page } = await open('', { colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/conv-dark.png' });
  await ctx.close();
  const m = await open('?kind=person', { viewport: { width: 390, height: 800 } });
  await m.page.screenshot({ path: '/tmp/conv-mobile.png' });
  await m.ctx.close();
}

console.log(JSON.stringify(out, null, 1));
console.log('problems:', problems.length ? problems : 'none');
await browser.close();
