import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-smooth-scrolling'] });
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
await page.goto('http://127.0.0.1:5175/scripts/harness/conversation.html?delay=120');
await page.waitForFunction(() => window.__harness?.firstPaint !== undefined);
await page.waitForTimeout(300);
await page.mouse.move(500, 400);
const snap = () => page.evaluate(() => { const log = document.querySelector('[role="log"]'); const m = {}; for (const a of log.querySelectorAll('article')) { const r = a.closest('.conv-row').getBoundingClientRect(); m[a.dataset.pos] = Math.round(a.getBoundingClientRect().top); m['h' + a.dataset.pos] = Math.round(r.height); } return { st: Math.round(log.scrollTop), m, ph: log.querySelectorAll('[data-placeholder]').length }; });
for (let i = 0; i < 80; i++) {
  const b = await snap();
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(40);
  const a = await snap();
  const d = Object.keys(b.m).filter(k => !k.startsWith('h') && k in a.m).map(k => [k, a.m[k] - b.m[k] - 400]).filter(([k, v]) => v !== 0 && b.m[k] > 60 && b.m[k] < 800);
  const hc = Object.keys(b.m).filter(k => k.startsWith('h') && k in a.m && a.m[k] !== b.m[k]).map(k => [k, b.m[k], a.m[k]]);
  if (hc.length) console.log('height changes', JSON.stringify(hc));
  if (d.length) console.log(i, 'st', b.st, '->', a.st, 'ph', b.ph, a.ph, JSON.stringify(d));
}
await browser.close();
