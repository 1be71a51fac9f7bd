/**
 * Linking a picked folder of WhatsApp media files to the messages that refer to them
 * (msgstore-schema.md §2.5). Pure: paths, sizes and hashes in, indexes out; no file is read here.
 *
 * `message_media.file_path` is relative to the WhatsApp root (`Media/WhatsApp Images/…`), but
 * the user may pick the `WhatsApp` folder, its parent `Android/media/com.whatsapp/`, the `Media`
 * folder itself, or a whole phone dump; legacy rows (and the legacy `thumb_image` path) hold
 * absolute paths like `/storage/emulated/0/WhatsApp/Media/…` or `/sdcard/WhatsApp/Media/…`.
 * Both sides are therefore reduced to a **canonical path**: the part after the `Media/` segment
 * that is followed by a `WhatsApp …` or dot-folder (`WhatsApp Images/Sent/IMG-….jpg`,
 * `.Statuses/…`); a path that already starts with `WhatsApp …` is canonical as it is. Separators
 * become `/` and non-ASCII names are NFC-normalized (macOS hands out NFD).
 *
 * Matching, per message, first hit wins:
 *  1. `path`: the canonical path, exactly. Several files (two roots in a phone dump) → the one
 *     with the recorded size, else the first.
 *  2. `path-case`: the same, case-insensitively.
 *  3. `path-lenient`: case-insensitive with the `Sent/` and `Private/` sub-folders ignored; the
 *     size must agree when the row records one.
 *  4. `name-size`: the same file name (case-insensitive) and size anywhere in the folder.
 *  5. `name`: when the row records no size, a file name that occurs exactly once.
 *  6. `hash`: `file_hash` (base64 SHA-256 of the file) against files of the recorded size that no
 *     other message claimed in steps 1–5. Hashing costs a read of each file, so `matchMedia`
 *     only *names* the files worth hashing (`needsHash`); the caller hashes those and calls
 *     `matchByHash`. Sizes are nearly unique in a media folder, so this is a handful of files.
 *
 * `.mcrypt1` files (Google Drive's encrypted copies of media, as saved by Drive-download tools)
 * cannot be opened offline: they are counted, never linked; a message whose file exists only as
 * `<path>.mcrypt1` is reported as `encrypted` instead of missing.
 *
 * Worker: collect `{ path: file.webkitRelativePath || <path from a directory handle walk>,
 * size: file.size }` for every picked file (keep the `File`s in a parallel array); read each
 * media message's `MediaInfo` (`filePath`, `size`, `fileHash`) into a `MediaRef` with the
 * message id and kind; `const index = buildMediaIndex(files)`, `let r = matchMedia(index, refs)`;
 * if `r.needsHash.length`, hash those files (WebCrypto SHA-256 → base64; stream big videos with
 * an incremental hash rather than one ArrayBuffer) into a Map and `r = matchByHash(r, hashes)`;
 * store `r.links` (message id → file index → File) and show `mediaReport(index, refs, r)`.
 * Cost measured in Node: see tests/media (MEDIA_SCALE=1).
 */

export interface FolderFile {
  /** Path relative to the picked root, `/` or `\` separated. */
  path: string;
  size: number;
}

/** What a media message says about its file. */
export interface MediaRef {
  /** The caller's id (the message's row id). */
  id: number;
  /** The message kind (model.ts `MessageKind`), for the report; the path decides when absent. */
  kind?: string;
  /** `message_media.file_path` (or the legacy path). */
  filePath?: string;
  /** `file_size`; 0 or absent = unknown. */
  size?: number;
  /** `file_hash`, base64 SHA-256. */
  fileHash?: string;
}

export type MatchHow = 'path' | 'path-case' | 'path-lenient' | 'name-size' | 'name' | 'hash';

export interface MediaLink {
  /** Index into the `FolderFile[]` given to `buildMediaIndex`. */
  file: number;
  how: MatchHow;
}

export interface PendingRef {
  ref: MediaRef;
  /** Files of the ref's size not claimed by another message: hash these. */
  candidates: number[];
}

export interface MatchResult {
  /** Message id → its file. */
  links: Map<number, MediaLink>;
  /** Refs that only a hash can still match. */
  pending: PendingRef[];
  /** Distinct file indexes to hash (the union of `pending` candidates). Empty = done. */
  needsHash: number[];
}

export type MediaBucket = 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'gif' | 'other';

export interface MediaReport {
  total: number;
  found: number;
  missing: number;
  /** Of the missing: rows with no `file_path` (never downloaded, or removed in WhatsApp). */
  notDownloaded: number;
  /** Of the missing: the file is in the folder only as `.mcrypt1`. */
  encrypted: number;
  /** `audio` counts voice notes and audio files; `video` counts video notes. */
  byKind: Record<MediaBucket, { found: number; missing: number }>;
  byHow: Record<MatchHow, number>;
  /** Files in the folder (excluding `.mcrypt1`) and how many of them some message uses. */
  files: number;
  filesUsed: number;
  /** `.mcrypt1` files seen: Google Drive's encrypted media, not readable offline. */
  mcrypt1Files: number;
  /** The flag for the UI: the folder holds Google Drive encrypted media (`.mcrypt1`). */
  googleDriveEncrypted: boolean;
}

const MULTI = -1;

/** A picked folder, indexed for matching. Build once per pick. */
export class MediaIndex {
  readonly files: readonly FolderFile[];
  /** `.mcrypt1` files seen (not indexed for matching). */
  readonly mcrypt1Files: number;
  /** The distinct folders above the canonical paths (`WhatsApp/Media/`, `Android/media/com.whatsapp/WhatsApp/Media/`, `''`). */
  readonly roots: string[];

  /** Each file's canonical path (same order as `files`). */
  private readonly canon: string[] = [];
  /** lower-case canonical → file, or MULTI with the list in `multi`. Same for the other keys. */
  private readonly lower = new Map<string, number>();
  private readonly lenient = new Map<string, number>();
  private readonly nameSize = new Map<string, number>();
  private readonly name = new Map<string, number>();
  private readonly multi = new Map<string, number[]>();
  private readonly bySize = new Map<number, number[]>();
  private readonly encryptedPaths = new Set<string>();

  constructor(files: readonly FolderFile[]) {
    this.files = files;
    let mcrypt = 0;
    const roots = new Set<string>();
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const c = splitCanonical(f.path);
      const lc = c.path.toLowerCase();
      if (lc.endsWith('.mcrypt1') || lc.endsWith('.mcrypt1-metadata')) {
        mcrypt++;
        if (lc.endsWith('.mcrypt1')) this.encryptedPaths.add(lenientKey(lc.slice(0, -'.mcrypt1'.length)));
        continue;
      }
      if (c.root !== undefined) roots.add(c.root);
      this.canon[i] = c.path;
      this.add('l', this.lower, lc, i);
      this.add('n', this.lenient, lenientKey(lc), i);
      const base = baseName(lc);
      this.add('s', this.nameSize, `${base}\u0000${f.size}`, i);
      this.add('b', this.name, base, i);
      let same = this.bySize.get(f.size);
      if (!same) this.bySize.set(f.size, (same = []));
      same.push(i);
    }
    this.mcrypt1Files = mcrypt;
    this.roots = [...roots].sort();
  }

  private add(tag: string, map: Map<string, number>, key: string, i: number): void {
    const prev = map.get(key);
    if (prev === undefined) map.set(key, i);
    else {
      const mk = tag + key;
      if (prev !== MULTI) {
        map.set(key, MULTI);
        this.multi.set(mk, [prev, i]);
      } else this.multi.get(mk)!.push(i);
    }
  }

  private get(tag: string, map: Map<string, number>, key: string): number[] | undefined {
    const v = map.get(key);
    if (v === undefined) return undefined;
    return v === MULTI ? this.multi.get(tag + key) : [v];
  }

  /** @internal lookups for `matchMedia`. */
  lookup(kind: 'lower' | 'lenient' | 'nameSize' | 'name', key: string): number[] | undefined {
    switch (kind) {
      case 'lower':
        return this.get('l', this.lower, key);
      case 'lenient':
        return this.get('n', this.lenient, key);
      case 'nameSize':
        return this.get('s', this.nameSize, key);
      case 'name':
        return this.get('b', this.name, key);
    }
  }

  /** @internal The canonical path of file `i`. */
  canonicalOf(i: number): string | undefined {
    return this.canon[i];
  }

  /** Files of exactly this size. */
  ofSize(size: number): readonly number[] {
    return this.bySize.get(size) ?? [];
  }

  /** True when the (lenient) canonical path exists only as a `.mcrypt1` file. */
  isEncrypted(filePath: string): boolean {
    return this.encryptedPaths.size > 0 && this.encryptedPaths.has(lenientKey(canonicalMediaPath(filePath).toLowerCase()));
  }
}

export function buildMediaIndex(files: readonly FolderFile[]): MediaIndex {
  return new MediaIndex(files);
}

/** See the module doc: the path below `Media/`, `/`-separated, NFC. */
export function canonicalMediaPath(path: string): string {
  return splitCanonical(path).path;
}

const NON_ASCII = /[^\x00-\x7f]/;

function splitCanonical(raw: string): { path: string; root?: string } {
  let p = raw;
  if (p.includes('\\')) p = p.replace(/\\/g, '/');
  if (NON_ASCII.test(p)) p = p.normalize('NFC');
  if (p.startsWith('/') || p.startsWith('./') || p.includes('//') || p.includes('/./') || p.endsWith('/')) {
    p = p
      .split('/')
      .filter((x) => x !== '' && x !== '.')
      .join('/');
  }
  const lc = p.toLowerCase();
  // The first `media/` segment followed by `whatsapp…` or a dot-folder (string scan, no split:
  // this runs once per file and once per media row).
  let firstMedia = -1;
  for (let at = lc.indexOf('media/'); at >= 0; at = lc.indexOf('media/', at + 1)) {
    if (at > 0 && lc.charCodeAt(at - 1) !== 47 /* / */) continue;
    const next = at + 6;
    if (lc.indexOf('/', next) < 0) break; // `media/<file>`: not a folder below Media
    if (lc.startsWith('whatsapp', next) || lc.charCodeAt(next) === 46 /* . */) {
      return { path: p.slice(next), root: p.slice(0, next) };
    }
    if (firstMedia < 0) firstMedia = at;
  }
  if (lc.startsWith('whatsapp ')) return { path: p, root: '' };
  if (firstMedia >= 0) return { path: p.slice(firstMedia + 6), root: p.slice(0, firstMedia + 6) };
  return { path: p };
}

/** Lower-case canonical path without `Sent/` and `Private/` folders. */
function lenientKey(lower: string): string {
  if (!lower.includes('sent/') && !lower.includes('private/')) return lower;
  return lower
    .split('/')
    .filter((s, i, all) => i === all.length - 1 || (s !== 'sent' && s !== 'private'))
    .join('/');
}

/** Lower-case, NFC file name of a raw path (`/` or `\\` separated). */
function rawBaseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  const b = (i < 0 ? p : p.slice(i + 1)).toLowerCase();
  return NON_ASCII.test(b) ? b.normalize('NFC') : b;
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function pick(files: readonly FolderFile[], cands: readonly number[], size: number | undefined, strict: boolean): number | undefined {
  if (size) {
    for (const c of cands) if (files[c]!.size === size) return c;
    if (strict) return undefined;
  }
  return cands[0];
}

/** Steps 1–5 of the module doc; step 6 is prepared (`needsHash`) for `matchByHash`. */
export function matchMedia(index: MediaIndex, refs: readonly MediaRef[]): MatchResult {
  const links = new Map<number, MediaLink>();
  const files = index.files;
  const claimed = new Uint8Array(files.length);
  const unmatched: MediaRef[] = [];
  for (const ref of refs) {
    const size = ref.size && ref.size > 0 ? ref.size : undefined;
    let link: MediaLink | undefined;
    const fp = ref.filePath;
    // Every path step keeps the file name, so a name the folder lacks ends the search at once
    // (most rows of a big library, whose files were never kept): one Map lookup.
    const named = fp ? index.lookup('name', rawBaseName(fp)) : undefined;
    if (fp && named) {
      const canon = canonicalMediaPath(fp);
      const lc = canon.toLowerCase();
      let c = index.lookup('lower', lc);
      let f: number | undefined;
      if (c) {
        const exact = c.filter((i) => index.canonicalOf(i) === canon);
        if (exact.length > 0) link = { file: pick(files, exact, size, false)!, how: 'path' };
        else link = { file: pick(files, c, size, false)!, how: 'path-case' };
      } else if ((c = index.lookup('lenient', lenientKey(lc))) && (f = pick(files, c, size, true)) !== undefined) {
        link = { file: f, how: 'path-lenient' };
      } else if (size) {
        c = index.lookup('nameSize', `${baseName(lc)}\u0000${size}`);
        if (c) link = { file: c[0]!, how: 'name-size' };
      } else if (named.length === 1) {
        link = { file: named[0]!, how: 'name' };
      }
    }
    if (link) {
      links.set(ref.id, link);
      claimed[link.file] = 1;
    } else unmatched.push(ref);
  }
  const pending: PendingRef[] = [];
  const needs = new Set<number>();
  for (const ref of unmatched) {
    if (!ref.fileHash || !ref.size || ref.size <= 0) continue;
    const candidates = index.ofSize(ref.size).filter((f) => !claimed[f]);
    if (candidates.length === 0) continue;
    pending.push({ ref, candidates });
    for (const f of candidates) needs.add(f);
  }
  return { links, pending, needsHash: [...needs].sort((a, b) => a - b) };
}

/** Base64 or base64url, with or without padding → one comparable form. */
export function normalizeHash(h: string): string {
  return h.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
}

/**
 * Step 6: `hashes` maps file index → base64 SHA-256 for (at least) the files in
 * `result.needsHash`. Returns a new result with the hash matches added and nothing pending.
 */
export function matchByHash(result: MatchResult, hashes: ReadonlyMap<number, string>): MatchResult {
  const links = new Map(result.links);
  const norm = new Map<number, string>();
  for (const [f, h] of hashes) norm.set(f, normalizeHash(h));
  for (const p of result.pending) {
    const want = normalizeHash(p.ref.fileHash ?? '');
    if (!want) continue;
    for (const f of p.candidates) {
      if (norm.get(f) === want) {
        links.set(p.ref.id, { file: f, how: 'hash' });
        break;
      }
    }
  }
  return { links, pending: [], needsHash: [] };
}

const KIND_BUCKET: Record<string, MediaBucket> = {
  image: 'image',
  video: 'video',
  'video-note': 'video',
  gif: 'gif',
  audio: 'audio',
  voice: 'audio',
  sticker: 'sticker',
  document: 'document',
};

/** The report bucket of a ref: its message kind, else its folder, else its extension. */
export function bucketOf(ref: MediaRef): MediaBucket {
  const k = ref.kind ? KIND_BUCKET[ref.kind] : undefined;
  if (k) return k;
  const p = (ref.filePath ?? '').toLowerCase();
  if (p.includes('whatsapp animated gifs/')) return 'gif';
  if (p.includes('whatsapp stickers/')) return 'sticker';
  if (/whatsapp (business )?(voice notes|audio)\//.test(p)) return 'audio';
  if (p.includes('whatsapp documents/')) return 'document';
  if (/whatsapp (business )?video( notes)?\//.test(p)) return 'video';
  if (/whatsapp (business )?images\//.test(p)) return 'image';
  const ext = p.slice(p.lastIndexOf('.') + 1);
  if (/^(jpe?g|png|heic|heif|bmp)$/.test(ext)) return 'image';
  if (ext === 'webp') return 'sticker';
  if (ext === 'gif') return 'gif';
  if (/^(mp4|3gp|mkv|mov|webm|avi)$/.test(ext)) return 'video';
  if (/^(opus|ogg|m4a|aac|mp3|amr|wav|flac)$/.test(ext)) return 'audio';
  if (ext && ext !== p) return 'document';
  return 'other';
}

export function mediaReport(index: MediaIndex, refs: readonly MediaRef[], result: MatchResult): MediaReport {
  const buckets: MediaBucket[] = ['image', 'video', 'audio', 'document', 'sticker', 'gif', 'other'];
  const byKind = Object.fromEntries(buckets.map((b) => [b, { found: 0, missing: 0 }])) as MediaReport['byKind'];
  const byHow: MediaReport['byHow'] = { path: 0, 'path-case': 0, 'path-lenient': 0, 'name-size': 0, name: 0, hash: 0 };
  const used = new Uint8Array(index.files.length);
  let found = 0;
  let notDownloaded = 0;
  let encrypted = 0;
  for (const ref of refs) {
    const link = result.links.get(ref.id);
    const b = byKind[bucketOf(ref)];
    if (link) {
      found++;
      b.found++;
      byHow[link.how]++;
      used[link.file] = 1;
    } else {
      b.missing++;
      if (!ref.filePath) notDownloaded++;
      else if (index.mcrypt1Files > 0 && index.isEncrypted(ref.filePath)) encrypted++;
    }
  }
  let filesUsed = 0;
  for (let i = 0; i < used.length; i++) filesUsed += used[i]!;
  return {
    total: refs.length,
    found,
    missing: refs.length - found,
    notDownloaded,
    encrypted,
    byKind,
    byHow,
    files: index.files.length - index.mcrypt1Files,
    filesUsed,
    mcrypt1Files: index.mcrypt1Files,
    googleDriveEncrypted: index.mcrypt1Files > 0,
  };
}
