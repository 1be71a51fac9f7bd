/**
 * A small DSL for writing realistic current-schema msgstore rows (dev/test only). The demo uses it;
 * every side table follows shared/spec/msgstore-schema.md §2.
 *
 * Messages are planned per chat first (with gaps instead of times), then given timestamps, then
 * sorted globally and numbered, like WhatsApp's insertion order: `message._id` grows with time and
 * `sort_id = _id`. Side tables are written by hooks that run after numbering, so replies, reactions
 * and votes can point at the right row ids.
 */
import { createHash } from 'node:crypto';
import { Rng, RowWriter, keyId, yyyymmdd } from './msgstore-gen';
import { sceneThumbnail } from './tiny-jpeg';

export const T = {
  TEXT: 0, IMAGE: 1, AUDIO: 2, VIDEO: 3, CONTACT: 4, LOCATION: 5, SYSTEM: 7, DOCUMENT: 9, MISSED_CALL: 10,
  GIF: 13, CONTACTS: 14, REVOKED: 15, LIVE_LOCATION: 16, STICKER: 20, ADMIN_REVOKED: 64, POLL: 66, CALL: 90, EVENT: 92,
} as const;

export const SYS = { SUBJECT_CHANGED: 1, LEFT: 5, GROUP_CREATED: 11, ADDED: 12, REMOVED: 14, E2E_NOTICE: 67 } as const;

export interface Person {
  row: number;
  raw: string;
  /** For the report only. */
  label: string;
}

export type Who = 'me' | Person;

export interface ChatDef {
  row: number;
  jid: Person;
  title: string;
  group: boolean;
  members: Person[];
  archived?: boolean;
  hidden?: boolean;
  start: number;
  end: number;
  msgs: Planned[];
}

export interface Planned {
  id: number;
  ts: number;
  chat: ChatDef;
  fromMe: boolean;
  sender: Person | null;
  type: number;
  text: string | null;
  keyId: string;
  status: number;
  starred: number;
  origination: number;
  /** Small gap (ms) before this message, or a number of "break units" (days-ish, scaled to fit). */
  gap: number;
  breaks: number;
  hooks: ((m: Planned) => void)[];
  addOns: number;
  kind: string;
}

const HOUR = 3_600_000;

export class MsgstoreBuilder {
  readonly chats: ChatDef[] = [];
  private seq = 0;
  private mediaCounter = new Map<string, number>();
  private thumbSeed = 1;
  constructor(
    readonly w: RowWriter,
    readonly rng: Rng,
  ) {}

  // ---------------------------------------------------------------- identities
  jid(user: string, server: string, type: number, label: string): Person {
    const raw = `${user}@${server}`;
    const row = this.w.insert('jid', { user, server, agent: 0, device: 0, type, raw_string: raw });
    return { row, raw, label };
  }
  phone(digits: string, label: string): Person {
    return this.jid(digits, 's.whatsapp.net', 0, label);
  }
  lid(digits: string, label: string, mappedTo?: Person): Person {
    const p = this.jid(digits, 'lid', 18, label);
    if (mappedTo) this.w.insert('jid_map', { lid_row_id: p.row, jid_row_id: mappedTo.row, sort_id: 0 });
    return p;
  }

  chat(def: Omit<ChatDef, 'row' | 'msgs' | 'members'> & { members?: Person[]; creator?: Person }): ChatDef {
    const row = this.w.insert('chat', {
      jid_row_id: def.jid.row,
      hidden: def.hidden ? 1 : 0,
      subject: def.group ? def.title : null,
      created_timestamp: def.start,
      archived: def.archived ? 1 : 0,
      sort_timestamp: def.start,
      mod_tag: 0,
      spam_detection: 0,
      unseen_earliest_message_received_time: 0,
      unseen_message_count: 0,
      unseen_missed_calls_count: 0,
      unseen_row_count: 0,
      plaintext_disabled: 1,
      vcard_ui_dismissed: 0,
      show_group_description: 0,
      ephemeral_expiration: 0,
      group_type: 0,
      group_member_count: def.group ? (def.members?.length ?? 0) + 1 : null,
    });
    const chat: ChatDef = { ...def, row, members: def.members ?? [], msgs: [] };
    if (def.group) {
      for (const m of chat.members) {
        this.w.insert('group_participant_user', {
          group_jid_row_id: def.jid.row,
          user_jid_row_id: m.row,
          rank: def.creator === m ? 2 : 0,
          pending: 0,
          add_timestamp: def.start,
          label: null,
        });
      }
    }
    this.chats.push(chat);
    return chat;
  }

  // ---------------------------------------------------------------- planning
  private plan(chat: ChatDef, who: Who, type: number, text: string | null, kind: string): Planned {
    const fromMe = who === 'me';
    const m: Planned = {
      id: 0,
      ts: 0,
      chat,
      fromMe,
      sender: fromMe ? null : (who as Person),
      type,
      text,
      keyId: keyId(this.rng, fromMe),
      status: type === T.SYSTEM || type === T.MISSED_CALL || type === T.CALL ? 6 : fromMe ? 13 : 0,
      starred: 0,
      origination: 0,
      gap: chat.msgs.length === 0 ? 0 : this.rng.range(8_000, 6 * 60_000),
      breaks: 0,
      hooks: [],
      addOns: 0,
      kind,
    };
    chat.msgs.push(m);
    this.seq++;
    return m;
  }

  /** The next planned message starts a new conversation (a pause of `units` break units). */
  pause(chat: ChatDef, units = 1): void {
    (chat as ChatDef & { pendingBreak?: number }).pendingBreak = units;
  }
  private take(chat: ChatDef, m: Planned): Planned {
    const c = chat as ChatDef & { pendingBreak?: number };
    if (c.pendingBreak) {
      m.breaks = c.pendingBreak;
      m.gap = 0;
      c.pendingBreak = 0;
    }
    return m;
  }

  text(chat: ChatDef, who: Who, text: string, opts: { starred?: boolean; forwarded?: number; link?: { url: string; title?: string; description?: string }; mentions?: Person[] } = {}): Planned {
    const m = this.take(chat, this.plan(chat, who, T.TEXT, text, 'text'));
    if (opts.starred) m.starred = 1;
    if (opts.forwarded) {
      m.origination = 1;
      const score = opts.forwarded;
      m.hooks.push((x) => this.w.insert('message_forwarded', { message_row_id: x.id, forward_score: score }));
    }
    if (opts.link) {
      const l = opts.link;
      m.hooks.push((x) => {
        this.w.insert('message_text', { message_row_id: x.id, description: l.description ?? null, page_title: l.title ?? null, url: l.url, font_style: 0, text_color: 0, background_color: 0, preview_type: 0 });
        this.w.insert('message_link', { chat_row_id: chat.row, message_row_id: x.id, link_index: 0 });
      });
    }
    for (const p of opts.mentions ?? []) {
      m.hooks.push((x) => this.w.insert('message_mentions', { message_row_id: x.id, jid_row_id: p.row, display_name: p.label }));
    }
    return m;
  }

  private mediaName(prefix: string, ts: number, ext: string): string {
    const n = this.mediaCounter.get(prefix) ?? 0;
    this.mediaCounter.set(prefix, n + 1);
    return `${prefix}-${yyyymmdd(ts)}-WA${String(n).padStart(4, '0')}.${ext}`;
  }

  private fileHash(seed: string): string {
    return createHash('sha256').update(seed).digest('base64');
  }

  media(
    chat: ChatDef,
    who: Who,
    kind: 'image' | 'video' | 'gif' | 'sticker' | 'voice' | 'audio' | 'document',
    opts: { caption?: string; fileName?: string; pages?: number; duration?: number; mime?: string; size?: number; mediaCaptionToo?: boolean; starred?: boolean; forwarded?: number } = {},
  ): Planned {
    const type = { image: T.IMAGE, video: T.VIDEO, gif: T.GIF, sticker: T.STICKER, voice: T.AUDIO, audio: T.AUDIO, document: T.DOCUMENT }[kind];
    const m = this.take(chat, this.plan(chat, who, type, opts.caption ?? null, kind));
    if (opts.starred) m.starred = 1;
    if (opts.forwarded) {
      m.origination = 1;
      const score = opts.forwarded;
      m.hooks.push((x) => this.w.insert('message_forwarded', { message_row_id: x.id, forward_score: score }));
    }
    const thumbSeed = this.thumbSeed++;
    const rng = this.rng;
    const [w, h] = kind === 'sticker' ? [512, 512] : rng.chance(0.5) ? [1600, 1200] : [1200, 1600];
    const size = opts.size ?? { image: rng.range(90_000, 400_000), video: rng.range(1_500_000, 9_000_000), gif: rng.range(200_000, 900_000), sticker: rng.range(12_000, 40_000), voice: rng.range(8_000, 90_000), audio: rng.range(2_000_000, 6_000_000), document: rng.range(40_000, 3_000_000) }[kind];
    const mediaKey = rng.bytes(32);
    const directPath = `/v/t62.7118-24/${rng.digits(8)}_${rng.digits(15)}_${rng.digits(19)}_n.enc?ccb=11-4&oh=01_${rng.hex(40, false)}&oe=${rng.hex(8)}&_nc_sid=5e03e0`;
    const duration = opts.duration ?? (kind === 'video' ? rng.range(5, 95) : kind === 'gif' ? rng.range(2, 6) : kind === 'voice' ? rng.range(3, 80) : kind === 'audio' ? rng.range(120, 300) : 0);
    m.hooks.push((x) => {
      const out = x.fromMe ? 'Sent/' : '';
      const path = {
        image: `Media/WhatsApp Images/${out}${this.mediaName('IMG', x.ts, 'jpg')}`,
        video: `Media/WhatsApp Video/${out}${this.mediaName('VID', x.ts, 'mp4')}`,
        gif: `Media/WhatsApp Animated Gifs/${out}${this.mediaName('VID', x.ts, 'mp4')}`,
        sticker: `Media/WhatsApp Stickers/${this.mediaName('STK', x.ts, 'webp')}`,
        voice: `Media/WhatsApp Voice Notes/${yyyymmdd(x.ts).slice(0, 6)}/${this.mediaName('PTT', x.ts, 'opus')}`,
        audio: `Media/WhatsApp Audio/${out}${this.mediaName('AUD', x.ts, 'mp3')}`,
        document: `Media/WhatsApp Documents/${out}${opts.fileName ?? this.mediaName('DOC', x.ts, 'pdf')}`,
      }[kind];
      const mime = opts.mime ?? { image: 'image/jpeg', video: 'video/mp4', gif: 'video/mp4', sticker: 'image/webp', voice: 'audio/ogg; codecs=opus', audio: 'audio/mpeg', document: 'application/pdf' }[kind];
      const visual = kind === 'image' || kind === 'video' || kind === 'gif' || kind === 'sticker';
      this.w.insert('message_media', {
        message_row_id: x.id,
        chat_row_id: chat.row,
        autotransfer_retry_enabled: 0,
        transferred: 1,
        transcoded: 0,
        file_path: path,
        file_size: size,
        suspicious_content: 0,
        trim_from: 0,
        trim_to: 0,
        face_x: 0,
        face_y: 0,
        media_key: mediaKey,
        media_key_timestamp: Math.floor(x.ts / 1000),
        width: visual ? w : 0,
        height: visual ? h : 0,
        has_streaming_sidecar: kind === 'video' ? 1 : 0,
        gif_attribution: 0,
        thumbnail_height_width_ratio: visual ? h / w : 0,
        direct_path: directPath,
        message_url: `https://mmg.whatsapp.net${directPath}`,
        mime_type: mime,
        file_length: size,
        media_name: kind === 'document' ? (opts.fileName ?? null) : kind === 'audio' ? (opts.fileName ?? null) : null,
        file_hash: this.fileHash(`file:${x.keyId}`),
        media_duration: duration,
        page_count: kind === 'document' ? (opts.pages ?? 0) : 0,
        enc_file_hash: this.fileHash(`enc:${x.keyId}`),
        is_animated_sticker: 0,
        mute_video: kind === 'gif' ? 1 : 0,
        media_caption: opts.mediaCaptionToo ? (opts.caption ?? null) : null,
        sticker_flags: kind === 'sticker' ? 0 : null,
      });
      if (visual) this.w.insert('message_thumbnail', { message_row_id: x.id, thumbnail: sceneThumbnail(thumbSeed) });
      if (kind === 'voice') {
        this.w.insert('audio_data', { message_row_id: x.id, waveform: this.rng.bytes(64), background_color: 0 });
      }
    });
    return m;
  }

  contact(chat: ChatDef, who: Who, cards: { name: string; phone: string }[]): Planned {
    const m = this.take(chat, this.plan(chat, who, cards.length > 1 ? T.CONTACTS : T.CONTACT, cards.length > 1 ? `${cards[0].name} and ${cards.length - 1} other contact${cards.length > 2 ? 's' : ''}` : cards[0].name, 'contact'));
    m.hooks.push((x) => {
      for (const c of cards) {
        const digits = c.phone.replace(/\D/g, '');
        const [given, ...rest] = c.name.split(' ');
        const vcard = `BEGIN:VCARD\nVERSION:3.0\nN:${rest.join(' ')};${given};;;\nFN:${c.name}\nTEL;type=CELL;type=VOICE;waid=${digits}:${c.phone}\nEND:VCARD`;
        this.w.insert('message_vcard', { message_row_id: x.id, vcard });
      }
    });
    return m;
  }

  location(chat: ChatDef, who: Who, loc: { lat: number; lon: number; name?: string; address?: string; url?: string }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.LOCATION, null, 'location'));
    m.hooks.push((x) =>
      this.w.insert('message_location', { message_row_id: x.id, chat_row_id: chat.row, latitude: loc.lat, longitude: loc.lon, place_name: loc.name ?? null, place_address: loc.address ?? null, url: loc.url ?? null, map_download_status: 0 }),
    );
    return m;
  }

  liveLocation(chat: ChatDef, who: Who, loc: { lat: number; lon: number; durationSec: number; caption?: string }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.LIVE_LOCATION, loc.caption ?? null, 'live-location'));
    m.hooks.push((x) =>
      this.w.insert('message_location', {
        message_row_id: x.id,
        chat_row_id: chat.row,
        latitude: loc.lat,
        longitude: loc.lon,
        live_location_share_duration: loc.durationSec,
        live_location_sequence_number: 42,
        live_location_final_latitude: loc.lat + 0.0123,
        live_location_final_longitude: loc.lon - 0.0087,
        live_location_final_timestamp: x.ts + loc.durationSec * 1000,
        map_download_status: 0,
      }),
    );
    return m;
  }

  /** A reply. `original` is a planned message, or a snapshot of one that is not in the database. */
  reply(chat: ChatDef, who: Who, text: string, original: Planned | { missing: true; fromMe: boolean; sender: Person | null; text: string; type?: number; ageMs: number }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.TEXT, text, 'text'));
    const missingKey = keyId(this.rng, true);
    m.hooks.push((x) => {
      if ('missing' in original) {
        this.w.insert('message_quoted', {
          message_row_id: x.id, chat_row_id: chat.row, parent_message_chat_row_id: chat.row, from_me: original.fromMe ? 1 : 0,
          sender_jid_row_id: original.sender?.row ?? 0, key_id: missingKey, timestamp: x.ts - original.ageMs,
          message_type: original.type ?? T.TEXT, text_data: original.text, lookup_tables: 0, origin: 0,
        });
        return;
      }
      this.w.insert('message_quoted', {
        message_row_id: x.id, chat_row_id: chat.row, parent_message_chat_row_id: original.chat.row, from_me: original.fromMe ? 1 : 0,
        sender_jid_row_id: original.sender?.row ?? 0, key_id: original.keyId, timestamp: original.ts,
        message_type: original.type, text_data: original.text, lookup_tables: 0, origin: 0,
      });
      if (original.type === T.IMAGE || original.type === T.VIDEO) {
        this.w.insert('message_quoted_media', { message_row_id: x.id, mime_type: original.type === T.IMAGE ? 'image/jpeg' : 'video/mp4', thumbnail: sceneThumbnail(900 + original.id), media_caption: original.text });
      }
    });
    return m;
  }

  private addOn(target: Planned, who: Who, type: number, delayMs: number): number {
    const fromMe = who === 'me';
    target.addOns++;
    const ts = target.ts + delayMs;
    return this.w.insert('message_add_on', {
      chat_row_id: target.chat.row,
      from_me: fromMe ? 1 : 0,
      key_id: keyId(this.rng, fromMe),
      sender_jid_row_id: fromMe ? 0 : target.chat.group ? (who as Person).row : -1,
      parent_message_row_id: target.id,
      timestamp: ts,
      status: fromMe ? 13 : 0,
      message_add_on_type: type,
      received_timestamp: ts + 400,
      expiry_duration_in_secs: 0,
      server_timestamp: ts + 200,
      expiry_timestamp: 0,
      expiry_type: 0,
    });
  }

  react(target: Planned, who: Who, emoji: string, delayMs = 90_000): void {
    target.hooks.push((x) => {
      const id = this.addOn(x, who, 56, delayMs);
      this.w.insert('message_add_on_reaction', { message_add_on_row_id: id, reaction: emoji, sender_timestamp: x.ts + delayMs });
    });
  }

  edit(target: Planned, afterMs = 4 * 60_000): void {
    target.hooks.push((x) => this.w.insert('message_edit_info', { message_row_id: x.id, original_key_id: x.keyId, edited_timestamp: x.ts + afterMs, sender_timestamp: x.ts + afterMs - 300 }));
  }

  revoked(chat: ChatDef, who: Who): Planned {
    const m = this.take(chat, this.plan(chat, who, T.REVOKED, null, 'deleted'));
    m.hooks.push((x) => this.w.insert('message_revoked', { message_row_id: x.id, revoked_key_id: keyId(this.rng, x.fromMe), admin_jid_row_id: null, revoke_timestamp: x.ts + 45_000 }));
    return m;
  }

  adminRevoked(chat: ChatDef, who: Person, admin: Person): Planned {
    const m = this.take(chat, this.plan(chat, who, T.ADMIN_REVOKED, null, 'deleted-by-admin'));
    m.hooks.push((x) => this.w.insert('message_revoked', { message_row_id: x.id, revoked_key_id: keyId(this.rng, false), admin_jid_row_id: admin.row, revoke_timestamp: x.ts + 10 * 60_000 }));
    return m;
  }

  system(chat: ChatDef, actor: Who, action: number, opts: { text?: string; participants?: Person[]; old?: string; meJoined?: boolean } = {}): Planned {
    const m = this.take(chat, this.plan(chat, actor, T.SYSTEM, opts.text ?? null, `system:${action}`));
    m.hooks.push((x) => {
      this.w.insert('message_system', { message_row_id: x.id, action_type: action });
      if (action === SYS.GROUP_CREATED) this.w.insert('message_system_group', { message_row_id: x.id, is_me_joined: opts.meJoined ? 1 : 0 });
      for (const p of opts.participants ?? []) this.w.insert('message_system_chat_participant', { message_row_id: x.id, user_jid_row_id: p.row });
      if (opts.old !== undefined) this.w.insert('message_system_value_change', { message_row_id: x.id, old_data: opts.old });
    });
    return m;
  }

  missedCall(chat: ChatDef, who: Person, video: boolean): Planned {
    const m = this.take(chat, this.plan(chat, who, T.MISSED_CALL, null, video ? 'missed-video-call' : 'missed-call'));
    m.hooks.push((x) => this.w.insert('missed_call_logs', { message_row_id: x.id, timestamp: x.ts, video_call: video ? 1 : 0, group_jid_row_id: 0, is_joinable_group_call: 0 }));
    return m;
  }

  call(chat: ChatDef, who: Who, opts: { video: boolean; duration: number; result: number; participants?: Person[] }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.CALL, null, 'call'));
    m.hooks.push((x) => {
      const peer = chat.group ? (x.sender ?? chat.members[0]) : chat.jid;
      const callId = keyId(this.rng, true);
      const callRow = this.w.insert('call_log', {
        jid_row_id: peer.row, from_me: x.fromMe ? 1 : 0, call_id: callId, transaction_id: this.rng.range(1, 2_000_000_000),
        timestamp: x.ts, video_call: opts.video ? 1 : 0, duration: opts.duration, call_result: opts.result,
        bytes_transferred: opts.duration * this.rng.range(4_000, 30_000), group_jid_row_id: chat.group ? chat.jid.row : 0,
        is_joinable_group_call: chat.group ? 1 : 0, call_creator_device_jid_row_id: 0, call_link_row_id: 0, call_type: chat.group ? 2 : 0,
      });
      for (const p of opts.participants ?? []) this.w.insert('call_log_participant_v2', { call_log_row_id: callRow, jid_row_id: p.row, call_result: 5 });
      this.w.insert('message_call_log', { message_row_id: x.id, call_log_row_id: callRow });
    });
    return m;
  }

  poll(chat: ChatDef, who: Who, question: string, options: string[], opts: { multi?: boolean; votes: [Who, number[]][] }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.POLL, question, 'poll'));
    m.hooks.push((x) => {
      this.w.insert('message_poll', { message_row_id: x.id, enc_key: this.rng.bytes(32), selectable_options_count: opts.multi ? 0 : 1, invalid_state: 0, poll_logging_id: 0, poll_type: 0, content_type: 0 });
      const totals = options.map((_, i) => opts.votes.filter(([, sel]) => sel.includes(i)).length);
      const optionRows = options.map((name, i) =>
        this.w.insert('message_poll_option', { message_row_id: x.id, option_sha256: createHash('sha256').update(name).digest('hex'), option_name: name, vote_total: totals[i], option_hash: null }),
      );
      opts.votes.forEach(([voter, sel], i) => {
        const delay = (i + 1) * 7 * 60_000;
        const id = this.addOn(x, voter, 67, delay);
        this.w.insert('message_add_on_poll_vote', { message_add_on_row_id: id, sender_timestamp: x.ts + delay });
        for (const s of sel) this.w.insert('message_add_on_poll_vote_selected_option', { message_add_on_row_id: id, message_poll_option_id: optionRows[s] });
      });
    });
    return m;
  }

  event(chat: ChatDef, who: Who, ev: { name: string; description?: string; inDays: number; hours?: number; location?: { name: string; address?: string; lat: number; lon: number } }): Planned {
    const m = this.take(chat, this.plan(chat, who, T.EVENT, null, 'event'));
    m.hooks.push((x) => {
      const start = x.ts - (x.ts % HOUR) + ev.inDays * 24 * HOUR;
      this.w.insert('message_event', {
        message_row_id: x.id, is_canceled: 0, name: ev.name, description: ev.description ?? null,
        location_latitude: ev.location?.lat ?? null, location_longitude: ev.location?.lon ?? null,
        location_name: ev.location?.name ?? null, location_address: ev.location?.address ?? null, join_link: null,
        start_time: start, chat_row_id: chat.row, event_state: 0, end_time: ev.hours ? start + ev.hours * HOUR : null, allow_extra_guests: 0,
      });
    });
    return m;
  }

  // ---------------------------------------------------------------- writing
  /** Give every planned message a timestamp inside its chat's [start, end]. */
  private schedule(chat: ChatDef): void {
    const msgs = chat.msgs;
    if (!msgs.length) return;
    const small = msgs.reduce((a, m) => a + m.gap, 0);
    const units = msgs.reduce((a, m) => a + m.breaks, 0);
    // A little jitter so chats do not all start and end on round times.
    const start = chat.start + this.rng.range(0, 3 * HOUR);
    const end = chat.end - this.rng.range(0, 5 * HOUR);
    const unit = units ? Math.max(0, end - start - small) / units : 0;
    let t = start;
    for (const m of msgs) {
      t += m.gap + m.breaks * unit;
      m.ts = Math.round(t);
    }
  }

  /** Number, insert and hook every planned message; update the chats. Returns all messages in id order. */
  write(): Planned[] {
    for (const c of this.chats) this.schedule(c);
    const all = this.chats.flatMap((c, ci) => c.msgs.map((m, i) => ({ m, ci, i })));
    all.sort((a, b) => a.m.ts - b.m.ts || a.ci - b.ci || a.i - b.i);
    // Row 1 is WhatsApp's placeholder.
    this.w.insert('message', { _id: 1, chat_row_id: -1, from_me: 0, key_id: '-1', status: -1, timestamp: 0, message_type: 0, sort_id: 1 });
    let id = 2;
    const ordered = all.map(({ m }) => m);
    for (const m of ordered) {
      m.id = id++;
      this.w.insert('message', {
        _id: m.id,
        chat_row_id: m.chat.row,
        from_me: m.fromMe ? 1 : 0,
        key_id: m.keyId,
        sender_jid_row_id: m.chat.group && m.sender ? m.sender.row : 0,
        status: m.status,
        broadcast: 0,
        recipient_count: m.chat.group && m.fromMe ? m.chat.members.length : 0,
        participant_hash: null,
        origination_flags: m.origination,
        origin: 0,
        timestamp: m.ts,
        received_timestamp: m.fromMe ? m.ts : m.ts + 250 + (m.id % 17) * 90,
        receipt_server_timestamp: m.fromMe ? m.ts + 600 + (m.id % 13) * 70 : -1,
        message_type: m.type,
        text_data: m.text,
        starred: m.starred,
        lookup_tables: 0,
        sort_id: m.id,
        message_add_on_flags: 0,
      });
    }
    for (const m of ordered) for (const h of m.hooks) h(m);
    for (const m of ordered) if (m.addOns) this.w.db.exec({ sql: 'UPDATE message SET message_add_on_flags = 1 WHERE _id = ?', bind: [m.id] });
    for (const c of this.chats) {
      const last = c.msgs.length ? c.msgs.reduce((a, b) => (b.id > a.id ? b : a)) : null;
      if (!last) continue;
      this.w.db.exec({
        sql: `UPDATE chat SET last_message_row_id = ?1, display_message_row_id = ?1, last_read_message_row_id = ?1,
              last_read_receipt_sent_message_row_id = ?1, last_important_message_row_id = ?1, sort_timestamp = ?2,
              last_message_sort_id = ?1, display_message_sort_id = ?1, last_read_message_sort_id = ?1,
              last_read_receipt_sent_message_sort_id = ?1 WHERE _id = ?3`,
        bind: [last.id, last.ts, c.row],
      });
    }
    return ordered;
  }
}
