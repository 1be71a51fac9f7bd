/** File names and relative links inside an export. */

/** A file-name-safe version of a chat title or file name (no path separators, reserved or control characters). */
export function safeFileName(title: string, max = 60, fallback = 'chat'): string {
  const cleaned = [...title.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '_').replace(/\s+/g, ' ')]
    .slice(0, max)
    .join('')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned || fallback;
}

/** `a/b c#.html` → `a/b%20c%23.html`: a relative path as a link target, each segment percent-encoded. */
export const hrefForPath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
