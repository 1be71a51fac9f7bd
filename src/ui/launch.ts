/**
 * Files opened with the installed app (the manifest's `file_handlers`: .crypt15, .crypt14,
 * .crypt12, .db, .unseal) arrive through `window.launchQueue` where the browser supports it
 * (Chromium desktop). Elsewhere this does nothing: the file picker and drag and drop still work.
 */

interface LaunchParams {
  readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/**
 * Calls `onFile` with the first file of each launch. Returns a function that stops listening
 * (the queue keeps one consumer; a later call replaces it).
 */
export function onLaunchFiles(onFile: (file: File) => void): () => void {
  const queue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue) return () => undefined;
  let live = true;
  queue.setConsumer((params) => {
    const handle = params.files.find((h): h is FileSystemFileHandle => h.kind === 'file');
    if (!handle) return;
    void handle.getFile().then(
      (file) => live && onFile(file),
      () => undefined,
    );
  });
  return () => {
    live = false;
  };
}
