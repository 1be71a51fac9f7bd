/**
 * Every real sample msgstore under ../shared/samples is read, and what the reader returns is
 * checked against counts computed here by plain SQL on the same file.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEra } from '../../src/core/msgstore/era';
import type { Message, SchemaEra } from '../../src/core/msgstore/model';
import { openMsgstore } from '../../src/core/msgstore/reader';
import { previewText } from '../../src/core/msgstore/describe';
import { isUnsealError } from '../../src/core/errors';
import { SHARED } from '../shared';
import { openShared, type TestDb } from './open-sqlite';

const ERA: Record<string, SchemaEra> = {
  'android-legacy/kisanthapa-2018-msgstore.db': 'legacy',
  'android-legacy/kuuhaku-2018-msgstore.db': 'legacy',
  'android-legacy/roycsc-2017-msgstore.db': 'legacy',
  // Built from whatsapp-viewer's DDL, which already has `jid` and `chat`: transitional by shape.
  'android-legacy/whatsapp-viewer-synthetic-legacy.db': 'transitional',
  'android-transitional/ersimon-2021-msgstore.db': 'transitional',
  'android-transitional/hickman-android10-2020-msgstore.db': 'transitional',
  'android-new/salozubz-2024-09-empty-msgstore.db': 'current',
  'android-new/salozubz-2025-03-empty-msgstore.db': 'current',
};

const samples = ['android-legacy', 'android-transitional', 'android-new'].flatMap((dir) =>
  readdirSync(resolve(SHARED, 'samples', dir))
    .filter((f) => f.endsWith('.db'))
    .map((f) => `${dir}/${f}`),
);

it('knows the era of every sample database on disk', () => {
  expect(samples.sort()).toEqual(Object.keys(ERA).sort());
});

/**
 * Expected per-chat counts by plain SQL: every message row except the placeholder (`_id = 1`)
 * and the status feed. Chats without messages are not expected: a chat row with no messages
 * (whatsapp-viewer has three) has nothing to show, and WhatsApp hides such chats too.
 */
function expectedCounts(db: TestDb, era: SchemaEra): Map<string, number> {
  const rows =
    era === 'current'
      ? db.all(
          `SELECT j.raw_string AS jid, count(*) AS n FROM message m JOIN chat c ON c._id = m.chat_row_id
           JOIN jid j ON j._id = c.jid_row_id WHERE m._id > 1 AND j.raw_string <> 'status@broadcast' GROUP BY 1`,
        )
      : db.all(
          `SELECT key_remote_jid AS jid, count(*) AS n FROM messages
           WHERE _id > 1 AND key_remote_jid NOT IN ('-1', 'status@broadcast') GROUP BY 1`,
        );
  return new Map(rows.map((r) => [String(r.jid), Number(r.n)]));
}

describe.each(samples)('%s', (file) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openShared(`samples/${file}`);
  });
  afterAll(() => db?.close());

  it('detects its era', () => {
    expect(detectEra(db)).toBe(ERA[file]);
  });

  it('returns every chat and every message exactly once, oldest first, with pos 0..n-1', () => {
    const reader = openMsgstore(db);
    expect(reader.era).toBe(ERA[file]);
    const expected = expectedCounts(db, reader.era);
    const chats = reader.readChats();
    expect(new Map(chats.map((c) => [c.jid, c.messageCount]))).toEqual(expected);
    expect(new Set(chats.map((c) => c.id)).size).toBe(chats.length);

    const seen = new Set<number>();
    for (const chat of chats) {
      expect(chat.title).not.toBe('');
      const all: Message[] = [];
      const pages: number[] = [];
      // tiny pages, so paging is exercised on these small files
      for (const page of reader.messagePages(chat.id, 4)) {
        pages.push(page.length);
        all.push(...page);
      }
      expect(all.length).toBe(chat.messageCount);
      expect(pages.slice(0, -1).every((n) => n === 4)).toBe(true);
      all.forEach((m, i) => {
        expect(m.pos).toBe(i);
        expect(seen.has(m.id)).toBe(false);
        seen.add(m.id);
        expect(typeof previewText(m)).toBe('string');
      });
      // The newest message in WhatsApp's own order (sort_id / _id): the last one streamed.
      expect(chat.lastActivity).toBe(all[all.length - 1]!.ts);
    }
    expect(seen.size).toBe([...expected.values()].reduce((a, b) => a + b, 0));
  });
});

describe('not a chat backup', () => {
  it.each(['fixtures/backups/plain.db', 'fixtures/backups/plain-wa.db', 'samples/wa-db/kuuhaku-2018-wa.REDACTED.db'])(
    '%s → not-a-chat-backup',
    async (file) => {
      const db = await openShared(file);
      try {
        let err: unknown;
        try {
          detectEra(db);
        } catch (e) {
          err = e;
        }
        expect(isUnsealError(err, 'not-a-chat-backup')).toBe(true);
        expect(() => openMsgstore(db)).toThrow();
      } finally {
        db.close();
      }
    },
  );
});
