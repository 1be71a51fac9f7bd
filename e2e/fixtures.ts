import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = process.env.UNSEAL_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
export const APP_ORIGIN = `http://127.0.0.1:${process.env.UNSEAL_E2E_PORT ?? 4173}`;

export function sharedPath(relative: string): string {
  return resolve(SHARED, relative);
}
export function sharedText(relative: string): string {
  return readFileSync(sharedPath(relative), 'utf8');
}

/**
 * Every test gets a context that blocks and records any request leaving the app's origin;
 * the test fails if there was one. Dialogs (alert/confirm) are recorded too: none may open.
 */
export const test = base.extend<{ offOrigin: string[]; dialogs: string[] }>({
  offOrigin: async ({ context }, use) => {
    const seen: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(APP_ORIGIN + '/') || url === APP_ORIGIN) return route.continue();
      seen.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(APP_ORIGIN) && !url.startsWith('data:') && !url.startsWith('blob:')) seen.push(url);
    });
    await use(seen);
    expect(seen, 'requests that left the app origin').toEqual([]);
  },
  dialogs: async ({ context }, use) => {
    const opened: string[] = [];
    context.on('dialog', (dialog) => {
      opened.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await use(opened);
    expect(opened, 'dialogs opened').toEqual([]);
  },
  page: async ({ page, offOrigin, dialogs }, use) => {
    void offOrigin;
    void dialogs;
    await use(page);
  },
});

export { expect };

/** Every file below the local directory `dir`, by path relative to it. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** The bundled demo backup and its key (public/demo, made by scripts/make-demo.ts). */
export const DEMO = resolve('public/demo/msgstore.db.crypt15');
export const DEMO_KEY_HEX = readFileSync(resolve('public/demo/demo-key.txt'), 'utf8').replace(/\s/g, '');

/** Opens the demo backup from the start screen and waits for its summary. */
export async function openDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo backup' }).click();
  await expect(page.getByRole('status').first()).toContainText('chats');
}

/** Scrolls the log upwards until `target` is in the DOM (the log renders only rows near the viewport). */
export async function scrollUntil(log: Locator, target: Locator): Promise<void> {
  for (let i = 0; i < 60 && (await target.count()) === 0; i++) {
    await log.evaluate((el) => el.scrollBy(0, -400));
    await log.page().waitForTimeout(50);
  }
  await target.first().scrollIntoViewIfNeeded();
}

/**
 * The files in this origin's OPFS below the directory `under` ('' for all of it), as paths
 * relative to it, sorted, with their sizes (-1 when another context holds the file open).
 */
export function opfsFiles(page: Page, under = ''): Promise<{ path: string; size: number }[]> {
  return page.evaluate(async (under) => {
    type Dir = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
    const files: { path: string; size: number }[] = [];
    async function walk(dir: Dir, prefix: string) {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle as Dir, `${prefix}${name}/`);
        else {
          let size = -1;
          try {
            size = (await (handle as FileSystemFileHandle).getFile()).size;
          } catch {
            // Held open by the worker's SQLite pool.
          }
          files.push({ path: `${prefix}${name}`, size });
        }
      }
    }
    let dir = (await navigator.storage.getDirectory()) as Dir;
    try {
      for (const part of under.split('/').filter(Boolean)) dir = (await dir.getDirectoryHandle(part)) as Dir;
    } catch {
      return files; // no such directory: no files
    }
    await walk(dir, '');
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }, under);
}

/** The paths of `opfsFiles`. */
export async function opfsPaths(page: Page, under = ''): Promise<string[]> {
  return (await opfsFiles(page, under)).map((f) => f.path);
}
