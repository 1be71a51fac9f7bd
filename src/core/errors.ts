/**
 * Every failure Unseal reports has a code. The UI picks the human message for a code
 * (src/ui/messages.ts); `detail` carries facts for that message (never key material).
 */
export type ErrorCode =
  /** The key decrypts the header fine but the GCM tag fails: a wrong or mistyped key. */
  | 'wrong-key'
  /**
   * An Unseal archive (.unseal) whose header is intact but whose key check fails: a wrong or
   * mistyped passphrase (docs/FORMATS.md, "Unseal encrypted archive").
   */
  | 'wrong-passphrase'
  /** A legacy `key` file whose server salt differs from the backup's: the key of another install. */
  | 'key-mismatch'
  /** A crypt15 key for a crypt12/14 backup, or a legacy key for a crypt15 backup. */
  | 'key-wrong-type'
  /** The key is right but the encrypted body is damaged (bad zlib data, tag or checksum). */
  | 'corrupt'
  /** The file ends early (an interrupted copy or download). */
  | 'truncated'
  /** Not a WhatsApp backup at all (a photo, a text file, random bytes). */
  | 'not-a-backup'
  /** A WhatsApp file in a format or version we cannot read (crypt8 and older, mcrypt1, iOS…). */
  | 'unsupported-version'
  /** A WhatsApp backup that holds no chats (stickers, wallpapers, a settings backup…). */
  | 'not-a-chat-backup'
  /** A key file was given where the backup belongs. */
  | 'key-file-as-backup'
  /** The 64-digit key or key file is malformed. */
  | 'bad-key'
  /** The user only has the backup password: the key is in WhatsApp's vault. */
  | 'password-only'
  /** Storage ran out. */
  | 'quota'
  /** The user cancelled. */
  | 'cancelled'
  /** The browser lacks something Unseal needs (OPFS, DecompressionStream, WebCrypto). */
  | 'unsupported-browser'
  /** A newer Unseal (in another tab) upgraded the stored data: this page must reload. */
  | 'app-outdated'
  /** A bug: an invariant broke. The message says so plainly and names the step. */
  | 'internal';

export class UnsealError extends Error {
  override readonly name = 'UnsealError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: Record<string, string | number | boolean> = {},
  ) {
    super(message);
  }
}

export function isUnsealError(e: unknown, code?: ErrorCode): e is UnsealError {
  return e instanceof UnsealError && (code === undefined || e.code === code);
}

/** Throws `cancelled` when the signal has fired. Call it between steps of long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UnsealError('cancelled', 'Cancelled');
}
