/**
 * The current-schema reader against a small populated database built from the real DDL
 * (current-fixture.ts): every kind of row the brief names, checked field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, Message } from '../../src/core/msgstore/model';
import { openMsgstore, type MsgstoreReader } from '../../src/core/msgstore/reader';
import { previewText } from '../../src/core/msgstore/describe';
import { detectEra } from '../../src/core/msgstore/era';
import { buildCurrentFixture, CHAT, THUMB, T0 } from './current-fixture';
import type { TestDb } from './open-sqlite';

let db: TestDb;
let reader: MsgstoreReader;
let chats: Chat[];
const byChat = new Map<number, Message[]>();

beforeAll(async () => {
  db = await buildCurrentFixture();
  reader = openMsgstore(db);
  chats = reader.readChats();
  for (const c of chats) {
    const all: Message[] = [];
    for (const p of reader.messagePages(c.id, 3)) all.push(...p);
    byChat.set(c.id, all);
  }
});
afterAll(() => db?.close());

const msg = (chat: number, id: number) => {
  const m = byChat.get(chat)!.find((x) => x.id === id);
  if (!m) throw new Error(`no message ${id} in chat ${chat}`);
  return m;
};

describe('current schema: chats', () => {
  it('is detected as current', () => {
    expect(detectEra(db)).toBe('current');
    expect(reader.era).toBe('current');
  });

  it('lists only chats with messages, never the status feed', () => {
    expect(chats.map((c) => c.id).sort()).toEqual([CHAT.alice, CHAT.group, CHAT.eve, CHAT.dave].sort());
  });

  it('applies the title rule: +digits, group subject, mapped lid → phone, unmapped lid → LID:', () => {
    const t = Object.fromEntries(chats.map((c) => [c.id, c.title]));
    expect(t[CHAT.alice]).toBe('+4917612345000');
    expect(t[CHAT.group]).toBe('Climbing Club');
    expect(t[CHAT.eve]).toBe('+4930111222333');
    expect(t[CHAT.dave]).toBe('LID:999988887777666');
  });

  it('fills kind, archived, counts, last activity, created and participants', () => {
    const alice = chats.find((c) => c.id === CHAT.alice)!;
    const group = chats.find((c) => c.id === CHAT.group)!;
    expect(alice).toMatchObject({ kind: 'person', archived: true, messageCount: 15, jid: '4917612345000@s.whatsapp.net' });
    expect(alice.lastActivity).toBe(byChat.get(CHAT.alice)!.at(-1)!.ts);
    expect(group).toMatchObject({ kind: 'group', archived: false, messageCount: 11, createdAt: T0 });
    expect(group.participants).toEqual([
      { jid: '4915112345678@s.whatsapp.net', title: '+4915112345678', admin: false },
      { jid: '111122223333444@lid', title: '+4916099887766', admin: true },
      { jid: '999988887777666@lid', title: 'LID:999988887777666', admin: false },
    ]);
  });
});

describe('current schema: messages', () => {
  it('streams in (chat_row_id, sort_id) order with pos 0..n-1, placeholder skipped', () => {
    const group = byChat.get(CHAT.group)!;
    expect(group.map((m) => m.id)).toEqual([30, 41, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(group.map((m) => m.pos)).toEqual(group.map((_, i) => i));
    expect([...byChat.values()].flat().some((m) => m.id === 1)).toBe(false);
  });

  it('uses WhatsApp’s (chat_row_id, sort_id) index for paging, without a sort step', () => {
    const plan = db
      .all(
        `EXPLAIN QUERY PLAN SELECT _id FROM message m WHERE m.chat_row_id = ? AND (m.sort_id, m._id) > (?, ?) ORDER BY m.sort_id, m._id LIMIT ?`,
        [3, 0, 0, 10],
      )
      .map((r) => String(r.detail))
      .join('\n');
    expect(plan).toMatch(/message_chat_sort_id_index/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('system events get wording', () => {
    expect(msg(CHAT.alice, 10)).toMatchObject({ kind: 'system', system: { code: 67, text: 'Messages and calls are end-to-end encrypted' } });
    expect(msg(CHAT.group, 30).system).toEqual({ code: 11, text: 'You created group “Climbing Club”' });
    expect(msg(CHAT.group, 31).system).toEqual({ code: 12, text: 'You added +4915112345678 and +4916099887766' });
    expect(msg(CHAT.group, 35).system).toEqual({ code: 1, text: '+4915112345678 changed the group name to “Climbers”' });
    expect(msg(CHAT.group, 30).text).toBeUndefined();
  });

  it('text, senders (phone, mapped lid, unmapped lid), forwarded, starred', () => {
    expect(msg(CHAT.alice, 11)).toMatchObject({ kind: 'text', text: 'Hi there', fromMe: false, keyId: 'K11', type: 0 });
    expect(msg(CHAT.alice, 11).sender).toBeUndefined(); // 1:1: the chat is the author
    expect(msg(CHAT.group, 32)).toMatchObject({ sender: { title: '+4915112345678' }, forwarded: true, starred: true });
    expect(msg(CHAT.group, 33).sender).toEqual({ jid: '111122223333444@lid', title: '+4916099887766' });
    expect(msg(CHAT.group, 34).sender).toEqual({ jid: '999988887777666@lid', title: 'LID:999988887777666' });
    expect(msg(CHAT.group, 41).sender).toBeUndefined(); // mine
  });

  it('replies point at the original’s pos, or keep the snapshot', () => {
    const alice = byChat.get(CHAT.alice)!;
    const q = msg(CHAT.alice, 12).quoted!;
    expect(q).toMatchObject({ keyId: 'K11', fromMe: false, kind: 'text', text: 'Hi there' });
    expect(alice[q.pos!]!.id).toBe(11);
    const gone = msg(CHAT.alice, 23).quoted!;
    expect(gone).toMatchObject({ keyId: 'GONE', text: 'an old message' });
    expect(gone.pos).toBeUndefined();
    const g = byChat.get(CHAT.group)!;
    const q2 = msg(CHAT.group, 33).quoted!;
    expect(q2.sender?.title).toBe('+4915112345678');
    expect(g[q2.pos!]!.id).toBe(32);
    const early = msg(CHAT.group, 38).quoted!; // original sorts later: found by the fallback lookup
    expect(g[early.pos!]!.id).toBe(39);
  });

  it('reactions: latest per sender, removed ones dropped, 1:1 sender is the partner', () => {
    expect(msg(CHAT.alice, 11).reactions).toEqual([{ emoji: '❤️', fromMe: true, ts: T0 + 5 }]);
    expect(msg(CHAT.alice, 13).reactions).toEqual([
      { emoji: '😂', fromMe: false, sender: { jid: '4917612345000@s.whatsapp.net', title: '+4917612345000' }, ts: T0 + 6 },
    ]);
    const r = msg(CHAT.group, 32).reactions!;
    expect(r.map((x) => [x.sender?.title ?? 'me', x.emoji])).toEqual([
      ['+4916099887766', '🔥'],
      ['LID:999988887777666', '👍'],
    ]);
  });

  it('edits (message_edit_info and add-on 74) and deletions (sender, admin)', () => {
    expect(msg(CHAT.alice, 16)).toMatchObject({ edited: true, text: 'Edited text' });
    expect(msg(CHAT.group, 39).edited).toBe(true);
    expect(msg(CHAT.alice, 11).edited).toBeUndefined();
    expect(msg(CHAT.alice, 15)).toMatchObject({ kind: 'deleted', deleted: 'sender', type: 15 });
    expect(msg(CHAT.group, 36)).toMatchObject({ kind: 'deleted', deleted: 'admin', type: 64 });
    expect(previewText(msg(CHAT.alice, 15))).toBe('This message was deleted');
  });

  it('media: image with caption and thumbnail, document, voice note', () => {
    const img = msg(CHAT.alice, 13);
    expect(img).toMatchObject({
      kind: 'image',
      text: 'Sunset',
      media: { mime: 'image/jpeg', filePath: 'Media/WhatsApp Images/IMG-20240601-WA0001.jpg', size: 123456, width: 1600, height: 1200, fileHash: 'aGFzaA==' },
    });
    expect(img.media!.thumbnail).toEqual(THUMB);
    expect(previewText(img)).toBe('📷 Photo · Sunset');
    const doc = msg(CHAT.alice, 14);
    expect(doc).toMatchObject({ kind: 'document', media: { fileName: 'report.pdf', pageCount: 3, mime: 'application/pdf' } });
    expect(previewText(doc)).toBe('📄 report.pdf');
    const sticker = msg(CHAT.alice, 24);
    expect(sticker).toMatchObject({ kind: 'sticker', media: { animated: true, mime: 'image/webp' } });
    expect(sticker.media!.thumbnail).toEqual(THUMB); // from media_hash_thumbnail
    const voice = msg(CHAT.alice, 21);
    expect(voice).toMatchObject({ kind: 'voice', media: { durationSec: 42 } });
    expect(previewText(voice)).toBe('🎤 Voice message (0:42)');
  });

  it('calls: call-log entry and missed call', () => {
    expect(msg(CHAT.alice, 17).call).toEqual({ video: true, outcome: 'answered', durationSec: 42 });
    expect(previewText(msg(CHAT.alice, 17))).toBe('📞 Incoming video call (0:42)');
    expect(msg(CHAT.alice, 18).call).toEqual({ video: false, outcome: 'missed' });
    expect(previewText(msg(CHAT.alice, 18))).toBe('📞 Missed voice call');
  });

  it('location, contact card, poll, event', () => {
    expect(msg(CHAT.alice, 19).location).toEqual({ lat: 52.5163, lon: 13.3777, name: 'Brandenburger Tor', address: 'Pariser Platz, Berlin' });
    expect(previewText(msg(CHAT.alice, 19))).toBe('📍 Location: Brandenburger Tor');
    expect(msg(CHAT.alice, 20)).toMatchObject({
      kind: 'contact',
      text: 'Jane Roe',
      contacts: [{ name: 'Jane Roe', numbers: ['+49 155 50001', '+49 30 1234'] }],
    });
    expect(msg(CHAT.group, 34)).toMatchObject({
      kind: 'poll',
      poll: { question: 'Where to?', options: [{ name: 'Crag', votes: 2 }, { name: 'Gym', votes: 1 }], multiSelect: false },
    });
    expect(previewText(msg(CHAT.group, 34))).toBe('📊 Poll: Where to?');
    expect(msg(CHAT.group, 37).event).toEqual({ name: 'Bouldering night', description: 'Bring chalk', startTime: T0 + 86_400_000, location: 'The Gym' });
  });

  it('unknown types are unsupported, with the raw type kept', () => {
    expect(msg(CHAT.alice, 22)).toMatchObject({ kind: 'unsupported', type: 999 });
    expect(previewText(msg(CHAT.alice, 22))).toBe('Unsupported message (type 999)');
  });

  it('messages are plain data (structured-clone safe)', () => {
    const all = [...byChat.values()].flat();
    expect(structuredClone(all)).toEqual(all);
  });
});
