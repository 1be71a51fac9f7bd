/**
 * `allPages` (every chat's pages, chats interleaved as the database reads fastest) must give each
 * chat exactly the pages `messagePages` gives it, whatever the page size and buffer bound: on the
 * current fixture (one chat whose sort order differs from its row order), on every real sample,
 * and on a generated database whose chats interleave row by row.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/msgstore/model';
import { openMsgstore, type MsgstoreReader } from '../../src/core/msgstore/reader';
import { SHARED, sharedText } from '../shared';
import { buildCurrentFixture, CHAT } from './current-fixture';
import { openMemory, openShared, type TestDb } from './open-sqlite';

/** Each chat's pages as `messagePages` gives them, chat after chat. */
function perChat(reader: MsgstoreReader, pageSize: number): Map<number, Message[][]> {
  const out = new Map<number, Message[][]>();
  for (const chat of reader.readChats()) {
    const pages = [...reader.messagePages(chat.id, pageSize)].filter((p) => p.length > 0);
    if (pages.length) out.set(chat.id, pages);
  }
  return out;
}

/** `allPages` regrouped by chat, and the order chats came in. */
function interleaved(reader: MsgstoreReader, pageSize: number, bufferRows: number): { pages: Map<number, Message[][]>; order: number[] } {
  const pages = new Map<number, Message[][]>();
  const order: number[] = [];
  for (const { chatId, messages } of reader.allPages(pageSize, bufferRows)) {
    order.push(chatId);
    if (messages.length === 0) continue;
    let list = pages.get(chatId);
    if (!list) pages.set(chatId, (list = []));
    list.push(messages);
  }
  return { pages, order };
}

const SIZES: [pageSize: number, bufferRows: number][] = [
  [3, 1],
  [4, 10],
  [7, 1_000],
  [500, 100_000],
];

function expectSamePages(db: TestDb): void {
  for (const [pageSize, bufferRows] of SIZES) {
    const expected = perChat(openMsgstore(db), pageSize);
    const { pages } = interleaved(openMsgstore(db), pageSize, bufferRows);
    expect([...pages.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const [chatId, list] of expected) expect(pages.get(chatId), `chat ${chatId}, pages of ${pageSize}`).toEqual(list);
  }
}

describe('allPages on the current fixture', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await buildCurrentFixture();
  });
  afterAll(() => db?.close());

  it('gives every chat the pages messagePages gives it', () => {
    expectSamePages(db);
  });

  it('reads the chat whose sort order is not its row order on its own, after the swept ones', () => {
    const { order } = interleaved(openMsgstore(db), 3, 1_000);
    const group = order.indexOf(CHAT.group);
    expect(group).toBeGreaterThan(-1);
    expect(order.slice(group).every((id) => id === CHAT.group)).toBe(true);
  });
});

const samples = ['android-legacy', 'android-transitional', 'android-new'].flatMap((dir) =>
  readdirSync(resolve(SHARED, 'samples', dir))
    .filter((f) => f.endsWith('.db'))
    .map((f) => `${dir}/${f}`),
);

describe.each(samples)('allPages on %s', (file) => {
  it('gives every chat the pages messagePages gives it', async () => {
    const db = await openShared(`samples/${file}`);
    try {
      expectSamePages(db);
    } finally {
      db.close();
    }
  });
});

describe('allPages on chats that interleave row by row', () => {
  const CHATS = 9;
  const MESSAGES = 2_000;
  let db: TestDb;
  beforeAll(async () => {
    db = await openMemory();
    db.raw.exec(sharedText('spec/msgstore-new-schema.sql'));
    db.raw.exec('CREATE INDEX message_chat_sort_id_index ON message (chat_row_id, sort_id);');
    // Rows go to the chats in a scattered order, the first chats getting fewer; the even chats'
    // sort ids are not their row ids (but in the same order), so they are checked and swept; every 13th row quotes one 40 rows back
    // in its chat, every 17th has a thumbnail, every 23rd a reaction.
    db.raw.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CHATS + 5})
      INSERT INTO jid (_id, user, server, type, raw_string)
        SELECT i, CAST(4910000000000 + i AS TEXT), CASE WHEN i % 3 = 0 THEN 'g.us' ELSE 's.whatsapp.net' END, 0,
               CAST(4910000000000 + i AS TEXT) || '@' || CASE WHEN i % 3 = 0 THEN 'g.us' ELSE 's.whatsapp.net' END FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CHATS})
      INSERT INTO chat (_id, jid_row_id, subject) SELECT i, i, CASE WHEN i % 3 = 0 THEN 'Group ' || i END FROM n;
      INSERT INTO message (_id, chat_row_id, from_me, key_id, sort_id) VALUES (1, -1, 0, '-1', 0);
      WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ${MESSAGES + 1})
      INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data, sort_id)
        SELECT i, 1 + ((i * 7919) % 1000) * ((i * 7919) % 1000) / ${Math.ceil(1_000_000 / CHATS)}, i % 3 = 0, 'K' || i, ${CHATS} + 1 + i % 4, 1600000000000 + i * 1000,
               CASE WHEN i % 17 = 0 THEN 1 ELSE 0 END, 'message ' || i, i FROM n;
      UPDATE message SET sort_id = _id * 3 WHERE chat_row_id % 2 = 0;
      INSERT INTO message_media (message_row_id, chat_row_id, file_path, mime_type)
        SELECT _id, chat_row_id, 'Media/IMG-' || _id || '.jpg', 'image/jpeg' FROM message WHERE message_type = 1;
      INSERT INTO message_thumbnail (message_row_id, thumbnail) SELECT _id, randomblob(20) FROM message WHERE message_type = 1;
      INSERT INTO message_quoted (message_row_id, chat_row_id, parent_message_chat_row_id, from_me, key_id, message_type, text_data)
        SELECT m._id, m.chat_row_id, m.chat_row_id, 0, q.key_id, 0, 'quoted'
        FROM message m JOIN message q ON q.chat_row_id = m.chat_row_id AND q._id = (SELECT max(_id) FROM message x WHERE x.chat_row_id = m.chat_row_id AND x._id < m._id - 40)
        WHERE m._id % 13 = 0;
      INSERT INTO message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, message_add_on_type)
        SELECT chat_row_id, 0, 'R' || _id, ${CHATS} + 2, _id, 1, 56 FROM message WHERE _id % 23 = 0;
      INSERT INTO message_add_on_reaction (message_add_on_row_id, reaction) SELECT _id, '👍' FROM message_add_on;
    `);
  });
  afterAll(() => db?.close());

  it('gives every chat the pages messagePages gives it', () => {
    expectSamePages(db);
    const all = [...perChat(openMsgstore(db), 7).values()].flat(2);
    expect(all.length).toBe(MESSAGES);
    expect(openMsgstore(db).readChats().length).toBe(CHATS);
    expect(all.filter((m) => m.quoted?.pos !== undefined).length).toBeGreaterThan(100);
    expect(all.filter((m) => m.media?.thumbnail).length).toBeGreaterThan(100);
    expect(all.filter((m) => m.reactions?.length).length).toBeGreaterThan(50);
  });

  it('interleaves the chats as far as the buffer bound allows', () => {
    const { order } = interleaved(openMsgstore(db), 7, 100_000);
    // Chat after chat would switch chats CHATS - 1 times.
    let switches = 0;
    for (let i = 1; i < order.length; i++) if (order[i] !== order[i - 1]) switches++;
    expect(switches).toBeGreaterThan(CHATS * 10);
    // A chat whose sort ids differ from its row ids, in the same order, is swept with the others.
    const span = order.slice(order.indexOf(2), order.lastIndexOf(2) + 1);
    expect(new Set(span).size).toBeGreaterThan(1);
    // A bound below one page per chat: one chat per pass, so chat after chat.
    const alone = interleaved(openMsgstore(db), 7, 1).order;
    let aloneSwitches = 0;
    for (let i = 1; i < alone.length; i++) if (alone[i] !== alone[i - 1]) aloneSwitches++;
    expect(aloneSwitches).toBe(CHATS - 1);
  });
});
