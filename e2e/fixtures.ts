import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
