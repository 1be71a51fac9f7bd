/**
 * Schema drift and odd rows: old or stripped databases lack tables and columns; rows carry NULLs
 * and unknown codes. The readers fall back and never throw.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/msgstore/model';
import { openMsgstore } from '../../src/core/msgstore/reader';
import { detectEra } from '../../src/core/msgstore/era';
import { previewText } from '../../src/core/msgstore/describe';
import { isUnsealError } from '../../src/core/errors';
import { openMemory } from './open-sqlite';

function readAll(db: Parameters<typeof openMsgstore>[0]) {
  const reader = openMsgstore(db);
  return reader.readChats().map((chat) => {
    const messages: Message[] = [];
    for (const p of reader.messagePages(chat.id, 2)) messages.push(...p);
    return { chat, messages };
  });
}

describe('schema drift', () => {
  it('current era with only message/chat/jid and few columns (no sort_id, no side tables)', async () => {
    const db = await openMemory();
    db.raw.exec(`
      CREATE TABLE jid (_id INTEGER PRIMARY KEY, user TEXT, server TEXT);
      CREATE TABLE chat (_id INTEGER PRIMARY KEY, jid_row_id INTEGER);
      CREATE TABLE message (_id INTEGER PRIMARY KEY, chat_row_id INTEGER, from_me INTEGER, key_id TEXT, timestamp INTEGER, message_type INTEGER, text_data TEXT);
      INSERT INTO jid VALUES (1, '4917600000001', 's.whatsapp.net'), (2, '120363000000000002', 'g.us');
      INSERT INTO chat VALUES (1, 1), (2, 2), (3, 99);
      INSERT INTO message VALUES (1, -1, 0, '-1', 0, NULL, NULL),
        (2, 1, 0, 'a', 1000, 0, 'hello'), (3, 1, NULL, NULL, NULL, NULL, NULL), (4, 1, 1, 'c', 3000, 7, NULL),
        (5, 2, 0, 'd', 4000, 1, 'caption'), (6, 3, 0, 'e', 5000, 66, 'Q?'), (7, 7, 0, 'f', 6000, 90, NULL);`);
    expect(detectEra(db)).toBe('current');
    const out = readAll(db);
    expect(out.map((c) => [c.chat.id, c.chat.title, c.messages.length])).toEqual([
      [1, '+4917600000001', 3],
      [2, 'Unnamed group', 1],
      [3, 'chat-3', 1], // the chat's jid row is missing
      [7, 'chat-7', 1], // messages whose chat row is missing are still delivered
    ]);
    const [hello, odd, sys] = out[0]!.messages;
    expect(hello).toMatchObject({ kind: 'text', text: 'hello', fromMe: false });
    expect(odd).toMatchObject({ kind: 'unsupported', type: -1, fromMe: false, ts: 0 });
    expect(sys).toMatchObject({ kind: 'system', system: { code: 59 } });
    expect(out[1]!.messages[0]).toMatchObject({ kind: 'image', text: 'caption' });
    expect(out[2]!.messages[0]).toMatchObject({ kind: 'poll', poll: { question: 'Q?', options: [] } });
    expect(out[3]!.messages[0]).toMatchObject({ kind: 'call', call: { outcome: 'unknown' } });
    for (const c of out) for (const m of c.messages) expect(typeof previewText(m)).toBe('string');
    db.close();
  });

  it('legacy era with the 2017 column set and no side tables at all', async () => {
    const db = await openMemory();
    db.raw.exec(`
      CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, data TEXT, timestamp INTEGER, media_wa_type TEXT, media_size INTEGER, remote_resource TEXT);
      INSERT INTO messages VALUES (1, '-1', 0, '-1', -1, NULL, 0, '-1', -1, NULL);
      INSERT INTO messages VALUES (2, '4917600000001-1500000000@g.us', 1, 'k1', 6, 'Trip', 1000, '0', 11, '4917600000001@s.whatsapp.net');
      INSERT INTO messages VALUES (3, '4917600000001-1500000000@g.us', 0, 'k2', 0, 'hi', 2000, '0', 0, '4917600000002@s.whatsapp.net');
      INSERT INTO messages VALUES (4, '4917600000001-1500000000@g.us', 0, 'k3', 0, NULL, 3000, 'x', 0, NULL);
      INSERT INTO messages VALUES (5, '4917600000001-1500000000@g.us', 0, 'k4', 6, NULL, 4000, '0', 4242, NULL);`);
    expect(detectEra(db)).toBe('legacy');
    const [g] = readAll(db);
    expect(g!.chat).toMatchObject({ id: 1, kind: 'group', title: 'Unnamed group', messageCount: 4 });
    expect(g!.messages.map((m) => previewText(m))).toEqual([
      'You created group “Trip”',
      'hi',
      'Unsupported message (type -1)',
      'System message (code 4242)',
    ]);
    expect(g!.messages[1]!.sender).toEqual({ jid: '4917600000002@s.whatsapp.net', title: '+4917600000002' });
    db.close();
  });

  it('empty or foreign databases are not chat backups; an empty current one is valid', async () => {
    const empty = await openMemory();
    expect(() => detectEra(empty)).toThrow();
    try {
      detectEra(empty);
    } catch (e) {
      expect(isUnsealError(e, 'not-a-chat-backup')).toBe(true);
    }
    const ios = await openMemory();
    ios.raw.exec('CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY)');
    expect(() => detectEra(ios)).toThrow(expect.objectContaining({ code: 'unsupported-version' }));
    const valid = await openMemory();
    valid.raw.exec(`CREATE TABLE jid (_id INTEGER PRIMARY KEY, user TEXT, server TEXT, raw_string TEXT);
      CREATE TABLE chat (_id INTEGER PRIMARY KEY, jid_row_id INTEGER);
      CREATE TABLE message (_id INTEGER PRIMARY KEY, chat_row_id INTEGER, from_me INTEGER, key_id TEXT);
      INSERT INTO message VALUES (1, -1, 0, '-1');`);
    expect(openMsgstore(valid).readChats()).toEqual([]);
    for (const d of [empty, ios, valid]) d.close();
  });
});
