/**
 * Legacy `messages.thumb_image` holds a Java-serialized `com.whatsapp.MediaData` object
 * (msgstore-schema.md §3.2). We do not deserialize it: the media file's path is the `path` string
 * of the embedded `java.io.File`, written right after that class's descriptor as
 * `x p t <u16 length> <modified UTF-8>` (TC_ENDBLOCKDATA, TC_NULL superclass, TC_STRING).
 */
const FILE_CLASS = new TextEncoder().encode('java.io.File');
const utf8 = new TextDecoder('utf-8');

export function mediaDataPath(blob: Uint8Array | undefined): string | undefined {
  if (!blob || blob.length < 8 || blob[0] !== 0xac || blob[1] !== 0xed) return undefined;
  const at = indexOf(blob, FILE_CLASS, 4);
  if (at < 0) return undefined;
  for (let p = at + FILE_CLASS.length; p + 4 < blob.length && p < at + 200; p++) {
    if (blob[p] === 0x78 && blob[p + 1] === 0x70 && blob[p + 2] === 0x74) {
      const len = (blob[p + 3]! << 8) | blob[p + 4]!;
      const start = p + 5;
      if (len === 0 || start + len > blob.length) return undefined;
      const path = utf8.decode(blob.subarray(start, start + len));
      return path.replace(/\.enc$/, '');
    }
  }
  return undefined;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** A thumbnail stored on the row: JPEG/WebP bytes, or a Java-serialized `byte[]` wrapping them. */
export function rowThumbnail(blob: Uint8Array | undefined): Uint8Array | undefined {
  if (!blob || blob.length < 4) return undefined;
  if (blob[0] === 0xff && blob[1] === 0xd8) return blob;
  if (blob[0] === 0x52 && blob[1] === 0x49 && blob[2] === 0x46 && blob[3] === 0x46) return blob; // RIFF/WebP
  // AC ED 00 05 75 72 00 02 5B 42 … 78 70 <int32 length> <bytes>: `byte[]`
  if (blob[0] === 0xac && blob[1] === 0xed && blob[4] === 0x75) {
    for (let p = 6; p + 6 < blob.length && p < 64; p++) {
      if (blob[p] === 0x78 && blob[p + 1] === 0x70) {
        const len = ((blob[p + 2]! << 24) | (blob[p + 3]! << 16) | (blob[p + 4]! << 8) | blob[p + 5]!) >>> 0;
        const start = p + 6;
        if (start + len <= blob.length && blob[start] === 0xff && blob[start + 1] === 0xd8) return blob.slice(start, start + len);
        return undefined;
      }
    }
  }
  return undefined;
}
