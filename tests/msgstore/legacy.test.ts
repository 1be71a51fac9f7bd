/**
 * Legacy and transitional specifics on the real samples: replies resolve to their originals,
 * media paths come out of the Java-serialized MediaData, calls, system rows, contact cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, Message } from '../../src/core/msgstore/model';
import { openMsgstore } from '../../src/core/msgstore/reader';
import { previewText } from '../../src/core/msgstore/describe';
import { openShared, type TestDb } from './open-sqlite';

function readAll(db: TestDb): { chats: Chat[]; messages: Map<number, Message[]> } {
  const reader = openMsgstore(db);
  const chats = reader.readChats();
  const messages = new Map<number, Message[]>();
  for (const c of chats) {
    const all: Message[] = [];
    for (const p of reader.messagePages(c.id)) all.push(...p);
    messages.set(c.id, all);
  }
  return { chats, messages };
}

describe('roycsc 2017 (legacy)', () => {
  let db: TestDb;
  let data: ReturnType<typeof readAll>;
  beforeAll(async () => {
    db = await openShared('samples/android-legacy/roycsc-2017-msgstore.db');
    data = readAll(db);
  });
  afterAll(() => db?.close());

  it('every one of the 18 quoted replies resolves to its original in the same chat', () => {
    const expected = Number(db.all('SELECT count(*) AS n FROM messages WHERE quoted_row_id > 0')[0]!.n);
    expect(Number(db.all('SELECT count(*) AS n FROM messages_quotes')[0]!.n)).toBe(18);
    let replies = 0;
    for (const list of data.messages.values()) {
      for (const m of list) {
        if (!m.quoted) continue;
        replies++;
        expect(m.quoted.pos, `reply ${m.id}`).toBeDefined();
        expect(m.quoted.pos!).toBeLessThan(m.pos);
        expect(list[m.quoted.pos!]!.keyId).toBe(m.quoted.keyId);
        expect(list[m.quoted.pos!]!.fromMe).toBe(m.quoted.fromMe);
      }
    }
    expect(replies).toBe(expected);
    expect(replies).toBeGreaterThanOrEqual(17);
  });

  it('the group: subject, participants (me as "You"), senders, creation system row', () => {
    const group = data.chats.find((c) => c.kind === 'group')!;
    expect(group.title).toBe('Test Group');
    expect(group.participants).toEqual([
      { jid: '', title: 'You', admin: true },
      { jid: '60126523458@s.whatsapp.net', title: '+60126523458', admin: false },
      { jid: '60123823455@s.whatsapp.net', title: '+60123823455', admin: false },
    ]);
    const list = data.messages.get(group.id)!;
    expect(list[0]!.system).toEqual({ code: 19, text: 'Messages are end-to-end encrypted' });
    expect(list[1]!.system).toEqual({ code: 11, text: 'You created group “Test Group”' });
    expect(list.find((m) => m.text === 'ding dong')!.sender).toEqual({ jid: '60123823455@s.whatsapp.net', title: '+60123823455' });
  });

  it('media paths from MediaData, voice notes, thumbnails, captions, the vCard', () => {
    const all = [...data.messages.values()].flat();
    const voice = all.find((m) => m.id === 45)!;
    expect(voice).toMatchObject({ kind: 'voice', media: { filePath: 'Media/WhatsApp Voice Notes/201732/PTT-20170809-WA0005.opus', durationSec: 1 } });
    const img = all.find((m) => m.id === 41)!;
    expect(img).toMatchObject({ kind: 'image', text: 'bird with comment', media: { filePath: 'Media/WhatsApp Images/IMG-20170809-WA0003.jpg' } });
    expect(img.media!.thumbnail!.slice(0, 2)).toEqual(new Uint8Array([0xff, 0xd8]));
    const card = all.find((m) => m.id === 61)!;
    expect(card.contacts).toEqual([{ name: 'Ng May Foong', numbers: ['+60 17-206 4754'] }]);
    expect(previewText(card)).toBe('👤 Contact: Ng May Foong');
  });

  it('keeps the status feed out', () => {
    expect(data.chats.some((c) => c.jid === 'status@broadcast')).toBe(false);
  });
});

describe('legacy calls', () => {
  it('kisanthapa: a call row joined to call_logs (rejected)', async () => {
    const db = await openShared('samples/android-legacy/kisanthapa-2018-msgstore.db');
    const { messages } = readAll(db);
    const call = [...messages.values()].flat().find((m) => m.kind === 'call')!;
    expect(call).toMatchObject({ type: 8, fromMe: true, call: { video: false, outcome: 'rejected' } });
    expect(previewText(call)).toBe('📞 Declined voice call');
    db.close();
  });

  it('kuuhaku: an answered incoming voice call with its duration', async () => {
    const db = await openShared('samples/android-legacy/kuuhaku-2018-msgstore.db');
    const { messages } = readAll(db);
    const call = [...messages.values()].flat().find((m) => m.id === 29)!;
    expect(call.call).toEqual({ video: false, outcome: 'answered', durationSec: 5 });
    db.close();
  });
});

describe('transitional', () => {
  it('hickman: message_media by messages._id, locations and live locations', async () => {
    const db = await openShared('samples/android-transitional/hickman-android10-2020-msgstore.db');
    const { chats, messages } = readAll(db);
    expect(chats.map((c) => [c.id, c.title])).toEqual([[2, '+19198887386']]);
    const all = messages.get(2)!;
    expect(all.find((m) => m.id === 6)!.media).toMatchObject({ filePath: 'Media/WhatsApp Images/IMG-20200923-WA0001.jpg', width: 1163, height: 1023 });
    expect(all.find((m) => m.id === 7)!.location).toEqual({ lat: 35.6580799, lon: -78.8276912 });
    expect(all.find((m) => m.id === 10)).toMatchObject({ kind: 'live-location', text: 'Here I am!', location: { live: true } });
    db.close();
  });

  it('ersimon: e2e notice code 67, a vCard with item-grouped TEL, a voice note', async () => {
    const db = await openShared('samples/android-transitional/ersimon-2021-msgstore.db');
    const { messages } = readAll(db);
    const all = [...messages.values()].flat();
    expect(all.find((m) => m.id === 9)!.system).toEqual({ code: 67, text: 'Messages and calls are end-to-end encrypted' });
    expect(all.find((m) => m.id === 17)!.contacts).toEqual([{ name: 'Tizio Caio WhatsApp Root Tesi', numbers: ['+1 (949) 842-0957'] }]);
    expect(all.find((m) => m.id === 19)!.kind).toBe('voice');
    expect(all.find((m) => m.id === 16)!.text).toBe('Immagine con descrizione');
    db.close();
  });

  it('whatsapp-viewer synthetic: a quote resolves inside its own chat even when another chat reuses the key id', async () => {
    const db = await openShared('samples/android-legacy/whatsapp-viewer-synthetic-legacy.db');
    const { chats, messages } = readAll(db);
    const chat = chats.find((c) => c.jid === '0-Quote@s.whatsapp.net')!;
    const list = messages.get(chat.id)!;
    const reply = list.find((m) => m.quoted)!;
    expect(reply.quoted).toMatchObject({ keyId: 'keyId-0006-001', pos: 0, text: 'Text of first user' });
    expect(list[0]!.id).toBe(6001);
    // Three chat rows without messages are not listed.
    expect(chats.some((c) => c.jid.startsWith('4917612345000'))).toBe(false);
    const doc = [...messages.values()].flat().find((m) => m.id === 900002)!;
    expect(previewText(doc)).toBe('📄 DOC-20161011-WA0001.pdf');
    db.close();
  });
});
