/// <reference lib="webworker" />
/**
 * One library's search indexing (index-build.ts) in a worker of its own, started by indexing.ts
 * and terminated when it has settled: building the index of a big library leaves ~100 MB of
 * garbage in the heap that did it, which then leaves with this worker instead of staying in the
 * tab until some later step needs the room.
 */
import { openStore } from '../store/db';
import { buildIndex, type IndexArgs, type IndexProgress } from './index-build';
import { serveOneJob } from './own-worker';

declare const self: DedicatedWorkerGlobalScope;

serveOneJob<IndexArgs, IndexProgress, void>(self, async (args, signal, onProgress) => {
  // A schema upgrade from another tab closes this connection (openStore): indexing then fails
  // and the next search starts it again.
  const store = await openStore();
  try {
    await buildIndex(store, args, signal, onProgress);
  } finally {
    store.close();
  }
});
