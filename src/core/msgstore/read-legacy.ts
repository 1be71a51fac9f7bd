/**
 * Reader for the LEGACY (≤ 2019) and TRANSITIONAL (≈2019 – early 2022) schemas: rows in
 * `messages`, keyed by the chat jid string (msgstore-schema.md §3). The transitional era adds
 * `jid`/`chat` (chat ids, subjects) and new-style side tables keyed by `messages._id`
 * (`message_media`, `call_log`, …).
 *
 * Messages are read per chat in `(key_remote_jid, _id)` order, served by WhatsApp's
 * `messages_jid_id_index`; side tables are read once per page.
 */
import type { CallInfo, Chat, Message, Participant, Quote } from './model';
import { audioKind, kindOfType, MEDIA_TYPES } from './kinds';
import { mediaDataPath, rowThumbnail } from './java-media';
import { chatKindOf, chatTitle, isStatusJid, person } from './people';
import { chatAfterChat, DEFAULT_PAGE_SIZE, type MsgstoreReader } from './reader-types';
import { bool, bytes, inList, int, num, type Schema, str, text } from './schema';
import type { SqlRow } from './sql';
import { renderSystem } from './system';
import { parseVCards } from './vcard';
import { callOutcome } from './common';

const MESSAGE_COLUMNS = [
  'key_from_me', 'key_id', 'status', 'data', 'timestamp', 'media_url', 'media_mime_type', 'media_wa_type',
  'media_size', 'media_name', 'media_caption', 'media_duration', 'latitude', 'longitude', 'thumb_image',
  'remote_resource', 'raw_data', 'starred', 'quoted_row_id', 'edit_version', 'forwarded',
] as const;

interface LegacyChat {
  chat: Chat;
}

export function legacyReader(schema: Schema, era: 'legacy' | 'transitional'): MsgstoreReader {
  const db = schema.db;
  let chats: Map<number, LegacyChat> | undefined;

  function loadChats(): Map<number, LegacyChat> {
    if (chats) return chats;
    // Counts from the (key_remote_jid, _id) index; last activity = the chat's last row's timestamp.
    const stats = db.all(
      `SELECT s.jid AS jid, s.n AS n, (SELECT ${schema.has('messages', 'timestamp') ? 'm.timestamp' : 'NULL'} FROM messages m WHERE m.key_remote_jid = s.jid ORDER BY m._id DESC LIMIT 1) AS last ` +
        `FROM (SELECT key_remote_jid AS jid, count(*) AS n FROM messages WHERE _id > 1 GROUP BY key_remote_jid) s`,
    );
    // Chat metadata: transitional `chat`+`jid` (ids, subject, archived) first, then `chat_list`.
    const meta = new Map<string, { id?: number; subject?: string; archived?: boolean; created?: number }>();
    if (schema.has('chat_list', 'key_remote_jid')) {
      const cols = schema.list('chat_list', ['subject', 'archived', 'creation']);
      for (const r of db.all(`SELECT _id, key_remote_jid AS jid, ${cols} FROM chat_list`)) {
        const jid = str(r.jid);
        if (!jid) continue;
        meta.set(jid, { id: era === 'legacy' ? int(r._id) : undefined, subject: text(r.subject), archived: bool(r.archived), created: num(r.creation) });
      }
    }
    if (era === 'transitional' && schema.has('chat', 'jid_row_id') && schema.has('jid', 'raw_string')) {
      const cols = schema.list('chat', ['subject', 'archived', 'created_timestamp'], 'c');
      for (const r of db.all(`SELECT c._id AS id, j.raw_string AS jid, ${cols} FROM chat c JOIN jid j ON j._id = c.jid_row_id`)) {
        const jid = str(r.jid);
        if (!jid) continue;
        const prev = meta.get(jid);
        meta.set(jid, {
          id: int(r.id),
          subject: text(r.subject) ?? prev?.subject,
          archived: r.archived === null ? prev?.archived : bool(r.archived),
          created: num(r.created_timestamp) ?? prev?.created,
        });
      }
    }
    const participants = loadParticipants(schema);
    const used = new Set<number>();
    for (const m of meta.values()) if (m.id !== undefined) used.add(m.id);
    let nextId = Math.max(0, ...used) + 1;
    chats = new Map();
    const sorted = stats
      .map((s) => ({ jid: str(s.jid) ?? '', n: int(s.n), last: int(s.last) }))
      .filter((s) => s.jid && s.jid !== '-1' && !isStatusJid(s.jid))
      .sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
    for (const s of sorted) {
      const m = meta.get(s.jid);
      // A jid without a chat row still gets a stable id: after every real one, in jid order.
      let id = m?.id;
      if (id === undefined || chats.has(id)) id = nextId++;
      const kind = chatKindOf(s.jid);
      const chat: Chat = {
        id,
        jid: s.jid,
        kind,
        title: chatTitle(s.jid, m?.subject),
        participants: kind === 'group' ? (participants.get(s.jid) ?? []) : [],
        archived: m?.archived ?? false,
        lastActivity: s.last,
        messageCount: s.n,
      };
      if (m?.created) chat.createdAt = m.created;
      chats.set(id, { chat });
    }
    return chats;
  }

  function* messagePages(chatId: number, pageSize = DEFAULT_PAGE_SIZE): Generator<Message[], void, undefined> {
    const info = loadChats().get(chatId);
    if (!info) return;
    const chat = info.chat;
    const sql =
      `SELECT _id, ${schema.list('messages', MESSAGE_COLUMNS)} FROM messages ` +
      `WHERE key_remote_jid = ? AND _id > ? ORDER BY key_remote_jid, _id LIMIT ?`;
    const keyPos = new Map<string, number>();
    let pos = 0;
    let lastId = 1; // row 1 is the placeholder
    for (;;) {
      const rows = db.all(sql, [chat.jid, lastId, pageSize]);
      if (rows.length === 0) break;
      const page = buildPage(rows, chat, keyPos, pos);
      pos += page.length;
      lastId = int(rows[rows.length - 1]!._id);
      yield page;
      if (rows.length < pageSize) break;
    }
  }

  function byId(table: string, columns: readonly string[], ids: string, key = 'message_row_id'): Map<number, SqlRow> {
    const out = new Map<number, SqlRow>();
    if (!schema.has(table, key)) return out;
    for (const r of db.all(`SELECT ${key} AS mid, ${schema.list(table, columns)} FROM ${table} WHERE ${key} IN (${ids})`)) {
      out.set(int(r.mid), r);
    }
    return out;
  }

  function buildPage(rows: SqlRow[], chat: Chat, keyPos: Map<string, number>, firstPos: number): Message[] {
    const group = chat.kind === 'group';
    const idList = rows.map((r) => int(r._id));
    const ids = inList(idList);
    const types = rows.map((r) => int(r.media_wa_type, -1));
    const has = (...ts: number[]) => types.some((t) => ts.includes(t));

    const quoteIds = rows.map((r) => int(r.quoted_row_id)).filter((q) => q > 0);
    const quotes = quoteIds.length
      ? byId('messages_quotes', ['key_remote_jid', 'key_from_me', 'key_id', 'remote_resource', 'media_wa_type', 'data', 'media_caption', 'media_name', 'thumb_image', 'media_mime_type'], inList(quoteIds), '_id')
      : new Map<number, SqlRow>();

    // Thumbnails by key for media rows that carry none themselves.
    const thumbs = new Map<string, Uint8Array>();
    const needThumb = rows.filter((r, i) => isMediaLike(types[i]!) && !rowThumbnail(bytes(r.raw_data))).map((r) => str(r.key_id) ?? '');
    if (needThumb.length && schema.has('message_thumbnails', 'key_remote_jid', 'key_id', 'thumbnail')) {
      const ph = needThumb.map(() => '?').join(',');
      for (const t of db.all(
        `SELECT key_id, key_from_me, thumbnail FROM message_thumbnails WHERE key_remote_jid = ? AND key_from_me IN (0, 1) AND key_id IN (${ph})`,
        [chat.jid, ...needThumb],
      )) {
        const b = bytes(t.thumbnail);
        if (b) thumbs.set(`${int(t.key_from_me)}:${str(t.key_id)}`, b);
      }
    }
    const media = era === 'transitional' && types.some(isMediaLike)
      ? byId('message_media', ['file_path', 'file_size', 'mime_type', 'media_name', 'media_duration', 'width', 'height', 'file_hash', 'page_count', 'is_animated_sticker'], ids)
      : new Map<number, SqlRow>();
    const vcards = new Map<number, string[]>();
    if (has(14) && schema.has('messages_vcards', 'message_row_id', 'vcard')) {
      for (const r of db.all(`SELECT message_row_id AS mid, vcard FROM messages_vcards WHERE message_row_id IN (${ids}) ORDER BY _id`)) {
        const id = int(r.mid);
        const a = vcards.get(id) ?? [];
        a.push(str(r.vcard) ?? '');
        vcards.set(id, a);
      }
    }
    const callLogs = has(8) ? byId('call_logs', ['video_call', 'duration', 'call_result'], ids) : new Map<number, SqlRow>();
    const missed = has(10) ? byId('missed_call_logs', ['video_call'], ids) : new Map<number, SqlRow>();

    const out: Message[] = [];
    rows.forEach((r, i) => {
      const id = idList[i]!;
      const pos = firstPos + i;
      const type = types[i]!;
      const fromMe = bool(r.key_from_me);
      const keyId = str(r.key_id);
      const status = int(r.status);
      const isSystem = status === 6 && type === 0;
      let kind = isSystem ? 'system' : kindOfType(type, true);
      const m: Message = { id, pos, ts: int(r.timestamp), fromMe, kind, type: isSystem ? 7 : type };
      if (keyId) {
        m.keyId = keyId;
        if (!keyPos.has(keyId)) keyPos.set(keyId, pos);
      }
      const senderJid = text(r.remote_resource);
      if (group && !fromMe && senderJid) m.sender = person(senderJid);
      let body = text(r.data);
      const caption = text(r.media_caption);
      const mediaName = text(r.media_name);

      if (isMediaLike(type) && kind !== 'system') {
        const mm = media.get(id);
        const info: NonNullable<Message['media']> = {};
        const mime = text(mm?.mime_type) ?? text(r.media_mime_type);
        const path = text(mm?.file_path) ?? mediaDataPath(bytes(r.thumb_image));
        let fileName = text(mm?.media_name) ?? mediaName;
        if (!fileName && type === 9 && path) fileName = path.slice(path.lastIndexOf('/') + 1);
        if (mime) info.mime = mime;
        if (path) info.filePath = path;
        if (fileName) info.fileName = fileName;
        const size = num(mm?.file_size) ?? num(r.media_size);
        if (size) info.size = size;
        const dur = num(mm?.media_duration) ?? num(r.media_duration);
        if (dur) info.durationSec = dur;
        const w = num(mm?.width), h = num(mm?.height);
        if (w) info.width = w;
        if (h) info.height = h;
        const hash = text(mm?.file_hash);
        if (hash) info.fileHash = hash;
        const pages = num(mm?.page_count);
        if (pages) info.pageCount = pages;
        if (bool(mm?.is_animated_sticker)) info.animated = true;
        const th = rowThumbnail(bytes(r.raw_data)) ?? thumbs.get(`${fromMe ? 1 : 0}:${keyId}`);
        if (th) info.thumbnail = th;
        m.media = info;
        if (type === 2) kind = audioKind(path, fileName, mime);
        // Documents repeat their name (without extension) as the "caption"; not a caption.
        body = caption && !(type === 9 && fileName && fileName.startsWith(caption)) ? caption : undefined;
        if (!body && type !== 9 && text(r.data) && !/^BEGIN:VCARD/i.test(str(r.data)!)) body = text(r.data);
      }

      switch (kind) {
        case 'system': {
          const actor = fromMe ? 'You' : senderJid ? person(senderJid).title : group ? undefined : chat.title;
          m.system = renderSystem(int(r.media_size), { actor, value: body });
          body = undefined;
          break;
        }
        case 'call': {
          const cl = callLogs.get(id);
          const ms = missed.get(id);
          const dur = num(cl?.duration) ?? (type === 8 ? num(r.media_duration) : undefined);
          const video = cl ? bool(cl.video_call) : ms ? bool(ms.video_call) : caption === 'video';
          const call: CallInfo = {
            video,
            outcome: type === 10 ? 'missed' : cl ? callOutcome(num(cl.call_result), dur) : dur ? 'answered' : fromMe ? 'unknown' : 'missed',
          };
          if (dur) call.durationSec = dur;
          m.call = call;
          body = undefined;
          break;
        }
        case 'deleted':
          m.deleted = 'sender';
          body = undefined;
          break;
        case 'location':
        case 'live-location': {
          const loc: NonNullable<Message['location']> = { lat: num(r.latitude) ?? 0, lon: num(r.longitude) ?? 0 };
          if (kind === 'location') {
            if (mediaName) loc.name = mediaName;
            const url = text(r.media_url);
            if (url) loc.url = url;
          } else {
            loc.live = true;
            const dur = num(r.media_duration);
            if (dur) m.media = { ...(m.media ?? {}), durationSec: dur };
          }
          m.location = loc;
          body = kind === 'live-location' ? caption : (caption ?? undefined);
          const th = rowThumbnail(bytes(r.raw_data)) ?? thumbs.get(`${fromMe ? 1 : 0}:${keyId}`);
          if (th) m.media = { ...(m.media ?? {}), thumbnail: th };
          break;
        }
        case 'contact': {
          const raw = type === 14 ? (vcards.get(id) ?? []) : [str(r.data) ?? ''];
          const cards = raw.flatMap((v) => parseVCards(v));
          if (cards.length === 1 && !cards[0]!.name && mediaName) cards[0]!.name = mediaName;
          if (cards.length) m.contacts = cards;
          body = mediaName ?? cards[0]?.name;
          break;
        }
        case 'text': {
          if (bool(r.edit_version) && int(r.edit_version) === 7) {
            kind = 'deleted';
            m.deleted = 'sender';
            body = undefined;
            break;
          }
          // Link preview: title in media_caption, description in media_name (roycsc, whatsapp-viewer).
          if (body && (caption || mediaName)) {
            const url = /\bhttps?:\/\/\S+/i.exec(body)?.[0];
            if (url) {
              m.link = { url };
              if (caption) m.link.title = caption;
              if (mediaName) m.link.description = mediaName;
            }
          }
          break;
        }
      }
      m.kind = kind;
      if (body !== undefined) m.text = body;
      if (bool(r.starred)) m.starred = true;
      if ((int(r.forwarded) & 1) === 1) m.forwarded = true;
      const q = int(r.quoted_row_id) > 0 ? quotes.get(int(r.quoted_row_id)) : undefined;
      if (q) m.quoted = quoteOf(q, chat, keyPos);
      out.push(m);
    });
    return out;
  }

  return {
    era,
    readChats: () => [...loadChats().values()].map((c) => c.chat),
    messagePages,
    allPages: (pageSize) => chatAfterChat(loadChats().keys(), messagePages, pageSize),
  };
}

function isMediaLike(type: number): boolean {
  return MEDIA_TYPES.has(type);
}

function quoteOf(q: SqlRow, chat: Chat, keyPos: Map<string, number>): Quote {
  const type = int(q.media_wa_type, 0);
  let kind = kindOfType(type, true);
  if (type === 2) kind = audioKind(mediaDataPath(bytes(q.thumb_image)), text(q.media_name), text(q.media_mime_type));
  const fromMe = bool(q.key_from_me);
  const quote: Quote = { fromMe, kind };
  const keyId = str(q.key_id);
  if (keyId) quote.keyId = keyId;
  const sender = text(q.remote_resource);
  if (!fromMe && chat.kind === 'group' && sender) quote.sender = person(sender);
  const snap = type === 4 ? text(q.media_name) : (text(q.data) ?? text(q.media_caption) ?? text(q.media_name));
  if (snap) quote.text = snap;
  // Only an original in this same chat gets a position; the quote's jid says which chat it was in.
  const qJid = str(q.key_remote_jid);
  if (keyId && (!qJid || qJid === chat.jid)) {
    const p = keyPos.get(keyId);
    if (p !== undefined) quote.pos = p;
  }
  return quote;
}

function loadParticipants(schema: Schema): Map<string, Participant[]> {
  const out = new Map<string, Participant[]>();
  const add = (g: string, p: Participant) => {
    let a = out.get(g);
    if (!a) out.set(g, (a = []));
    a.push(p);
  };
  if (schema.has('group_participants', 'gjid', 'jid')) {
    const cols = schema.list('group_participants', ['admin', 'pending']);
    for (const r of schema.db.all(`SELECT gjid, jid, ${cols} FROM group_participants ORDER BY _id`)) {
      if (bool(r.pending)) continue;
      const g = str(r.gjid);
      if (!g) continue;
      const jid = str(r.jid) ?? '';
      // `jid = ''` is the owner of the phone (roycsc).
      add(g, { ...(jid ? person(jid) : { jid: '', title: 'You' }), admin: bool(r.admin) });
    }
  }
  if (out.size === 0 && schema.has('group_participant_user', 'group_jid_row_id', 'user_jid_row_id') && schema.has('jid', 'raw_string')) {
    const cols = schema.list('group_participant_user', ['rank', 'pending'], 'p');
    for (const r of schema.db.all(
      `SELECT g.raw_string AS g, u.raw_string AS u, ${cols} FROM group_participant_user p JOIN jid g ON g._id = p.group_jid_row_id JOIN jid u ON u._id = p.user_jid_row_id`,
    )) {
      const g = str(r.g), u = str(r.u);
      if (!g || !u || bool(r.pending)) continue;
      add(g, { ...person(u), admin: int(r.rank) > 0 });
    }
  }
  return out;
}
