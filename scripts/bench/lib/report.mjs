// Targets (from the issue) and the Markdown report.
import { MiB } from './stats.mjs';

const f = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
const mib = (bytes) => `${f(bytes / MiB, 0)} MiB`;

const r300 = (d) => ({ cipher: d.files.plain300.cipherBytes });

/** Each target: what, goal, measured, met (true/false/null when not measured). */
export function targets(results) {
  const d = results.stages.decrypt;
  const im = results.stages.import;
  const t = [];
  const s300 = d?.files.plain300?.summary;
  const s1g = d?.files.plain1g?.summary;
  t.push({
    what: 'Decryption alone (CTR + GHASH), ciphertext',
    goal: '≥ 200 MiB/s (judged with File reads included)',
    measured: s300
      ? `${f(s300.gcm.inMiBps, 1)} MiB/s with File reads; ${f(s300.read ? (r300(d).cipher / MiB / ((s300.gcm.medianMs - s300.read.medianMs) / 1000)) : NaN, 1)} MiB/s without (median times subtracted)`
      : null,
    met: s300 ? s300.gcm.inMiBps >= 200 : null,
  });
  t.push({
    what: 'Whole decrypt stage (decrypt + MD5 + inflate), plaintext',
    goal: 'bound by inflate, ~130 MiB/s (met at ≥ 117, i.e. within 10 %)',
    measured: s300 ? `${f(s300.full.plainMiBps, 1)} MiB/s (inflate alone here: ${f(s300.inflate?.plainMiBps, 1)} MiB/s)` : null,
    met: s300 ? s300.full.plainMiBps >= 117 : null,
  });
  t.push({
    what: 'Peak renderer RSS, decrypt + inflate of a 1 GiB backup',
    goal: '< 300 MB',
    measured: s1g ? `${f(s1g.full.rendererPeakMB)} MB` : null,
    met: s1g ? s1g.full.rendererPeakMB < 300 : null,
  });
  return t;
}

export function renderMarkdown(r) {
  const L = [];
  const m = r.machine;
  L.push(`# Unseal benchmark results`, '');
  L.push(`${r.date} · ${m.chromium} (headless) · ${m.cpus} CPUs (${m.cpuModel}) · ${m.memoryGB} GB RAM · Node ${m.node} · ${m.platform} · total ${r.totalSeconds} s · source ${r.source.commit}${r.source.dirty ? ' + uncommitted changes in src/' : ''}`, '');
  L.push('MiB/s = 2^20 bytes per second. RSS is sampled from /proc every 50 ms; "renderer" is the largest renderer process (the tab; its workers run in it).', '');

  L.push('## Targets', '', '| Target | Goal | Measured | Met? |', '|---|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.what} | ${t.goal} | ${t.measured ?? 'not measured'} | ${t.met === null ? '–' : t.met ? '**met**' : '**missed**'} |`);
  L.push('');
  const loads = [
    ...Object.values(r.stages.decrypt?.files ?? {}).flatMap((x) => x.runs.map((run) => run.othersCpuPct)),
    ...(r.stages.import ? [r.stages.import.othersCpuPct] : []),
  ];
  const worst = loads.length ? Math.max(...loads) : 0;
  if (worst > 25) {
    L.push(`**Warning: other work used up to ${worst} % of this ${m.cpus}-CPU machine during some runs (column "Other load"); those numbers are depressed. Rerun on a quiet machine before comparing.**`, '');
  }

  const d = r.stages.decrypt;
  if (d) {
    L.push('## Decrypt stage (bench page + worker over `src/core/backup`, 4 MiB reads)', '');
    L.push('| Backup | Mode | Runs | Median ms | Input MiB/s | Plaintext MiB/s | Renderer RSS before → peak | Peak browser tree RSS | Other load (max) |', '|---|---|---|---|---|---|---|---|---|');
    const MODE = {
      read: 'read File only (4 MiB slices)',
      md5: 'read + MD5 (hash-wasm)',
      gcm: 'read + decrypt (gcm-stream CTR + GHASH, tag checked)',
      inflate: 'inflate alone (zlib stream in memory → DecompressionStream)',
      full: '**decryptBackup**: read + MD5 + decrypt + inflate',
    };
    for (const [, file] of Object.entries(d.files)) {
      const name = `${file.file.split('/').pop()} (${mib(file.cipherBytes)} → ${mib(file.plainBytes)})`;
      for (const [mode, s] of Object.entries(file.summary)) {
        L.push(`| ${name} | ${MODE[mode]} | ${s.reps} | ${f(s.medianMs)} | ${f(s.inMiBps, 1)} | ${s.plainMiBps === null ? '–' : f(s.plainMiBps, 1)} | ${f(s.rendererBeforeMB)} → ${f(s.rendererPeakMB)} MB | ${f(s.treePeakMB)} MB | ${f(s.othersCpuPctMax)} % |`);
      }
    }
    L.push('');
    L.push(`Input = the file (ciphertext) except for "inflate alone", where it is the zlib stream. Plaintext = decrypted bytes (decrypt) or inflated SQLite bytes (inflate, decryptBackup). Each run is a fresh browser; "before" is the tab's renderer with the page loaded and the file picked. "Other load" is CPU used by processes other than this bench and its browser (the VM has other work), in % of the whole machine; each run first waits up to 8 s for it to drop below 15 %.`, '');
  }

  const im = r.stages.import;
  if (im) {
    L.push('## Import through the app (built app, `vite preview`, persistent profile)', '');
    L.push('| Measure | Value |', '|---|---|');
    L.push(`| Backup | ${im.file.split('/').pop()}: ${f(im.messagesInBackup)} messages, ${mib(im.cipherBytes)} encrypted, ${mib(im.plainBytes)} SQLite |`);
    L.push(`| Open → status "${im.status}" | **${f(im.seconds, 1)} s** (other load on the VM meanwhile: ${f(im.othersCpuPct)} % of the machine) |`);
    for (const p of im.phases) L.push(`| · ${p.phase} (from ${f(p.startS, 1)} s) | ${f(p.seconds, 1)} s |`);
    L.push(`| (phases are the progress labels the UI shows; "Storing" reads each chat's messages from SQLite and writes its pages to IndexedDB) | |`);
    L.push(`| Peak renderer RSS (largest renderer) | **${f(im.rendererPeakMB)} MB** (idle before: ${f(im.rendererIdleMB)} MB, after: ${f(im.rendererAfterMB)} MB) |`);
    L.push(`| Peak sum of renderers / whole browser tree | ${f(im.rendererSumPeakMB)} MB / ${f(im.treePeakMB)} MB |`);
    L.push(`| Biggest chat | ${im.biggestChat.title}: ${f(im.biggestChat.messages)} messages |`);
    const o = im.chatOpen;
    L.push(`| Biggest chat, click → first article visible, idle (index built): median of ${o.opens.length} | **${f(o.medianMs, 1)} ms** (runs: ${o.opens.map((x) => f(x.ms, 0)).join(', ')} ms) |`);
    L.push(`| Same, right after the import, while the worker indexes for search: median of ${o.duringIndexing.opens.length} | ${f(o.duringIndexing.medianMs, 1)} ms (runs: ${o.duringIndexing.opens.map((x) => f(x.ms, 0)).join(', ')} ms) |`);
    L.push(`| Same, after reloading the app (fresh worker, library opened from \`Libraries\`) | ${f(o.afterReloadMs, 1)} ms |`);
    const si = im.searchIndex;
    L.push(`| Search ready (search box answers "N results") after the import finished | ${si ? `${f(si.readyAfterImportS, 1)} s (peak renderer RSS meanwhile ${f(si.rendererPeakMB)} MB)` : 'not within 6 min'} |`);
    L.push(`| Newest message visible on every open | ${o.newestShown ? 'yes' : 'no'} |`);
    L.push('');
    if (im.problems.length) L.push(`Page problems: ${im.problems.join('; ')}`, '');
  }

  if (r.errors.length) {
    L.push('## Errors', '');
    for (const e of r.errors) L.push(`- **${e.stage}**: ${e.message}`);
    L.push('');
  }
  return L.join('\n');
}
