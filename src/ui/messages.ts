/**
 * The words the user reads for each error code. One place, so every screen says the same.
 */
import type { ErrorCode } from '../core/errors';
import type { WireError } from '../worker/protocol';

const TEXT: Record<ErrorCode, string> = {
  'wrong-key':
    'This key does not open this backup. Check the 64 digits (WhatsApp shows them in 16 groups of 4), or use the key of the phone that made this backup.',
  'key-mismatch':
    'This key file belongs to another WhatsApp installation: its server salt differs from the backup’s. Use the key file from the phone that made this backup.',
  'key-wrong-type':
    'This key is for the other kind of backup: crypt15 backups need the 64-digit key or encrypted_backup.key; crypt12 and crypt14 backups need the legacy file named “key”.',
  corrupt: 'The key is right, but the backup file is damaged: some of its bytes changed after it was written. Copy it from the phone again.',
  truncated: 'The backup file is incomplete: it ends before its end (an interrupted copy or download). Copy the whole file again.',
  'not-a-backup': 'This file is not a WhatsApp backup. Choose the file named like msgstore.db.crypt15 from WhatsApp/Databases.',
  'unsupported-version': 'This is a WhatsApp file Unseal cannot read.',
  'not-a-chat-backup':
    'This WhatsApp backup holds no chats (it is a stickers, wallpaper or settings backup). Choose msgstore.db.crypt15 (or .crypt14/.crypt12).',
  'key-file-as-backup': 'This is a key file, not a backup. Choose it under “Key file”, and the backup under “Backup file”.',
  'bad-key': 'The key is not valid.',
  'password-only':
    'A password cannot open the backup file offline: it only unlocks the key kept in WhatsApp’s vault.',
  'wrong-passphrase': 'That passphrase does not open this encrypted copy. Check it and try again.',
  quota: 'The browser ran out of storage space. Free some space or delete a library, then try again.',
  cancelled: 'Cancelled. Nothing was kept.',
  'unsupported-browser': 'This browser lacks a feature Unseal needs. Use a current Chrome, Edge, Firefox or Safari.',
  'app-outdated': 'Unseal was updated in another tab. Reload this page to go on.',
  internal: 'Unseal hit a bug it could not recover from.',
};

/** The message for an error: the code's sentence, plus the worker's specific words. */
export function errorText(error: WireError): string {
  const base = TEXT[error.code];
  // Codes whose worker message carries the specific fact (which digit, which format, what step).
  if (error.code === 'bad-key' || error.code === 'unsupported-version' || error.code === 'internal') {
    return `${base} ${error.message}`.trim();
  }
  if (error.code === 'quota' && typeof error.detail.needed === 'number') {
    return `${base} About ${formatBytes(error.detail.needed)} are needed.`;
  }
  return base;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
}

export function formatCount(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
