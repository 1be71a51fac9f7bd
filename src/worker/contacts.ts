/**
 * The contacts file picked next to a backup (ui-contract: `Contacts file`): WhatsApp's `wa.db`
 * (plain SQLite, or `wa.db.crypt15/14/12` encrypted with the backup's own key) or a `.vcf`.
 * Told apart by bytes, never by name. A wa.db is small (thousands of rows): it is decrypted into
 * memory and opened with sqlite-wasm's in-memory database (`sqlite3_deserialize`), read with
 * `readWaContacts`, and closed. The result is plain data for `buildNameResolver` (names.ts).
 */
import { UnsealError } from '../core/errors';
import { sniffBackup } from '../core/backup/sniff';
import { decryptBackup } from '../core/backup/decrypt';
import type { KeyMaterial } from '../core/backup/key';
import { readWaContacts, type WaContact } from '../core/contacts/wa-db';
import { decodeVcf, parseVcf, type VcfEntry } from '../core/contacts/vcf';
import { sqlDb, sqlite } from './sqlite';

export interface ContactsInput {
  kind: 'wa.db' | 'vcf';
  waDb?: WaContact[];
  vcf?: VcfEntry[];
}

function notContacts(): UnsealError {
  return new UnsealError('unsupported-version', 'The contacts file is neither WhatsApp’s wa.db (plain or encrypted) nor a .vcf.', {
    which: 'contacts',
  });
}

/** `BEGIN:VCARD` after an optional BOM and white space (UTF-8 or UTF-16). */
function looksLikeVcard(head: Uint8Array): boolean {
  const text = decodeVcf(head.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart();
  return /^BEGIN:VCARD/i.test(text);
}

export async function readContactsFile(file: File, key: () => KeyMaterial, signal: AbortSignal): Promise<ContactsInput> {
  const source = {
    size: file.size,
    read: async (offset: number, length: number) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
  const head = await source.read(0, Math.min(file.size, 4096));
  if (looksLikeVcard(head)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { kind: 'vcf', vcf: parseVcf(decodeVcf(bytes)) };
  }
  const { kind } = sniffBackup(head, file.size);
  if (kind !== 'sqlite' && kind !== 'crypt12' && kind !== 'crypt14' && kind !== 'crypt15') throw notContacts();
  const parts: Uint8Array[] = [];
  let total = 0;
  await decryptBackup(
    source,
    kind === 'sqlite' ? null : key(),
    (chunk) => {
      parts.push(chunk.slice());
      total += chunk.length;
    },
    { signal },
  );
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  // A WAL-mode header cannot be deserialized: switch it to rollback journal (bytes 18/19).
  if (bytes[18] === 2) bytes[18] = 1;
  if (bytes[19] === 2) bytes[19] = 1;

  const { sqlite3 } = await sqlite();
  const db = new sqlite3.oo1.DB();
  const p = sqlite3.wasm.allocFromTypedArray(bytes);
  const rc = sqlite3.capi.sqlite3_deserialize(
    db.pointer!,
    'main',
    p,
    bytes.length,
    bytes.length,
    sqlite3.capi.SQLITE_DESERIALIZE_FREEONCLOSE | sqlite3.capi.SQLITE_DESERIALIZE_RESIZEABLE,
  );
  if (rc !== 0) {
    db.close();
    throw notContacts();
  }
  const sql = sqlDb(sqlite3, db);
  try {
    return { kind: 'wa.db', waDb: readWaContacts(sql) };
  } catch {
    throw notContacts();
  } finally {
    sql.close();
    db.close();
  }
}
