#!/usr/bin/env node
// `npm run bench`: measures Unseal's pipeline in headless Debian Chromium and writes
// bench-out/results.md and bench-out/results.json.
//
//   node scripts/bench/run.mjs              both stages
//   node scripts/bench/run.mjs decrypt      decrypt stage only (bench page + worker over src/core/backup)
//   node scripts/bench/run.mjs import       import stage only (the real app through its UI), with every
//                                           step on the imported 1M library (below)
//   node scripts/bench/run.mjs search media the import stage with only these steps (any of
//                                           search, export, media, archive; the import always runs:
//                                           the steps use the library it made, in the same browser)
//
// Steps on the imported library (scripts/bench/lib/stage-library.mjs), in this order:
//   search   50 queries (rare, common, multi-word, phrases) through the search box: first result
//            and exact count, from the input event (the app's 120 ms debounce included) and from
//            the request the debounce sends; renderer RSS while searching vs idle
//   export   `Export chat` of the biggest chat (122,241 messages) to .html: click → download saved,
//            peak renderer RSS; then the file opened from file:// until its newest message shows
//   media    `Link WhatsApp folder` with 20,000 generated media files (cached in bench-out/)
//   archive  `Save encrypted copy` of the whole library, then opening the .unseal with its
//            passphrase (a second library): times, MiB/s, peak renderer RSS
// Options: --reps N (decrypt runs per mode, default 3) · --opens N (opens of the biggest chat,
// default 5) · --no-1g (skip the 1 GiB decrypt variant) · --dist (build with `npm run build`
// and serve dist/ instead of a private build in bench-out/app) · --no-search, --no-export,
// --no-media, --no-archive (skip that step) · --no-steps (the import stage alone).
// Targets are reported as met/missed; the exit code is non-zero only when something failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { chromiumVersion } from './lib/browser.mjs';
import { OUT } from './lib/paths.mjs';
import { decryptStage } from './lib/stage-decrypt.mjs';
import { importStage } from './lib/stage-import.mjs';
import { LIBRARY_STEPS } from './lib/stage-library.mjs';
import { renderMarkdown, targets } from './lib/report.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: 'string', default: '3' },
    opens: { type: 'string', default: '5' },
    'no-1g': { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    'no-steps': { type: 'boolean', default: false },
    ...Object.fromEntries(LIBRARY_STEPS.map((s) => [`no-${s}`, { type: 'boolean', default: false }])),
  },
});
for (const s of positionals) {
  if (s !== 'decrypt' && s !== 'import' && !LIBRARY_STEPS.includes(s)) throw new Error(`unknown stage "${s}" (decrypt, import, ${LIBRARY_STEPS.join(', ')})`);
}
const named = positionals.filter((s) => LIBRARY_STEPS.includes(s));
const steps = new Set(
  opts['no-steps'] ? [] : (named.length ? named : LIBRARY_STEPS).filter((s) => !opts[`no-${s}`]),
);
const stages = positionals.length ? [...new Set(positionals.map((s) => (s === 'decrypt' ? 'decrypt' : 'import')))] : ['decrypt', 'import'];

const log = (s) => process.stderr.write(s);
mkdirSync(OUT, { recursive: true });

const cpu = cpus();
const results = {
  date: new Date().toISOString(),
  machine: {
    chromium: chromiumVersion(),
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  // The app and the bench page are built from the working tree, uncommitted changes included.
  source: (() => {
    try {
      const git = (...a) => execFileSync('git', a, { encoding: 'utf8' }).trim();
      return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'index.html', 'vite.config.ts') !== '' };
    } catch {
      return { commit: 'unknown', dirty: null };
    }
  })(),
  stages: {},
  errors: [],
};

const t0 = Date.now();
for (const stage of stages) {
  const started = Date.now();
  try {
    if (stage === 'decrypt') results.stages.decrypt = await decryptStage({ reps: Number(opts.reps), big: !opts['no-1g'], log });
    else {
      results.stages.import = await importStage({ opens: Number(opts.opens), useDist: opts.dist, steps, log });
      results.errors.push(...(results.stages.import.library?.errors ?? []));
    }
  } catch (e) {
    log(`[${stage}] FAILED: ${e.stack ?? e}\n`);
    results.errors.push({ stage, message: e instanceof Error ? e.message : String(e) });
  }
  log(`[${stage}] stage took ${Math.round((Date.now() - started) / 1000)} s\n`);
}
results.totalSeconds = Math.round((Date.now() - t0) / 1000);
results.targets = targets(results);

const md = renderMarkdown(results);
writeFileSync(resolve(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(resolve(OUT, 'results.md'), md);
process.stdout.write(md);
log(`\nwrote ${resolve(OUT, 'results.md')} and results.json (${results.totalSeconds} s)\n`);
process.exit(results.errors.length ? 1 : 0);
