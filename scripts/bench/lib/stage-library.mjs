// What the import stage measures on the library it just imported, in the same browser session:
// search, export of the biggest chat, linking a media folder, and the encrypted copy (last: it
// leaves the app on the restored second library). Each step is optional (run.mjs flags) and a
// failing step is recorded as an error without stopping the others.
import { measureArchive } from './measure-archive.mjs';
import { measureExport } from './measure-export.mjs';
import { measureMedia } from './measure-media.mjs';
import { measureSearch } from './measure-search.mjs';
import { CpuMeter } from './proc.mjs';

export const LIBRARY_STEPS = ['search', 'export', 'media', 'archive'];

/**
 * `steps`: a Set of LIBRARY_STEPS names. `biggest`: { title, messages }. Returns one result per
 * step that ran (or null when it failed), `errors` ({ stage, message }) and `seconds` per step.
 */
export async function libraryStage({ page, context, sampler, biggest, steps, log }) {
  const out = { errors: [], seconds: {}, othersCpuPct: {} };
  for (const step of LIBRARY_STEPS) {
    if (!steps.has(step)) continue;
    const t0 = Date.now();
    const cpu = new CpuMeter().start();
    try {
      // A known state: no dialog open, the search box empty, the library view shown.
      await page.keyboard.press('Escape').catch(() => {});
      const box = page.getByRole('searchbox', { name: 'Search messages' });
      if ((await box.inputValue({ timeout: 5_000 })) !== '') await box.fill('');
      if (step === 'search') out.search = await measureSearch({ page, sampler, log });
      else if (step === 'export') out.export = await measureExport({ page, context, sampler, chat: biggest, log });
      else if (step === 'media') out.media = await measureMedia({ page, sampler, log });
      else if (step === 'archive') out.archive = await measureArchive({ page, sampler, log });
    } catch (e) {
      log(`[${step}] FAILED: ${e.stack ?? e}\n`);
      out[step] = null;
      out.errors.push({ stage: `import/${step}`, message: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
    out.seconds[step] = Math.round((Date.now() - t0) / 1000);
    out.othersCpuPct[step] = cpu.othersPct();
    log(`[${step}] took ${out.seconds[step]} s (other load on the VM: ${out.othersCpuPct[step]} %)\n`);
  }
  return out;
}
