/**
 * Benchmark backups (dev only; output under bench-out/, which git ignores):
 *
 *   npx tsx scripts/make-big-backup.ts --messages 1000000 --chats 2000 --out bench-out/msgstore-1m.db.crypt15
 *   npx tsx scripts/make-big-backup.ts --min-plain-mb 300 --out bench-out/msgstore-300mb.db.crypt15
 *
 * Options: --messages N (default 1,000,000) · --chats N (2000) · --min-plain-mb MB (keep adding
 * messages until the SQLite file is at least this big) · --seed N · --key HEX (default: the demo
 * key) · --no-indexes (skip WhatsApp's real indexes; faster, smaller, less realistic) ·
 * --plain-out PATH (also write the unencrypted SQLite, for reader benchmarks).
 *
 * Same schema and conventions as the demo (scripts/make-demo.ts), generated in bulk with prepared
 * statements in one transaction: Zipf chat sizes (s = 1, so with 2000 chats the biggest holds
 * ~12 % of all messages), realistic text lengths in English, Hindi and Arabic, media with
 * thumbnails, replies, reactions, system rows. The database is built in WASM memory (sqlite-wasm
 * has no Node file VFS), then serialized once inside the WASM heap and streamed in 4 MB chunks
 * through zlib → AES-GCM → MD5 → file, so the JS heap never holds a full copy. Prints sizes and times;
 * writes `<out>.json` with the facts (key, counts, sizes).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encryptCrypt15ToFile, parseHexKey } from './lib/crypt15';
import { ROOT_DIR, Rng, dbSizeBytes, exportDbChunks, keyId, openMsgstore, yyyymmdd } from './lib/msgstore-gen';
import { sceneThumbnail } from './lib/tiny-jpeg';
import { DEMO_KEY_HEX } from './make-demo';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    chats: { type: 'string', default: '2000' },
    'min-plain-mb': { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    key: { type: 'string', default: DEMO_KEY_HEX },
    'no-indexes': { type: 'boolean', default: false },
    'plain-out': { type: 'string' },
  },
});

const N_MIN = Number(args.messages);
const N_CHATS = Number(args.chats);
const MIN_PLAIN = args['min-plain-mb'] ? Number(args['min-plain-mb']) * 1024 * 1024 : 0;
const SEED = Number(args.seed);
const OUT = resolve(args.out ?? resolve(ROOT_DIR, `bench-out/msgstore-${MIN_PLAIN ? `${args['min-plain-mb']}mb` : `${N_MIN}`}.db.crypt15`));
if (!(N_MIN > 0) || !(N_CHATS >= 2)) throw new Error('--messages must be > 0 and --chats ≥ 2');

const DAY = 86_400_000;
const END = Date.UTC(2026, 4, 30, 18, 0, 0);
const START = END - 730 * DAY;

const EN = 'the a to and I you it is that of in for on we this was are be have with not but what so just get like can do at my your me all go if know no yes it\'s don\'t I\'m ok okay lol good time see now will one out up about think when then there today tomorrow tonight later really need want going come back home work meeting call sorry thanks thank great nice love sure maybe weekend morning night dinner lunch coffee train bus late early soon again here where how why who happy birthday congrats send photo photos picture look looks amazing beautiful funny busy tired week month year plan plans trip flight hotel weather rain sunny cold hot ready done still already'.split(' ');
const HI = 'मैं तुम आप हम वो यह है हैं था थी क्या कब कहाँ क्यों कैसे अच्छा ठीक हाँ नहीं भी तो और लेकिन अभी कल आज बाद में पहले घर खाना पानी चाय काम ऑफिस दोस्त भाई दीदी मम्मी पापा बात करो करते करेंगे चलो आओ जाओ देखो सुनो बहुत थोड़ा प्यार खुश धन्यवाद शुक्रिया जन्मदिन मुबारक शादी छुट्टी बारिश गर्मी सर्दी सुबह शाम रात'.split(' ');
const AR = 'أنا أنت نحن هو هي هذا هذه ما متى أين لماذا كيف نعم لا شكراً مرحباً السلام عليكم صباح الخير مساء اليوم غداً أمس الآن بعد قبل البيت العمل القهوة الشاي الطعام صديق أخي أختي أمي أبي حبيبي جميل رائع ممتاز حسناً طيب إن شاء الله الحمد لله مبروك عيد سعيد رمضان كريم السفر الطائرة الفندق المطر الشمس'.split(' ');
const EMOJI = ['😂', '❤️', '👍', '🙏', '😍', '🎉', '😅', '🔥', '😭', '🤣', '😊', '👌', '🙌', '💪', '🌙', '☕', '🎂', '✈️', '🏠', '📸'];

type Lang = 'en' | 'hi' | 'ar' | 'mix';

function sentence(rng: Rng, lang: Lang): string {
  const r = rng.float();
  const n = r < 0.55 ? rng.range(1, 6) : r < 0.9 ? rng.range(7, 20) : r < 0.985 ? rng.range(21, 60) : rng.range(61, 250);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const l = lang === 'mix' ? rng.pick(['en', 'hi', 'ar'] as const) : lang !== 'en' && rng.chance(0.08) ? 'en' : lang;
    words.push(rng.pick(l === 'en' ? EN : l === 'hi' ? HI : AR));
    if (n > 12 && rng.chance(0.04)) words.push(rng.chance(0.5) ? '\n' : '.');
  }
  let s = words.join(' ').replace(/ \n /g, '\n').replace(/ \./g, '.');
  if (lang === 'en' || rng.chance(0.3)) s = s.charAt(0).toUpperCase() + s.slice(1);
  if (rng.chance(0.25)) s += ' ' + rng.pick(EMOJI);
  if (rng.chance(0.05)) s = rng.pick(EMOJI) + rng.pick(EMOJI);
  if (rng.chance(0.01)) s += ` https://example.com/${rng.hex(8, false)}`;
  return s;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const { sqlite3, db, report } = await openMsgstore(!args['no-indexes']);
  if (report.failed.length) console.warn('schema statements that failed:', report.failed);
  const rng = new Rng(SEED);
  const cap = sqlite3.capi;
  const lastRowid = (): number => Number(cap.sqlite3_last_insert_rowid(db.pointer!));
  db.exec('PRAGMA cache_size = -65536; BEGIN');

  // -------------------------------------------------------------- identities and chats
  const insJid = db.prepare('INSERT INTO jid (user, server, agent, device, type, raw_string) VALUES (?, ?, 0, 0, ?, ?)');
  const jid = (user: string, server: string, type: number): number => {
    insJid.bind([user, server, type, `${user}@${server}`]).stepReset();
    return lastRowid();
  };
  const people: number[] = [];
  const nPeople = Math.max(50, Math.round(N_CHATS * 1.6));
  for (let i = 0; i < nPeople; i++) {
    if (rng.chance(0.1)) {
      const lid = jid('2' + rng.digits(14), 'lid', 18);
      if (rng.chance(0.6)) {
        const phone = jid(`4477009${String(i).padStart(5, '0')}`, 's.whatsapp.net', 0);
        db.exec({ sql: 'INSERT INTO jid_map (lid_row_id, jid_row_id, sort_id) VALUES (?, ?, 0)', bind: [lid, phone] });
      }
      people.push(lid);
    } else {
      people.push(jid(`${rng.pick(['1202555', '4477009', '6149157', '9190000'])}${String(i).padStart(5, '0')}`, 's.whatsapp.net', 0));
    }
  }
  interface ChatInfo { row: number; group: boolean; members: number[]; lang: Lang; lastId: number; lastTs: number; recent: { id: number; key: string; fromMe: number; sender: number; type: number; text: string | null; ts: number }[] }
  const chats: ChatInfo[] = [];
  const insChat = db.prepare('INSERT INTO chat (jid_row_id, hidden, subject, created_timestamp, archived, sort_timestamp, group_type, unseen_message_count, group_member_count) VALUES (?, 0, ?, ?, ?, ?, 0, 0, ?)');
  const insPart = db.prepare('INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank, pending, add_timestamp) VALUES (?, ?, ?, 0, ?)');
  for (let c = 0; c < N_CHATS; c++) {
    // The biggest chat (rank 0) is a group; then ~20 % groups.
    const group = c === 0 || rng.chance(0.2);
    const lang: Lang = rng.pick(['en', 'en', 'en', 'en', 'en', 'en', 'hi', 'hi', 'ar', 'ar', 'mix'] as const);
    let chatJid: number;
    let members: number[];
    if (group) {
      chatJid = jid('120363' + rng.digits(12), 'g.us', 1);
      const n = c === 0 ? 60 : rng.range(3, 40);
      members = Array.from({ length: n }, () => rng.pick(people));
      members = [...new Set(members)];
    } else {
      chatJid = people[c % people.length];
      members = [chatJid];
    }
    insChat.bind([chatJid, group ? `${lang === 'hi' ? 'समूह' : lang === 'ar' ? 'مجموعة' : 'Group'} ${c}` : null, START, rng.chance(0.03) ? 1 : 0, START, group ? members.length + 1 : null]).stepReset();
    const row = lastRowid();
    if (group) members.forEach((m, i) => insPart.bind([chatJid, m, i === 0 ? 2 : 0, START]).stepReset());
    chats.push({ row, group, members, lang, lastId: 0, lastTs: 0, recent: [] });
  }
  insChat.finalize();
  insPart.finalize();
  insJid.finalize();

  // Zipf(s = 1) weights over chats, cumulative for binary search.
  const cum = new Float64Array(N_CHATS);
  let total = 0;
  for (let i = 0; i < N_CHATS; i++) cum[i] = total += 1 / (i + 1);
  const pickChat = (): ChatInfo => {
    const x = rng.float() * total;
    let lo = 0;
    let hi = N_CHATS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return chats[lo];
  };

  // -------------------------------------------------------------- messages
  const thumbs = Array.from({ length: 24 }, (_, i) => sceneThumbnail(1000 + i, 96, 72, 70));
  const insMsg = db.prepare(`INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, recipient_count, origination_flags, origin,
    timestamp, received_timestamp, receipt_server_timestamp, message_type, text_data, starred, lookup_tables, sort_id, message_add_on_flags)
    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, ?, ?)`);
  const insMedia = db.prepare(`INSERT INTO message_media (message_row_id, chat_row_id, transferred, file_path, file_size, media_key, width, height, mime_type, file_length, media_name, file_hash, media_duration, page_count)
    VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insThumb = db.prepare('INSERT INTO message_thumbnail (message_row_id, thumbnail) VALUES (?, ?)');
  const insAddOn = db.prepare(`INSERT INTO message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, status, message_add_on_type, received_timestamp)
    VALUES (?, ?, ?, ?, ?, ?, 0, 56, ?)`);
  const insReaction = db.prepare('INSERT INTO message_add_on_reaction (message_add_on_row_id, reaction, sender_timestamp) VALUES (?, ?, ?)');
  const insQuoted = db.prepare(`INSERT INTO message_quoted (message_row_id, chat_row_id, parent_message_chat_row_id, from_me, sender_jid_row_id, key_id, timestamp, message_type, text_data, lookup_tables, origin)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`);
  const insSystem = db.prepare('INSERT INTO message_system (message_row_id, action_type) VALUES (?, ?)');
  const insSysPart = db.prepare('INSERT INTO message_system_chat_participant (message_row_id, user_jid_row_id) VALUES (?, ?)');
  const insRevoked = db.prepare('INSERT INTO message_revoked (message_row_id, revoked_key_id, revoke_timestamp) VALUES (?, ?, ?)');
  db.exec("INSERT INTO message (_id, chat_row_id, from_me, key_id, status, timestamp, message_type, sort_id) VALUES (1, -1, 0, '-1', -1, 0, 0, 1)");

  const counters = { media: 0, thumbs: 0, reactions: 0, replies: 0, system: 0, revoked: 0 };
  let target = N_MIN;
  let ts = START;
  let id = 2;
  const tGen = performance.now();
  const mediaSeq = new Map<string, number>();
  const mediaName = (p: string, t: number, ext: string): string => {
    const n = mediaSeq.get(p) ?? 0;
    mediaSeq.set(p, n + 1);
    return `${p}-${yyyymmdd(t)}-WA${String(n % 10000).padStart(4, '0')}.${ext}`;
  };
  for (let i = 0; i < target; i++, id++) {
    // Re-estimate the total every 10k messages (and before stopping) when a minimum size is asked for.
    if (MIN_PLAIN && i > 0 && (i % 10_000 === 0 || i === target - 1)) {
      const size = dbSizeBytes(db);
      const need = Math.ceil((MIN_PLAIN / size) * i * 1.02);
      if (need > target) target = need;
    }
    ts += Math.max(1, Math.round(((END - ts) / Math.max(1, target - i)) * (0.2 + 1.6 * rng.float())));
    const chat = pickChat();
    const fromMe = rng.chance(0.4) ? 1 : 0;
    const sender = chat.group && !fromMe ? rng.pick(chat.members) : 0;
    const r = rng.float();
    let type = 0;
    let text: string | null = null;
    if (r < 0.85) text = sentence(rng, chat.lang);
    else if (r < 0.9) type = 1;
    else if (r < 0.915) type = 3;
    else if (r < 0.945) type = 2;
    else if (r < 0.965) type = 20;
    else if (r < 0.973) type = 9;
    else if (r < 0.978) type = 13;
    else if (r < 0.985 && chat.group) type = 7;
    else if (r < 0.99) type = 15;
    else text = sentence(rng, chat.lang);
    if ((type === 1 || type === 3) && rng.chance(0.3)) text = sentence(rng, chat.lang);
    const key = keyId(rng, fromMe === 1);
    const status = type === 7 ? 6 : fromMe ? 13 : 0;
    insMsg.bind([id, chat.row, fromMe, key, sender, status, chat.group && fromMe ? chat.members.length : 0, rng.chance(0.01) ? 1 : 0,
      ts, fromMe ? ts : ts + 300, fromMe ? ts + 700 : -1, type, type === 7 && rng.chance(0.3) ? `Group ${chat.row}` : text, rng.chance(0.003) ? 1 : 0, id, 0]).stepReset();

    if (type === 1 || type === 2 || type === 3 || type === 9 || type === 13 || type === 20) {
      counters.media++;
      const out = fromMe ? 'Sent/' : '';
      const [path, mime, size, dur, name] =
        type === 1 ? [`Media/WhatsApp Images/${out}${mediaName('IMG', ts, 'jpg')}`, 'image/jpeg', rng.range(60_000, 500_000), 0, null]
        : type === 3 ? [`Media/WhatsApp Video/${out}${mediaName('VID', ts, 'mp4')}`, 'video/mp4', rng.range(1_000_000, 20_000_000), rng.range(3, 180), null]
        : type === 13 ? [`Media/WhatsApp Animated Gifs/${out}${mediaName('VID', ts, 'mp4')}`, 'video/mp4', rng.range(100_000, 900_000), rng.range(1, 6), null]
        : type === 20 ? [`Media/WhatsApp Stickers/${mediaName('STK', ts, 'webp')}`, 'image/webp', rng.range(8_000, 60_000), 0, null]
        : type === 9 ? [`Media/WhatsApp Documents/${out}Document ${id}.pdf`, 'application/pdf', rng.range(20_000, 5_000_000), 0, `Document ${id}.pdf`]
        : rng.chance(0.8) ? [`Media/WhatsApp Voice Notes/${yyyymmdd(ts).slice(0, 6)}/${mediaName('PTT', ts, 'opus')}`, 'audio/ogg; codecs=opus', rng.range(5_000, 200_000), rng.range(1, 240), null]
        : [`Media/WhatsApp Audio/${out}${mediaName('AUD', ts, 'mp3')}`, 'audio/mpeg', rng.range(1_000_000, 8_000_000), rng.range(60, 400), null];
      const visual = type === 1 || type === 3 || type === 13 || type === 20;
      insMedia.bind([id, chat.row, path, size, rng.bytes(32), visual ? 1280 : 0, visual ? 960 : 0, mime, size, name, rng.hex(43, false) + '=', dur, type === 9 ? rng.range(1, 80) : 0]).stepReset();
      if (visual) {
        insThumb.bind([id, rng.pick(thumbs)]).stepReset();
        counters.thumbs++;
      }
    } else if (type === 7) {
      counters.system++;
      const action = rng.pick([12, 12, 5, 14, 1]);
      insSystem.bind([id, action]).stepReset();
      if (action !== 1) insSysPart.bind([id, rng.pick(chat.members)]).stepReset();
    } else if (type === 15) {
      counters.revoked++;
      insRevoked.bind([id, keyId(rng, fromMe === 1), ts + 30_000]).stepReset();
    }

    if (type === 0 && chat.recent.length && rng.chance(0.04)) {
      const q = rng.pick(chat.recent);
      insQuoted.bind([id, chat.row, chat.row, q.fromMe, q.sender, q.key, q.ts, q.type, q.text]).stepReset();
      counters.replies++;
    }
    if (chat.recent.length && rng.chance(0.03)) {
      const p = rng.pick(chat.recent);
      const me = rng.chance(0.3) ? 1 : 0;
      insAddOn.bind([chat.row, me, keyId(rng, me === 1), me ? 0 : chat.group ? rng.pick(chat.members) : -1, p.id, ts + 1000, ts + 1300]).stepReset();
      insReaction.bind([lastRowid(), rng.pick(EMOJI), ts + 1000]).stepReset();
      counters.reactions++;
    }
    if (type !== 7 && type !== 15) {
      chat.recent.push({ id, key, fromMe, sender, type, text, ts });
      if (chat.recent.length > 8) chat.recent.shift();
    }
    chat.lastId = id;
    chat.lastTs = ts;
    if ((i + 1) % 100_000 === 0) {
      process.stdout.write(`  ${(i + 1).toLocaleString('en')} messages, ${(dbSizeBytes(db) / 1048576).toFixed(0)} MB, ${((performance.now() - tGen) / 1000).toFixed(1)} s\n`);
    }
  }
  for (const st of [insMsg, insMedia, insThumb, insAddOn, insReaction, insQuoted, insSystem, insSysPart, insRevoked]) st.finalize();
  const messages = id - 2;

  const upd = db.prepare(`UPDATE chat SET last_message_row_id = ?1, display_message_row_id = ?1, last_read_message_row_id = ?1,
    last_message_sort_id = ?1, sort_timestamp = ?2 WHERE _id = ?3`);
  for (const c of chats) if (c.lastId) upd.bind([c.lastId, c.lastTs, c.row]).stepReset();
  upd.finalize();
  db.exec('UPDATE message SET message_add_on_flags = 1 WHERE _id IN (SELECT parent_message_row_id FROM message_add_on)');
  db.exec('COMMIT');
  const genMs = performance.now() - t0;

  const perChat = db.selectValues('SELECT count(*) AS n FROM message WHERE _id > 1 GROUP BY chat_row_id ORDER BY n DESC LIMIT 3').map(Number);
  const nonEmpty = Number(db.selectValue('SELECT count(DISTINCT chat_row_id) FROM message WHERE _id > 1'));
  const plainSize = dbSizeBytes(db);

  // -------------------------------------------------------------- export + encrypt (streaming)
  mkdirSync(dirname(OUT), { recursive: true });
  const iv = new Rng(SEED ^ 0x5eed).bytes(16);
  const t1 = performance.now();
  let plainOut: ReturnType<typeof createWriteStream> | undefined;
  if (args['plain-out']) {
    mkdirSync(dirname(resolve(args['plain-out'])), { recursive: true });
    plainOut = createWriteStream(resolve(args['plain-out']));
  }
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    for (const c of exportDbChunks(sqlite3, db)) {
      if (plainOut && !plainOut.write(c)) await once(plainOut, 'drain');
      yield c;
    }
  };
  const stats = await encryptCrypt15ToFile(chunks(), OUT, { rootKey: parseHexKey(args.key!), iv, appVersion: '2.24.8.85', jidSuffix: '42', backupVersion: 1 });
  if (plainOut) {
    plainOut.end();
    await once(plainOut, 'finish');
  }
  const encMs = performance.now() - t1;
  db.close();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const facts = {
    file: OUT,
    key: args.key,
    iv: Buffer.from(iv).toString('hex'),
    seed: SEED,
    messages,
    chats: N_CHATS,
    chatsWithMessages: nonEmpty,
    biggestChats: perChat,
    ...counters,
    indexes: !args['no-indexes'],
    plainBytes: plainSize,
    compressedBytes: stats.compressedBytes,
    encryptedBytes: stats.outputBytes,
    generateSeconds: +(genMs / 1000).toFixed(1),
    exportEncryptSeconds: +(encMs / 1000).toFixed(1),
    peakRssMB: Math.round(peakRss / 1048576),
  };
  writeFileSync(OUT + '.json', JSON.stringify(facts, null, 2) + '\n');
  console.log(`messages:   ${messages.toLocaleString('en')} in ${N_CHATS} chats (biggest: ${perChat.map((n) => n.toLocaleString('en')).join(', ')})`);
  console.log(`media:      ${counters.media.toLocaleString('en')} (${counters.thumbs.toLocaleString('en')} thumbnails), replies ${counters.replies.toLocaleString('en')}, reactions ${counters.reactions.toLocaleString('en')}, system ${counters.system}, deleted ${counters.revoked}`);
  console.log(`plaintext:  ${(plainSize / 1048576).toFixed(1)} MB SQLite (${plainSize} bytes)${args['plain-out'] ? ` → ${resolve(args['plain-out'])}` : ''}`);
  console.log(`encrypted:  ${(stats.outputBytes / 1048576).toFixed(1)} MB → ${OUT}`);
  console.log(`time:       generate ${facts.generateSeconds} s, export+compress+encrypt ${facts.exportEncryptSeconds} s; peak RSS ${facts.peakRssMB} MB`);
  console.log(`key:        ${args.key}`);
}

await main();
