/**
 * Renders public/icon.svg into the PNG icons the manifest lists, with Debian's Chromium through
 * Playwright (nothing is downloaded): icon-192.png and icon-512.png (transparent corners), and
 * icon-maskable-512.png (full-bleed background, the artwork inside the 80% safe zone).
 *
 *   npx tsx scripts/make-icons.ts
 */
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PUBLIC = resolve(import.meta.dirname, '../public');
const BACKGROUND = '#0b6e4f';
const svg = readFileSync(resolve(PUBLIC, 'icon.svg'));
const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  async function render(file: string, size: number, maskable: boolean) {
    await page.setViewportSize({ width: size, height: size });
    const inner = maskable ? Math.round(size * 0.8) : size;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;` +
        `background:${maskable ? BACKGROUND : 'transparent'}"><img src="${src}" width="${inner}" height="${inner}"></body></html>`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    writeFileSync(resolve(PUBLIC, file), await page.screenshot({ omitBackground: !maskable, type: 'png' }));
    console.log(`public/${file} (${size}×${size}${maskable ? ', maskable' : ''})`);
  }
  await render('icon-192.png', 192, false);
  await render('icon-512.png', 512, false);
  await render('icon-maskable-512.png', 512, true);
} finally {
  await browser.close();
}
