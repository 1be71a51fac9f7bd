/**
 * The import pipeline: File → sniff → key → streaming decrypt + inflate → SQLite file in OPFS
 * → msgstore reader → pages in IndexedDB. Each stage checks the job's AbortSignal; a failure at
 * any point removes the temporary database and every record written so far.
 */
import { UnsealError, throwIfAborted } from '../core/errors';
import { parseKeyFile, parseKeyText, type KeyMaterial } from '../core/backup/key';
import { sniffBackup } from '../core/backup/sniff';
import { decryptBackup } from '../core/backup/decrypt';
import { fileSource } from './file-source';
import { offThreadInflate } from './inflate-remote';
import { openMsgstore } from '../core/msgstore/reader';
import { previewText } from '../core/msgstore/describe';
import type { Message } from '../core/msgstore/model';
import { buildNameResolver } from '../core/contacts/names';
import { readLidInfo } from '../core/contacts/wa-db';
import { applyNamesToChat, applyNamesToMessages } from '../core/contacts/apply';
import { readContactsFile, type ContactsInput } from './contacts';
import { LibraryWriter, PAGE_SIZE, type ChatRecord, type PageRecord, type UnsealDb } from '../store/db';
import type { KeyInput, LibrarySummary, Progress } from './protocol';
import { chunkChannel, sqlDb, sqlite } from './sqlite';

/** Message kinds that carry a file (counted per chat as `mediaCount`). */
const MEDIA_KINDS: ReadonlySet<string> = new Set(['image', 'video', 'gif', 'audio', 'voice', 'video-note', 'sticker', 'document']);

/** Messages per IndexedDB transaction while storing. */
const BATCH_MESSAGES = 20_000;

function keyFrom(input: KeyInput): KeyMaterial {
  if (input.kind === 'text') {
    const parsed = parseKeyText(input.text);
    if (!parsed.ok) throw new UnsealError('bad-key', parsed.message);
    return { kind: 'crypt15', root: parsed.key };
  }
  if (input.kind === 'file') return parseKeyFile(input.bytes);
  throw new UnsealError('bad-key', 'This backup is encrypted: enter its 64-digit key or choose its key file.');
}

/**
 * sqlite-wasm's chunked import reports an OPFS write the browser cut short as "Expected to write
 * N bytes but wrote M" (Chromium's sync access handle returns a bogus count instead of throwing
 * when the quota is exhausted; e2e/privacy.spec.ts "a full disk" reproduces it).
 */
function isShortOpfsWrite(e: unknown): boolean {
  return e instanceof Error && /^Expected to write \d+ ?bytes but wrote ?\d+/.test(e.message);
}

/**
 * A full disk becomes `quota`, with `needed`: an estimate of the space this import takes, about
 * 1.5× the backup (or of its decrypted database, when that turned out larger): the temporary
 * database in OPFS plus the pages in IndexedDB.
 */
function toQuota(e: unknown, backupBytes: number): unknown {
  if ((e instanceof DOMException && e.name === 'QuotaExceededError') || isShortOpfsWrite(e)) {
    return new UnsealError('quota', 'The browser ran out of storage space for this library.', {
      needed: Math.ceil(backupBytes * 1.5),
    });
  }
  return e;
}

export async function importBackup(
  store: UnsealDb,
  file: File,
  keyInput: KeyInput,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
  extras: { contacts?: File } = {},
): Promise<LibrarySummary> {
  const source = fileSource(file);
  const head = await source.read(0, Math.min(file.size, 4096));
  const { kind } = sniffBackup(head, file.size);
  // The key is only parsed when the file needs one; it lives in this job's scope alone.
  const key = kind === 'crypt12' || kind === 'crypt14' || kind === 'crypt15' ? keyFrom(keyInput) : null;
  // The contacts file (wa.db, plain or encrypted with the same key, or a .vcf), read first: it is small.
  const contacts: ContactsInput | undefined = extras.contacts
    ? await readContactsFile(extras.contacts, () => key ?? keyFrom(keyInput), signal)
    : undefined;

  onProgress({ phase: 'decrypting', done: 0, total: file.size });
  const { sqlite3, pool } = await sqlite();
  throwIfAborted(signal);
  const dbName = `/import-${crypto.randomUUID()}.sqlite`;
  const channel = chunkChannel();
  const imported = pool.importDb(dbName, () => channel.pull());
  // If writing the database fails (a full disk), the decryptor must not wait for a pull forever.
  imported.catch((e: unknown) => channel.fail(e));
  let decryptedBytes = 0;
  let format: string;
  try {
    const info = await decryptBackup(source, key, (chunk) => {
      decryptedBytes += chunk.length;
      return channel.push(chunk);
    }, {
      signal,
      onProgress: (p) => onProgress({ phase: 'decrypting', done: p.done, total: p.total }),
      inflate: offThreadInflate,
    });
    format = info.format;
    await channel.push(undefined);
    await imported;
  } catch (e) {
    channel.fail(e);
    await imported.catch(() => undefined);
    pool.unlink(dbName);
    throw toQuota(e, Math.max(file.size, decryptedBytes));
  }

  const db = new pool.OpfsSAHPoolDb(dbName);
  const sql = sqlDb(sqlite3, db);
  let writer: LibraryWriter | undefined;
  try {
    db.exec('PRAGMA query_only = 1');
    const reader = openMsgstore(sql);
    onProgress({ phase: 'reading-database', done: 0, total: 0 });
    // Names (src/core/contacts): the msgstore's own lid names always, the contacts file when given.
    const names = buildNameResolver({ waDb: contacts?.waDb, vcf: contacts?.vcf, lidNames: readLidInfo(sql) });
    const chats = reader.readChats();
    const total = chats.reduce((n, c) => n + c.messageCount, 0);
    writer = await LibraryWriter.begin(store, {
      id: crypto.randomUUID(),
      fileName: file.name,
      fileSize: file.size,
      openedAt: Date.now(),
      format,
      era: reader.era,
      chatCount: 0,
      messageCount: 0,
      ...(contacts ? { contacts: { kind: contacts.kind, entries: (contacts.waDb ?? contacts.vcf ?? []).length } } : {}),
    });
    const libraryId = writer.library.id;
    let pages: PageRecord[] = [];
    let chatRecords: ChatRecord[] = [];
    let batched = 0;
    let stored = 0;
    let chatCount = 0;
    const flush = async () => {
      throwIfAborted(signal);
      await writer!.writeBatch(pages, chatRecords);
      stored += batched;
      onProgress({ phase: 'storing', done: stored, total });
      pages = [];
      chatRecords = [];
      batched = 0;
    };

    // Pages come with the chats interleaved (allPages reads the message table in row order for
    // many chats at once); each chat's own pages come in order. Memory holds one batch of pages
    // and the rows allPages holds between pages (its buffer bound).
    const written = new Map<number, { pages: number; count: number; mediaCount: number; last: Message }>();
    for (const { chatId, messages: read } of reader.allPages(PAGE_SIZE)) {
      if (read.length === 0) continue;
      const messages = applyNamesToMessages(read, names);
      let chat = written.get(chatId);
      if (!chat) written.set(chatId, (chat = { pages: 0, count: 0, mediaCount: 0, last: messages[0]! }));
      pages.push({ libraryId, chatId, page: chat.pages++, messages });
      chat.count += messages.length;
      batched += messages.length;
      for (const m of messages) if (m.media && MEDIA_KINDS.has(m.kind)) chat.mediaCount++;
      chat.last = messages[messages.length - 1]!;
      if (batched >= BATCH_MESSAGES) await flush();
    }
    for (const chat of chats) {
      const stats = written.get(chat.id);
      if (!stats) continue;
      chatCount++;
      chatRecords.push({
        ...applyNamesToChat(chat, names),
        libraryId,
        mediaCount: stats.mediaCount,
        messageCount: stats.count,
        lastActivity: Math.max(chat.lastActivity, stats.last.ts),
        preview: previewText(stats.last),
        pageCount: stats.pages,
        pageSize: PAGE_SIZE,
      });
    }
    await flush();
    onProgress({ phase: 'storing', done: total, total });
    return await writer.commit({ chatCount, messageCount: stored });
  } catch (e) {
    onProgress({ phase: 'cleaning-up', done: 0, total: 0 });
    await writer?.abort();
    throw toQuota(e, Math.max(file.size, decryptedBytes));
  } finally {
    sql.close();
    db.close();
    pool.unlink(dbName);
  }
}
