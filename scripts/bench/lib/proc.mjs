// Process-tree RSS sampling from outside the browser, through /proc (Linux only).
// The browser is a descendant of this Node process (/usr/bin/chromium is a shell wrapper that
// starts /usr/lib/chromium/chromium, which starts the zygote, which forks the renderers).
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const fields = s.slice(close + 2).split(' ');
    return { ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

function cmdline(pid) {
  try {
    // Chromium's children rewrite their title into one space-separated string.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return [];
  }
}

/** RSS in bytes, or 0 when the process is gone. */
export function rssOf(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
  } catch {
    return 0;
  }
}

/**
 * Every Chromium descendant of `root`: `type` is the --type= ('renderer', 'zygote', 'gpu-process',
 * 'utility', …) or 'browser'; `sub` the utility sub-type; `tab` true for web-content renderers.
 */
export function descendants(root = process.pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(name);
    if (!st) continue;
    const pid = Number(name);
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(pid);
  }
  const out = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift();
    const argv = cmdline(pid);
    const exe = argv[0] ?? '';
    if (/chrom/i.test(exe) || argv.some((a) => a.startsWith('--type='))) {
      const typeArg = argv.find((a) => a.startsWith('--type='));
      const type = typeArg ? typeArg.slice(7) : /\/chromium$/.test(exe) && !/\/usr\/bin\//.test(exe) ? 'browser' : 'other';
      const sub = argv.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
      // --top-chrome-webui: the browser's own UI renderer, not the tab
      out.push({ pid, type, sub, tab: type === 'renderer' && !argv.includes('--extension-process') && !argv.includes('--top-chrome-webui') });
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Samples every `intervalMs`: the largest renderer RSS, the sum over renderers, and the whole
 * browser tree. The pid list is refreshed every `rescanMs` (new renderers appear on navigation).
 */
export class RssSampler {
  constructor({ intervalMs = 50, rescanMs = 500 } = {}) {
    this.intervalMs = intervalMs;
    this.rescanMs = rescanMs;
    this.procs = [];
    this.lastScan = 0;
    this.timer = undefined;
    this.reset();
  }

  reset() {
    this.peak = { rendererMax: 0, rendererSum: 0, storage: 0, browser: 0, tree: 0 };
    this.samples = 0;
  }

  sampleNow() {
    const now = Date.now();
    if (now - this.lastScan > this.rescanMs || this.procs.length === 0) {
      this.procs = descendants();
      this.lastScan = now;
    }
    let rMax = 0;
    let rSum = 0;
    let tree = 0;
    let storage = 0;
    let browser = 0;
    for (const p of this.procs) {
      const rss = rssOf(p.pid);
      tree += rss;
      if (p.tab) {
        rMax = Math.max(rMax, rss);
        rSum += rss;
      } else if (p.type === 'browser') browser += rss;
      else if (p.sub === 'storage.mojom.StorageService') storage += rss;
    }
    this.samples++;
    this.peak.rendererMax = Math.max(this.peak.rendererMax, rMax);
    this.peak.rendererSum = Math.max(this.peak.rendererSum, rSum);
    this.peak.tree = Math.max(this.peak.tree, tree);
    this.peak.storage = Math.max(this.peak.storage, storage);
    this.peak.browser = Math.max(this.peak.browser, browser);
    return { rendererMax: rMax, rendererSum: rSum, storage, browser, tree };
  }

  start() {
    this.stop();
    this.sampleNow();
    this.timer = setInterval(() => this.sampleNow(), this.intervalMs);
    return this;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs `fn` while sampling; returns its result and the peaks (bytes) seen during it. */
  async during(fn) {
    this.reset();
    const before = this.sampleNow();
    this.start();
    try {
      const value = await fn();
      this.sampleNow();
      return { value, before, peak: { ...this.peak }, samples: this.samples };
    } finally {
      this.stop();
    }
  }
}

export const MB = (bytes) => Math.round(bytes / 1e6);

/** System-wide CPU jiffies (all CPUs) and busy jiffies, from /proc/stat. */
function cpuTotals() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = f[3] + (f[4] ?? 0);
  return { total, busy: total - idle };
}

function procCpu(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/**
 * CPU used by everything except this Node process and its browser (other people's builds and
 * tests on the same VM), as a share of the whole machine (0–100 %).
 */
export class CpuMeter {
  start() {
    this.t = cpuTotals();
    this.pids = [process.pid, ...descendants().map((p) => p.pid)];
    this.mine = this.pids.reduce((n, pid) => n + procCpu(pid), 0);
    return this;
  }
  /** Percent of all CPUs busy with other work since start(). */
  othersPct() {
    const t = cpuTotals();
    const pids = new Set([...this.pids, ...descendants().map((p) => p.pid)]);
    const mine = [...pids].reduce((n, pid) => n + procCpu(pid), 0);
    const total = t.total - this.t.total;
    const others = t.busy - this.t.busy - Math.max(0, mine - this.mine);
    return total > 0 ? Math.max(0, Math.round((others / total) * 100)) : 0;
  }
}

/** Waits (up to `maxMs`) until other work uses less than `pct` % of the machine over 1 s. */
export async function waitForQuiet({ pct = 15, maxMs = 8_000 } = {}) {
  const t0 = Date.now();
  let last = 0;
  while (Date.now() - t0 < maxMs) {
    const m = new CpuMeter().start();
    await new Promise((r) => setTimeout(r, 1000));
    last = m.othersPct();
    if (last < pct) return { waitedMs: Date.now() - t0, othersPct: last };
  }
  return { waitedMs: Date.now() - t0, othersPct: last };
}

/**
 * Before a "before"/"idle" RSS sample: a full garbage collection in the page (the bench's
 * Chromium runs with --expose-gc; workers are not reached), a moment for the renderer to return
 * memory, then a quiet machine.
 */
export async function settle(page) {
  await page.evaluate(() => globalThis.gc?.()).catch(() => {});
  await new Promise((r) => setTimeout(r, 1000));
  await waitForQuiet();
}
