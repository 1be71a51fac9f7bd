/// <reference lib="webworker" />
/**
 * One Argon2id derivation (core/archive/kdf.ts `deriveKey`) in a worker of its own, started by
 * kdf-remote.ts and terminated right after: hash-wasm grows its wasm memory to the KDF's 64 MiB
 * and never gives it back, so in a long-lived worker it would stay for the whole save or restore
 * that follows.
 */
import { deriveKey, type KdfParams } from '../core/archive/kdf';
import { serveOneJob } from './own-worker';

declare const self: DedicatedWorkerGlobalScope;

export interface KdfArgs {
  passphrase: string;
  salt: Uint8Array;
  params: KdfParams;
}

serveOneJob<KdfArgs, never, Uint8Array>(self, ({ passphrase, salt, params }) => deriveKey(passphrase, salt, params));
