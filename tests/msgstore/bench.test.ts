/**
 * Scale check, behind a flag (slow): MSGSTORE_BENCH=1 npx vitest run tests/msgstore/bench.test.ts
 * Fills the real current DDL with N messages across C chats (with media, quotes, reactions and
 * system rows sprinkled in) and times readChats + streaming every chat.
 */
import { describe, expect, it } from 'vitest';
import { openMsgstore } from '../../src/core/msgstore/reader';
import { previewText } from '../../src/core/msgstore/describe';
import { sharedText } from '../shared';
import { openMemory } from './open-sqlite';

const N = Number(process.env.MSGSTORE_BENCH_N ?? 1_000_000);
const C = Number(process.env.MSGSTORE_BENCH_CHATS ?? 2_000);

describe.skipIf(!process.env.MSGSTORE_BENCH)('msgstore reader at scale', () => {
  it(`reads ${N} messages in ${C} chats`, async () => {
    const db = await openMemory();
    db.raw.exec(sharedText('spec/msgstore-new-schema.sql'));
    db.raw.exec(`
      CREATE INDEX message_chat_sort_id_index ON message (chat_row_id, sort_id);
      CREATE INDEX message_chat_id_index ON message (chat_row_id, _id);
      CREATE INDEX message_add_on_parent_message_row_id_index ON message_add_on (parent_message_row_id);
      CREATE INDEX message_poll_option_message_row_id_index ON message_poll_option (message_row_id);
      CREATE INDEX message_system_chat_participant_index ON message_system_chat_participant (message_row_id);`);
    const t0 = performance.now();
    db.raw.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${C + 100})
      INSERT INTO jid (_id, user, server, type, raw_string)
        SELECT i, CAST(4910000000000 + i AS TEXT), CASE WHEN i % 10 = 0 AND i <= ${C} THEN 'g.us' ELSE 's.whatsapp.net' END, 0,
               CAST(4910000000000 + i AS TEXT) || '@' || CASE WHEN i % 10 = 0 AND i <= ${C} THEN 'g.us' ELSE 's.whatsapp.net' END FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${C})
      INSERT INTO chat (_id, jid_row_id, subject) SELECT i, i, CASE WHEN i % 10 = 0 THEN 'Group ' || i END FROM n;
      INSERT INTO message (_id, chat_row_id, from_me, key_id, sort_id) VALUES (1, -1, 0, '-1', 0);
      WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ${N + 1})
      INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data, sort_id, origination_flags)
        SELECT i, 1 + (i * 7919) % ${C}, i % 3 = 0, 'K' || i, ${C} + 1 + i % 50, 1600000000000 + i * 1000,
               CASE WHEN i % 50 = 0 THEN 1 WHEN i % 97 = 0 THEN 7 ELSE 0 END,
               'message number ' || i || ' with some ordinary words in it', i, i % 40 = 0 FROM n;
      INSERT INTO message_media (message_row_id, chat_row_id, file_path, mime_type, file_size, width, height)
        SELECT _id, chat_row_id, 'Media/WhatsApp Images/IMG-' || _id || '.jpg', 'image/jpeg', 100000, 1600, 1200 FROM message WHERE message_type = 1;
      INSERT INTO message_thumbnail (message_row_id, thumbnail) SELECT _id, zeroblob(3000) FROM message WHERE message_type = 1;
      INSERT INTO message_system (message_row_id, action_type) SELECT _id, 12 FROM message WHERE message_type = 7;
      INSERT INTO message_system_chat_participant (message_row_id, user_jid_row_id) SELECT _id, ${C} + 5 FROM message WHERE message_type = 7;
      INSERT INTO message_quoted (message_row_id, chat_row_id, parent_message_chat_row_id, from_me, key_id, message_type, text_data)
        SELECT m._id, m.chat_row_id, m.chat_row_id, 0, 'K' || (m._id - ${C}), 0, 'quoted' FROM message m WHERE m._id % 20 = 0 AND m._id > ${C};
      INSERT INTO message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, message_add_on_type)
        SELECT chat_row_id, 0, 'R' || _id, ${C} + 3, _id, 1, 56 FROM message WHERE _id % 25 = 0;
      INSERT INTO message_add_on_reaction (message_add_on_row_id, reaction) SELECT _id, '👍' FROM message_add_on;
    `);
    const t1 = performance.now();
    const reader = openMsgstore(db);
    const chats = reader.readChats();
    const t2 = performance.now();
    let count = 0;
    let quotesResolved = 0;
    let chars = 0;
    for (const c of chats) {
      for (const page of reader.messagePages(c.id)) {
        count += page.length;
        for (const m of page) {
          if (m.quoted?.pos !== undefined) quotesResolved++;
          chars += previewText(m).length;
        }
      }
    }
    const t3 = performance.now();
    console.log(
      `build ${(t1 - t0).toFixed(0)} ms; readChats ${(t2 - t1).toFixed(0)} ms; messagePages ${(t3 - t2).toFixed(0)} ms ` +
        `for ${count} messages in ${chats.length} chats (${quotesResolved} quotes resolved, ${chars} preview chars)`,
    );
    expect(count).toBe(N);
    db.close();
  }, 600_000);
});
