// Launching Debian's Chromium the way shared/bench/README.md measured it. Nothing is downloaded.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--js-flags=--expose-gc',
];

/**
 * A persistent context on a fresh profile directory, so IndexedDB and OPFS live on disk as for a
 * real user (Playwright's ordinary contexts are off-the-record: in-memory storage).
 */
export function launchPersistent(userDataDir, opts = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    ...opts,
  });
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (e) {
    return `unknown (${e.message})`;
  }
}
