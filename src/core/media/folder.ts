/**
 * Pure helpers for a linked WhatsApp folder (src/worker/media.ts): the paths kept in the `media`
 * store are `/`-separated and relative to the folder's root handle; what copying would cost.
 */
import type { MediaLink } from './paths';

/**
 * A stored folder-relative path as the names to walk down from the root handle; undefined when
 * it could not come from a directory walk (empty, `.`/`..` or empty segments, a backslash).
 */
export function folderPathSegments(path: string): string[] | undefined {
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return undefined;
  return parts;
}

/** What copying the matched files takes: each file once (several messages may share one), in file order. */
export function copyPlan(links: ReadonlyMap<number, MediaLink>, sizes: readonly number[]): { files: number[]; bytes: number } {
  const files = [...new Set([...links.values()].map((l) => l.file))].sort((a, b) => a - b);
  return { files, bytes: files.reduce((n, f) => n + (sizes[f] ?? 0), 0) };
}
