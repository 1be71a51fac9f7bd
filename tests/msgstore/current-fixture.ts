/**
 * A small populated CURRENT-schema msgstore, built in memory from the real DDL
 * (../shared/spec/msgstore-new-schema.sql, read verbatim from a 2025 WhatsApp database) plus the
 * indexes WhatsApp defines on `message` (from the same database's full schema dump).
 * The real current-era samples are empty, so this is the only populated current fixture.
 */
import { sharedText } from '../shared';
import { openMemory, type TestDb } from './open-sqlite';
import type { SqlValue } from '../../src/core/msgstore/sql';

export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
export const THUMB = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
export const VCARD =
  'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roe;Jane;;;\r\nFN:Jane Roe\r\nitem1.TEL;waid=4915550001:+49 155 50001\r\nTEL;type=HOME:+49 30 1234\r\nEND:VCARD';

/** Jid row ids, for the assertions. */
export const J = {
  status: 1, alice: 2, group: 3, bob: 4, carolLid: 5, carolPhone: 6, daveLid: 7, eveLid: 8, evePhone: 9,
} as const;
export const CHAT = { status: 1, alice: 2, group: 3, eve: 4, bobEmpty: 5, dave: 6 } as const;

const WHATSAPP_INDEXES = `
CREATE UNIQUE INDEX jid_raw_string_index ON jid (raw_string);
CREATE UNIQUE INDEX message_key_index ON message (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE INDEX message_sort_id_index ON message (sort_id);
CREATE INDEX message_chat_id_index ON message (chat_row_id,_id);
CREATE INDEX message_chat_sort_id_index ON message (chat_row_id, sort_id);
CREATE INDEX message_add_on_parent_message_row_id_index ON message_add_on (parent_message_row_id);
CREATE UNIQUE INDEX message_add_on_key_index ON message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE INDEX message_poll_option_message_row_id_index ON message_poll_option (message_row_id);
CREATE UNIQUE INDEX message_vcard_index ON message_vcard (message_row_id, vcard);
CREATE INDEX message_system_chat_participant_index ON message_system_chat_participant (message_row_id);
CREATE UNIQUE INDEX missed_call_logs_key_index ON missed_call_logs (message_row_id);
`;

export async function buildCurrentFixture(): Promise<TestDb> {
  const db = await openMemory();
  db.raw.exec(sharedText('spec/msgstore-new-schema.sql'));
  db.raw.exec(WHATSAPP_INDEXES);
  const ins = (table: string, row: Record<string, SqlValue>) => {
    const cols = Object.keys(row);
    db.raw.exec({ sql: `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`, bind: Object.values(row) as SqlValue[] });
  };

  const jids: [number, string, string, number][] = [
    [J.status, 'status', 'broadcast', 5],
    [J.alice, '4917612345000', 's.whatsapp.net', 0],
    [J.group, '120363000000000001', 'g.us', 1],
    [J.bob, '4915112345678', 's.whatsapp.net', 0],
    [J.carolLid, '111122223333444', 'lid', 18],
    [J.carolPhone, '4916099887766', 's.whatsapp.net', 0],
    [J.daveLid, '999988887777666', 'lid', 18],
    [J.eveLid, '123456789012345', 'lid', 18],
    [J.evePhone, '4930111222333', 's.whatsapp.net', 0],
  ];
  for (const [id, user, server, type] of jids) ins('jid', { _id: id, user, server, type, raw_string: `${user}@${server}` });
  ins('jid_map', { lid_row_id: J.carolLid, jid_row_id: J.carolPhone });
  ins('jid_map', { lid_row_id: J.eveLid, jid_row_id: J.evePhone });

  ins('chat', { _id: CHAT.status, jid_row_id: J.status, hidden: 1 });
  ins('chat', { _id: CHAT.alice, jid_row_id: J.alice, archived: 1 });
  ins('chat', { _id: CHAT.group, jid_row_id: J.group, subject: 'Climbing Club', created_timestamp: T0 });
  ins('chat', { _id: CHAT.eve, jid_row_id: J.eveLid });
  ins('chat', { _id: CHAT.bobEmpty, jid_row_id: J.bob });
  ins('chat', { _id: CHAT.dave, jid_row_id: J.daveLid });

  ins('group_participant_user', { group_jid_row_id: J.group, user_jid_row_id: J.bob, rank: 0, pending: 0 });
  ins('group_participant_user', { group_jid_row_id: J.group, user_jid_row_id: J.carolLid, rank: 1, pending: 0 });
  ins('group_participant_user', { group_jid_row_id: J.group, user_jid_row_id: J.daveLid, rank: 0, pending: 0 });

  // The placeholder row WhatsApp keeps at _id 1.
  ins('message', { _id: 1, chat_row_id: -1, from_me: 0, key_id: '-1', sort_id: 0 });

  let minute = 0;
  const msg = (id: number, chat: number, fromMe: 0 | 1, type: number, extra: Record<string, SqlValue> = {}) =>
    ins('message', {
      _id: id, chat_row_id: chat, from_me: fromMe, key_id: `K${id}`, message_type: type,
      timestamp: T0 + ++minute * 60_000, sort_id: id, status: fromMe ? 13 : 0, origination_flags: 0, starred: 0,
      sender_jid_row_id: 0, ...extra,
    });

  // ---- 1:1 with Alice (chat 2)
  msg(10, CHAT.alice, 0, 7);
  ins('message_system', { message_row_id: 10, action_type: 67 });
  msg(11, CHAT.alice, 0, 0, { text_data: 'Hi there' });
  msg(12, CHAT.alice, 1, 0, { text_data: 'Hello Alice' });
  ins('message_quoted', { message_row_id: 12, chat_row_id: CHAT.alice, parent_message_chat_row_id: CHAT.alice, from_me: 0, key_id: 'K11', message_type: 0, text_data: 'Hi there' });
  msg(13, CHAT.alice, 0, 1, { text_data: 'Sunset' });
  ins('message_media', { message_row_id: 13, chat_row_id: CHAT.alice, file_path: 'Media/WhatsApp Images/IMG-20240601-WA0001.jpg', file_size: 123456, mime_type: 'image/jpeg', width: 1600, height: 1200, file_hash: 'aGFzaA==' });
  ins('message_thumbnail', { message_row_id: 13, thumbnail: THUMB });
  msg(14, CHAT.alice, 1, 9);
  ins('message_media', { message_row_id: 14, chat_row_id: CHAT.alice, file_path: 'Media/WhatsApp Documents/Sent/report.pdf', media_name: 'report.pdf', mime_type: 'application/pdf', page_count: 3, file_size: 2048 });
  msg(15, CHAT.alice, 0, 15);
  ins('message_revoked', { message_row_id: 15, revoked_key_id: 'K15', revoke_timestamp: T0 });
  msg(16, CHAT.alice, 1, 0, { text_data: 'Edited text' });
  ins('message_edit_info', { message_row_id: 16, original_key_id: 'K16', edited_timestamp: T0 + 1, sender_timestamp: T0 + 1 });
  msg(17, CHAT.alice, 0, 90);
  ins('call_log', { _id: 1, jid_row_id: J.alice, from_me: 0, call_id: 'c1', transaction_id: 1, timestamp: T0, video_call: 1, duration: 42, call_result: 5 });
  ins('message_call_log', { message_row_id: 17, call_log_row_id: 1 });
  msg(18, CHAT.alice, 0, 10);
  ins('missed_call_logs', { message_row_id: 18, timestamp: T0, video_call: 0 });
  msg(19, CHAT.alice, 0, 5);
  ins('message_location', { message_row_id: 19, chat_row_id: CHAT.alice, latitude: 52.5163, longitude: 13.3777, place_name: 'Brandenburger Tor', place_address: 'Pariser Platz, Berlin' });
  msg(20, CHAT.alice, 0, 4, { text_data: 'Jane Roe' });
  ins('message_vcard', { message_row_id: 20, vcard: VCARD });
  msg(21, CHAT.alice, 1, 2);
  ins('message_media', { message_row_id: 21, chat_row_id: CHAT.alice, file_path: 'Media/WhatsApp Voice Notes/202406/PTT-20240601-WA0002.opus', mime_type: 'audio/ogg; codecs=opus', media_duration: 42 });
  // A sticker whose thumbnail is only in media_hash_thumbnail.
  msg(24, CHAT.alice, 0, 20);
  ins('message_media', { message_row_id: 24, chat_row_id: CHAT.alice, file_path: 'Media/WhatsApp Stickers/STK-1.webp', mime_type: 'image/webp', file_hash: 'c3RpY2tlcg==', is_animated_sticker: 1 });
  ins('media_hash_thumbnail', { media_hash: 'c3RpY2tlcg==', thumbnail: THUMB });
  msg(22, CHAT.alice, 0, 999, { text_data: 'from the future' });
  msg(23, CHAT.alice, 1, 0, { text_data: 'Still there?' });
  ins('message_quoted', { message_row_id: 23, chat_row_id: CHAT.alice, parent_message_chat_row_id: CHAT.alice, from_me: 0, key_id: 'GONE', message_type: 0, text_data: 'an old message' });
  // Reactions: mine on 11; Alice's on 13 (1:1 reactions carry sender -1).
  ins('message_add_on', { _id: 1, chat_row_id: CHAT.alice, from_me: 1, key_id: 'R1', sender_jid_row_id: 0, parent_message_row_id: 11, timestamp: T0 + 5, message_add_on_type: 56 });
  ins('message_add_on_reaction', { message_add_on_row_id: 1, reaction: '❤️', sender_timestamp: T0 + 5 });
  ins('message_add_on', { _id: 2, chat_row_id: CHAT.alice, from_me: 0, key_id: 'R2', sender_jid_row_id: -1, parent_message_row_id: 13, timestamp: T0 + 6, message_add_on_type: 56 });
  ins('message_add_on_reaction', { message_add_on_row_id: 2, reaction: '😂', sender_timestamp: T0 + 6 });

  // ---- group (chat 3): sort_id = _id * 10, except 41, which sorts between 30 and 31.
  const g = (id: number, fromMe: 0 | 1, type: number, extra: Record<string, SqlValue> = {}) =>
    msg(id, CHAT.group, fromMe, type, { sort_id: id * 10, ...extra });
  g(30, 1, 7, { text_data: 'Climbing Club' });
  ins('message_system', { message_row_id: 30, action_type: 11 });
  g(41, 1, 0, { text_data: 'Welcome!', sort_id: 305 });
  g(31, 1, 7);
  ins('message_system', { message_row_id: 31, action_type: 12 });
  ins('message_system_chat_participant', { message_row_id: 31, user_jid_row_id: J.bob });
  ins('message_system_chat_participant', { message_row_id: 31, user_jid_row_id: J.carolLid });
  g(32, 0, 0, { sender_jid_row_id: J.bob, text_data: 'Hi all', origination_flags: 1, starred: 1 });
  g(33, 0, 0, { sender_jid_row_id: J.carolLid, text_data: 'Hey Bob' });
  ins('message_quoted', { message_row_id: 33, chat_row_id: CHAT.group, parent_message_chat_row_id: CHAT.group, from_me: 0, sender_jid_row_id: J.bob, key_id: 'K32', message_type: 0, text_data: 'Hi all' });
  g(34, 0, 66, { sender_jid_row_id: J.daveLid, text_data: 'Where to?' });
  ins('message_poll', { message_row_id: 34, selectable_options_count: 1 });
  ins('message_poll_option', { message_row_id: 34, option_name: 'Crag', vote_total: 2 });
  ins('message_poll_option', { message_row_id: 34, option_name: 'Gym', vote_total: 1 });
  g(35, 0, 7, { sender_jid_row_id: J.bob, text_data: 'Climbers' });
  ins('message_system', { message_row_id: 35, action_type: 1 });
  g(36, 0, 64, { sender_jid_row_id: J.bob });
  ins('message_revoked', { message_row_id: 36, revoked_key_id: 'K36', admin_jid_row_id: J.carolLid });
  g(37, 0, 92, { sender_jid_row_id: J.carolLid });
  ins('message_event', { message_row_id: 37, name: 'Bouldering night', description: 'Bring chalk', start_time: T0 + 86_400_000, location_name: 'The Gym' });
  // A reply whose original sorts *after* it (clock skew): resolved by the batched lookup.
  g(38, 0, 0, { sender_jid_row_id: J.daveLid, text_data: 'Replying early' });
  ins('message_quoted', { message_row_id: 38, chat_row_id: CHAT.group, parent_message_chat_row_id: CHAT.group, from_me: 0, sender_jid_row_id: J.bob, key_id: 'K39', message_type: 0, text_data: 'later original' });
  g(39, 0, 0, { sender_jid_row_id: J.bob, text_data: 'later original' });
  // Reactions on 32: Carol (via her lid) first 👍 then 🔥 (latest wins); Dave 👍; my removed one (empty).
  const react = (id: number, from: number, fromMe: 0 | 1, emoji: string, dt: number) => {
    ins('message_add_on', { _id: id, chat_row_id: CHAT.group, from_me: fromMe, key_id: `R${id}`, sender_jid_row_id: from, parent_message_row_id: 32, timestamp: T0 + dt, message_add_on_type: 56 });
    ins('message_add_on_reaction', { message_add_on_row_id: id, reaction: emoji, sender_timestamp: T0 + dt });
  };
  react(10, J.carolLid, 0, '👍', 10);
  react(11, J.carolLid, 0, '🔥', 20);
  react(12, J.daveLid, 0, '👍', 15);
  react(13, 0, 1, '😮', 16);
  react(14, 0, 1, '', 17);
  // An edit recorded only as an add-on (type 74) on 39.
  ins('message_add_on', { _id: 20, chat_row_id: CHAT.group, from_me: 0, key_id: 'E1', sender_jid_row_id: J.bob, parent_message_row_id: 39, timestamp: T0 + 30, message_add_on_type: 74 });

  // ---- 1:1 with a mapped lid (chat 4) and an unmapped one (chat 6); chat 5 has no messages.
  msg(50, CHAT.eve, 0, 0, { text_data: 'via lid' });
  msg(60, CHAT.dave, 0, 0, { text_data: 'unmapped' });
  // ---- a status update: never a chat.
  msg(70, CHAT.status, 0, 1, { sender_jid_row_id: J.alice });

  return db;
}
