/**
 * Bench-only page: the harness picks the backup with setInputFiles, then calls
 * `window.__bench.run(mode, keyHex, chunkSize)`; each run gets a fresh worker.
 */
import type { BenchMode, BenchReply, BenchRequest, BenchResult } from './protocol';

declare global {
  interface Window {
    __bench: { ready: true; run(mode: BenchMode, keyHex: string, chunkSize: number): Promise<BenchResult> };
  }
}

const input = document.getElementById('backup') as HTMLInputElement;
const out = document.getElementById('out')!;

window.__bench = {
  ready: true,
  run(mode, keyHex, chunkSize) {
    const file = input.files?.[0];
    if (!file) return Promise.reject(new Error('no file picked'));
    const worker = new Worker(new URL('./decrypt.worker.ts', import.meta.url), { type: 'module', name: 'bench-decrypt' });
    return new Promise<BenchResult>((resolve, reject) => {
      worker.addEventListener('message', (e: MessageEvent<BenchReply>) => {
        worker.terminate();
        if (e.data.ok) {
          out.textContent += `${JSON.stringify(e.data.result)}\n`;
          resolve(e.data.result);
        } else reject(new Error(e.data.error));
      });
      worker.addEventListener('error', (e) => {
        worker.terminate();
        reject(new Error(`worker error: ${e.message}`));
      });
      worker.postMessage({ file, mode, keyHex, chunkSize } satisfies BenchRequest);
    });
  },
};
