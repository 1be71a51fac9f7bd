/** Hands a file the worker produced (an export, an encrypted copy) to the browser's download. */
export function download(file: File): void {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download reads the blob asynchronously; give it time before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
