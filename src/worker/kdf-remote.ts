/**
 * Argon2id in a worker of its own (kdf.worker.ts), so its 64 MiB leave when the key is derived.
 * The key comes back as bytes (the worker's copy goes with the worker). Argon2 cannot be
 * interrupted: cancelling `signal` settles the call at once, and the worker ends when its
 * derivation does.
 */
import { UnsealError } from '../core/errors';
import type { DeriveKey } from '../core/archive/kdf';
import { runInOwnWorker } from './own-worker';
import type { KdfArgs } from './kdf.worker';

export function kdfInWorker(signal?: AbortSignal): DeriveKey {
  return (passphrase, salt, params) => {
    if (signal?.aborted) return Promise.reject(new UnsealError('cancelled', 'Cancelled'));
    const key = runInOwnWorker<KdfArgs, never, Uint8Array>(
      () => new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module', name: 'unseal-kdf' }),
      'key derivation',
      { passphrase, salt, params },
      new AbortController().signal,
      () => undefined,
    );
    if (!signal) return key;
    return new Promise<Uint8Array>((resolve, reject) => {
      const cancel = () => reject(new UnsealError('cancelled', 'Cancelled'));
      signal.addEventListener('abort', cancel, { once: true });
      key
        .then((bytes) => {
          // A key derived after a cancel is not handed out: zeroed and dropped.
          if (signal.aborted) bytes.fill(0);
          else resolve(bytes);
        }, reject)
        .finally(() => signal.removeEventListener('abort', cancel));
    });
  };
}
