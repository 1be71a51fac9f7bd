/**
 * Builds the bundled demo backup, deterministically: `npx tsx scripts/make-demo.ts [outDir]`
 * (default outDir: public/demo). Writes `msgstore.db.crypt15` and `demo-key.txt`.
 *
 * Everything in it is invented. Phone numbers come from ranges reserved for fiction
 * (US 202-555-01xx, UK 07700 900xxx, AU 0491 570 xxx); the key is published on purpose.
 * Same script + same shared schema + same sqlite-wasm/Node versions → same bytes
 * (checked by tests/scripts/demo.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encryptCrypt15, parseHexKey } from './lib/crypt15';
import { MsgstoreBuilder, SYS, type ChatDef, type Person, type Planned } from './lib/msgstore-builder';
import { ROOT_DIR, Rng, RowWriter, exportDb, openMsgstore, type SchemaReport } from './lib/msgstore-gen';

/** The published demo key (also in src/demo.ts and public/demo/demo-key.txt). */
export const DEMO_KEY_HEX = 'de5a0c0ffee0d15ea5e5eed0ca11ab1ec0deba5e5a1ad0b0e5f00dfacade2026';
export const DEMO_IV_HEX = '0de30de30de30de3a5a5a5a5c3c3c3c3';
const SEED = 20260530;

const DAY = 86_400_000;
const END = Date.UTC(2026, 4, 30, 17, 45, 0); // 2026-05-30 17:45 UTC
const START = END - 730 * DAY;

/** The hostile strings, and where they go (see the report at the end of the script). */
export const HOSTILE = {
  img: '<img src=x onerror=alert(1)>',
  script: '<script>alert(1)</script>',
  svg: '"><svg onload=alert(1)>',
  js: 'javascript:alert(1)',
  endScript: '</script>',
  lsep: '\u2028',
} as const;

const HIKE_LINES = [
  'Anyone up for Saturday?', 'I can drive, 3 seats free 🚗', 'Forecast says sunny ☀️', 'Rain after 2pm, let\'s start early',
  'Trailhead at 8?', 'Count me in!', 'Can\'t this weekend, sorry 😕', 'Bring layers, it gets cold up top', 'Who has the first-aid kit?',
  'That view though 😍', 'My knees are still complaining', 'Best sandwich I\'ve ever had', 'Parking was full, we\'re on the side road',
  'Running 10 min late', 'We\'re at the fork, left or right?', 'Left! Right is the steep one', 'Water refill at the hut',
  'Did anyone see the marmots?', 'Photos coming tonight 📸', 'Next time the lake loop?', '12.4 km, 780 m up. Not bad!',
  'Ok who ate my trail mix', 'Sunscreen, people. Sunscreen.', 'Home safe 👋', 'Thanks for organising!', 'Same time next month?',
  'I\'m in 👍', 'Maybe, depends on work', 'The café at the bottom is open till 6', 'Boots finally broken in', 'Blister update: it\'s bad',
  'Ha! 😂', 'Seriously though, that ridge was amazing', 'Map says 3 h, so 4 h for us', 'Dogs allowed on this one?', 'Yes, on a lead',
  'Starting a shared album', 'Who\'s bringing the stove?', 'I have gas canisters', 'Headlamps just in case 🔦', 'Bus back leaves at 17:10',
  'We made it to the top 🏔️', 'Wind is crazy up here', 'Going down the other way', 'Anyone want to split a cabin in August?', '+1',
];
const HIKE_MULTI = [
  'Packing list:\n- water (2 l)\n- rain jacket\n- snacks\n- map + phone\n- good mood 🙂',
  'Plan for Saturday:\n08:00 meet at the trailhead\n12:30 lunch at the hut\n16:00 back down',
  'Route options:\n1. Ridge loop (hard)\n2. Lake loop (easy)\n3. Waterfall + café (lazy)\nVote below ⬇️',
];

export interface DemoResult {
  bytes: Uint8Array;
  plainSize: number;
  schema: SchemaReport;
  chats: { title: string; messages: number; kinds: Record<string, number>; archived: boolean; hidden: boolean }[];
  totalMessages: number;
}

export async function buildDemo(): Promise<DemoResult> {
  const { sqlite3, db, report } = await openMsgstore();
  const w = new RowWriter(sqlite3, db);
  const rng = new Rng(SEED);
  const b = new MsgstoreBuilder(w, rng);
  db.exec('BEGIN');

  w.insert('props', { key: 'user_push_name', value: 'Alex' });

  // ---------------------------------------------------------------- people
  const maya = b.phone('12025550123', 'Maya');
  const sam = b.phone('12025550147', 'Sam');
  const dad = b.phone('12025550188', 'Dad');
  const landlord = b.phone('12025550166', 'Landlord');
  const jonas = b.phone('447700900512', 'Jonas');
  const lenaPhone = b.phone('447700900456', 'Lena (phone)');
  const lena = b.lid('208751623340217', 'Lena (LID→phone)', lenaPhone);
  const ghost = b.lid('176233900418834', 'unmapped LID');
  const ravi = b.phone('61491570110', 'Ravi');
  const papa = b.phone('447700900101', 'पापा');
  const mummy = b.phone('447700900102', 'मम्मी');
  const didi = b.phone('447700900103', 'दीदी');
  const aarav = b.phone('447700900233', 'Aarav');
  const youssefPhone = b.phone('61491570156', 'Youssef (phone)');
  const youssef = b.lid('93715562048821', 'Youssef (LID→phone)', youssefPhone);
  const layla = b.phone('61491570121', 'Layla');
  const omar = b.phone('61491570134', 'Omar');
  const noor = b.phone('447700900377', 'Noor');
  const stranger = b.phone('447700900999', 'no messages');
  const status = b.jid('status', 'broadcast', 5, 'status@broadcast');
  const hikersJid = b.jid('120363025981746133', 'g.us', 1, 'hikers');
  const familyJid = b.jid('447700900101-1658312345', 'g.us', 1, 'family');
  const uniJid = b.jid('120363041177520874', 'g.us', 1, 'uni');
  const qaJid = b.jid('120363099900011122', 'g.us', 1, 'qa');

  // ---------------------------------------------------------------- 1. Maya: every kind, 1:1
  const m = b.chat({ jid: maya, title: '+1 202-555-0123', group: false, start: START + 20 * DAY, end: END - 2 * DAY });
  b.system(m, maya, SYS.E2E_NOTICE);
  b.text(m, maya, 'Hey! It\'s Maya from the climbing gym 👋');
  const hi = b.text(m, 'me', 'Oh hi! Great to hear from you');
  b.react(hi, maya, '❤️');
  b.text(m, maya, 'Here\'s the article I mentioned: https://en.wikipedia.org/wiki/Bouldering', {
    link: { url: 'https://en.wikipedia.org/wiki/Bouldering', title: 'Bouldering - Wikipedia', description: 'Bouldering is a form of free climbing performed on small rock formations or artificial rock walls without the use of ropes or harnesses.' },
  });
  b.text(m, 'me', 'Thanks, reading it now 📖');
  b.pause(m);
  const pic = b.media(m, maya, 'image', { caption: 'New wall at the gym 🧗‍♀️' });
  b.react(pic, 'me', '🔥', 60_000);
  b.text(m, 'me', 'Looks amazing.\nWhat grades are the new routes?\nAny overhangs?');
  b.text(m, maya, 'V2 to V7, two overhangs 💪');
  b.media(m, maya, 'video', { caption: 'My first V5 send!!', starred: true });
  b.text(m, 'me', 'YESSS 🎉🎉🎉', { starred: true });
  b.pause(m);
  b.media(m, 'me', 'gif');
  b.media(m, maya, 'sticker');
  b.media(m, maya, 'voice', { duration: 23 });
  b.media(m, 'me', 'voice', { duration: 7 });
  b.media(m, maya, 'audio', { fileName: 'gym-playlist-intro.mp3', duration: 184 });
  b.pause(m);
  b.media(m, 'me', 'document', { fileName: 'Membership terms 2025.pdf', pages: 4, size: 182_344 });
  b.text(m, maya, 'Thanks, I\'ll sign it tonight');
  b.contact(m, maya, [{ name: 'Ada Okafor', phone: '+44 7700 900777' }]);
  b.contact(m, 'me', [{ name: 'Ben Ortiz', phone: '+1 202-555-0191' }, { name: 'Chloe Park', phone: '+1 202-555-0192' }]);
  b.pause(m);
  b.location(m, maya, { lat: 37.7412, lon: -119.6011, name: 'Glacier Point', address: 'Glacier Point Rd, Yosemite Valley, CA', url: 'https://www.nps.gov/yose/planyourvisit/glacierpoint.htm' });
  b.liveLocation(m, 'me', { lat: 37.7459, lon: -119.5936, durationSec: 3600, caption: 'On my way up' });
  const q1 = b.text(m, maya, 'Are we still on for Sunday?');
  b.reply(m, 'me', 'Yes! 9am at the car park', q1);
  b.reply(m, maya, 'Did you ever find it?', { missing: true, fromMe: true, sender: null, text: 'I lost my chalk bag somewhere on the trail 😩', ageMs: 400 * DAY });
  b.reply(m, 'me', 'Still love this one', pic);
  const typo = b.text(m, 'me', 'See you at the gym at 7 tonight');
  b.edit(typo);
  b.revoked(m, maya);
  b.revoked(m, 'me');
  b.text(m, maya, 'Forwarding this from the gym group:\nClosed on Monday for maintenance 🔧', { forwarded: 1 });
  b.text(m, maya, '🤣🤣🤣', { forwarded: 5 });
  b.pause(m);
  b.missedCall(m, maya, false);
  b.text(m, maya, 'Call me when you can');
  b.call(m, 'me', { video: false, duration: 312, result: 5 });
  b.call(m, maya, { video: true, duration: 1284, result: 5 });
  b.event(m, maya, { name: 'Bouldering session', description: 'Bring shoes, I have chalk', inDays: 3, hours: 2, location: { name: 'Mission Cliffs', address: '2295 Harrison St, San Francisco', lat: 37.7606, lon: -122.4128 } });
  const bye = b.text(m, maya, 'See you there! 😘');
  b.react(bye, 'me', '👍');

  // ---------------------------------------------------------------- 2. Weekend Hikers: the big group
  // Participants as of the backup: Ravi was removed and Jonas left, so neither is listed.
  const g = b.chat({ jid: hikersJid, title: 'Weekend Hikers 🥾', group: true, members: [sam, maya, lena, ghost], creator: sam, start: START, end: END - 1 * DAY });
  b.system(g, sam, SYS.GROUP_CREATED, { text: 'Hikers', meJoined: true });
  b.system(g, sam, SYS.ADDED, { participants: [maya, jonas] });
  b.system(g, sam, SYS.ADDED, { participants: [lena, ghost, ravi] });
  b.text(g, sam, 'Welcome everyone! This is for organising weekend hikes 🏞️');
  b.system(g, sam, SYS.SUBJECT_CHANGED, { text: 'Weekend Hikers 🥾', old: 'Hikers' });
  const senders: ('me' | Person)[] = ['me', sam, maya, jonas, lena, ghost, ravi];
  const recent: Planned[] = [];
  let ghostMsg: Planned | undefined;
  const special = new Map<number, () => void>([
    [20, () => { recent.push(b.media(g, maya, 'image', { caption: 'Summit selfie 🏔️' })); }],
    [35, () => { recent.push(b.text(g, jonas, HIKE_MULTI[0], { starred: true })); }],
    [50, () => { ghostMsg = b.text(g, ghost, 'hi all, new here. which trail is best for beginners?'); }],
    [52, () => { if (ghostMsg) b.reply(g, lena, 'The lake loop! Flat and pretty', ghostMsg); }],
    [70, () => { b.poll(g, sam, 'Which route next Saturday?', ['Ridge loop', 'Lake loop', 'Waterfall + café'], { votes: [['me', [0]], [maya, [0]], [jonas, [2]], [lena, [1]], [sam, [0]]] }); }],
    [90, () => { b.text(g, 'me', '@447700900512 are you bringing the stove?', { mentions: [jonas] }); }],
    [110, () => { b.media(g, lena, 'video', { caption: 'Waterfall 💦' }); }],
    [125, () => { b.adminRevoked(g, ghost, sam); }],
    [130, () => { b.system(g, sam, SYS.REMOVED, { participants: [ravi] }); }],
    [150, () => { b.event(g, sam, { name: 'Lake loop hike', description: 'Easy 9 km, picnic at the lake', inDays: 5, hours: 6, location: { name: 'Lake Tahoe Rim Trail, Spooner Summit', lat: 39.1048, lon: -119.8967 } }); }],
    [170, () => { b.call(g, sam, { video: false, duration: 640, result: 5, participants: [maya, jonas] }); }],
    [190, () => { b.location(g, jonas, { lat: 46.5581, lon: 7.8356, name: 'Kleine Scheidegg', address: 'Bernese Oberland, Switzerland' }); }],
    [200, () => { b.text(g, maya, HIKE_MULTI[2]); }],
    [215, () => { b.media(g, 'me', 'document', { fileName: 'Hut booking confirmation.pdf', pages: 2 }); }],
    [230, () => { b.text(g, sam, 'Forwarded from the trail association: the north bridge is closed until October', { forwarded: 1 }); }],
    [245, () => { b.media(g, jonas, 'sticker'); }],
    [260, () => { b.media(g, maya, 'voice', { duration: 41 }); }],
    [275, () => { b.system(g, jonas, SYS.LEFT, { participants: [jonas] }); }],
    [290, () => { b.media(g, sam, 'gif'); }],
  ]);
  let gone = new Set<Person>();
  for (let i = 0; i < 300; i++) {
    if (i % 9 === 0) b.pause(g, 0.5 + rng.float());
    const sp = special.get(i);
    if (sp) {
      sp();
      if (i === 130) gone = new Set([...gone, ravi]);
      if (i === 275) gone = new Set([...gone, jonas]);
      continue;
    }
    let who = rng.pick(senders);
    while (who !== 'me' && (gone.has(who) || (who === ghost && i > 125))) who = rng.pick(senders);
    const line = rng.chance(0.04) ? rng.pick(HIKE_MULTI) : rng.pick(HIKE_LINES);
    const msg = b.text(g, who, line);
    if (rng.chance(0.12)) b.react(msg, rng.pick(['me', sam, maya, lena] as const), rng.pick(['👍', '😂', '❤️', '🔥', '🙏', '😮']), rng.range(30_000, 900_000));
    if (rng.chance(0.05) && recent.length) b.reply(g, rng.pick(['me', sam, maya] as const), rng.pick(['Haha yes', 'Agreed!', 'This 👆', 'So good']), rng.pick(recent));
    if (rng.chance(0.1)) recent.push(msg);
  }
  b.text(g, sam, 'Great season everyone, see you in spring 🌸');

  // ---------------------------------------------------------------- 3. परिवार: Hindi family group
  const f = b.chat({ jid: familyJid, title: 'परिवार 🏠', group: true, members: [papa, mummy, didi], creator: papa, start: START + 40 * DAY, end: END - 5 * DAY });
  b.system(f, papa, SYS.GROUP_CREATED, { text: 'परिवार 🏠', meJoined: true });
  const hindi: [Person | 'me', string][] = [
    [papa, 'सबको सुप्रभात 🙏'], [mummy, 'खाना खाया?'], ['me', 'हाँ मम्मी, अभी खाया'], [didi, 'आज शाम को वीडियो कॉल करें?'],
    [papa, 'ठीक है, सात बजे'], [mummy, 'दिवाली की तैयारी शुरू करनी है 🪔'], ['me', 'मैं इस बार दस दिन के लिए आ रहा हूँ'],
    [didi, 'बहुत बढ़िया! 🎉'], [papa, 'टिकट बुक कर लो जल्दी, बाद में महँगे हो जाएँगे'], ['me', 'कर दिया ✈️ 2 नवंबर को पहुँचूँगा'],
    [mummy, 'तुम्हारे लिए गाजर का हलवा बनाऊँगी'], [didi, 'मेरे लिए भी! 😋'], [papa, 'मौसम ठंडा हो रहा है, गरम कपड़े लाना'],
    ['me', 'जी पापा'], [mummy, 'दादी जी की तबीयत अब ठीक है'], [didi, 'भगवान का शुक्र है 🙏'], [papa, 'रविवार को मंदिर चलेंगे'],
  ];
  hindi.forEach(([who, t], i) => {
    if (i % 4 === 0) b.pause(f);
    b.text(f, who, t);
  });
  b.media(f, didi, 'image', { caption: 'रंगोली तैयार है 🌸' });
  b.media(f, mummy, 'voice', { duration: 34 });
  b.media(f, papa, 'voice', { duration: 12 });
  const rang = b.text(f, 'me', 'बहुत सुंदर!\nसबको दिवाली की शुभकामनाएँ 🪔✨');
  b.react(rang, mummy, '❤️');
  b.react(rang, didi, '🙏');
  b.pause(f);
  b.call(f, papa, { video: true, duration: 1860, result: 5, participants: [mummy, didi] });
  b.text(f, papa, 'Happy Diwali sab ko! 🎆');
  b.text(f, didi, 'Papa ne English mein likha 😂');
  b.pause(f);
  for (let i = 0; i < 14; i++) {
    if (i % 5 === 0) b.pause(f);
    b.text(f, rng.pick([papa, mummy, didi, 'me'] as const), rng.pick(['ठीक है 👍', 'कब आ रहे हो?', 'फ़ोटो भेजो', 'जन्मदिन मुबारक हो! 🎂', 'घर पहुँच गए?', 'हाँ, सब ठीक है', 'कल बात करते हैं', 'बारिश हो रही है यहाँ ☔']));
  }

  // ---------------------------------------------------------------- 4. Aarav: Hindi / Hinglish 1:1
  const a = b.chat({ jid: aarav, title: '+44 7700 900233', group: false, start: START + 100 * DAY, end: END - 20 * DAY });
  b.system(a, aarav, SYS.E2E_NOTICE);
  const aar: [Person | 'me', string][] = [
    [aarav, 'भाई, कल का मैच देखा? 🏏'], ['me', 'हाँ यार, last over में क्या छक्का मारा!'], [aarav, 'पागलपन था 😂'],
    ['me', 'Weekend पे मिलते हैं?'], [aarav, 'पक्का। मैं शनिवार को free हूँ'], [aarav, 'वो किताब मिली जो मैंने माँगी थी?'],
    ['me', 'हाँ, PDF भेज रहा हूँ'],
  ];
  aar.forEach(([who, t]) => b.text(a, who, t));
  b.media(a, 'me', 'document', { fileName: 'गोदान - प्रेमचंद.pdf', pages: 312, size: 2_845_112 });
  const thx = b.text(a, aarav, 'धन्यवाद भाई 🙏');
  b.react(thx, 'me', '🤝');
  b.pause(a, 2);
  for (let i = 0; i < 16; i++) {
    if (i % 6 === 0) b.pause(a);
    b.text(a, rng.pick([aarav, 'me'] as const), rng.pick(['कहाँ हो?', 'Office में हूँ, बाद में call करता हूँ', 'ठीक है', 'चाय पे चलें? ☕', 'आज नहीं यार, कल', 'Happy birthday भाई! 🎂🎉', 'शुक्रिया! ❤️', 'Match के tickets मिल गए 🎟️']));
  }
  b.missedCall(a, aarav, true);

  // ---------------------------------------------------------------- 5. أصدقاء الجامعة: Arabic group
  const u = b.chat({ jid: uniJid, title: 'أصدقاء الجامعة 🎓', group: true, members: [layla, omar, noor], creator: layla, start: START + 60 * DAY, end: END - 9 * DAY });
  b.system(u, layla, SYS.GROUP_CREATED, { text: 'أصدقاء الجامعة 🎓' });
  b.system(u, layla, SYS.ADDED, { participants: [omar, noor] });
  const ar: [Person | 'me', string][] = [
    [layla, 'مرحباً يا شباب! اشتقت لكم كثيراً ❤️'], [omar, 'أهلاً ليلى! كيف حالك؟'], ['me', 'مساء الخير جميعاً 👋'],
    [noor, 'متى نلتقي؟ مضى وقت طويل'], [layla, 'ما رأيكم يوم الجمعة الساعة 8 مساءً؟'], [omar, 'ممتاز، أنا موافق 👍'],
    ['me', 'وأنا كذلك. أين؟'], [noor, 'المقهى القديم قرب الجامعة ☕'],
  ];
  ar.forEach(([who, t]) => b.text(u, who, t));
  b.location(u, noor, { lat: 25.2048, lon: 55.2708, name: 'مقهى الذكريات', address: 'شارع الجامعة، دبي' });
  const ph = b.media(u, layla, 'image', { caption: 'صورة التخرج قبل خمس سنوات 😅' });
  b.react(ph, omar, '😂');
  b.react(ph, 'me', '❤️');
  b.reply(u, omar, 'يا إلهي، كم كنا صغاراً!', ph);
  b.text(u, 'me', 'رقم الحجز هو 4471-B، والموعد 20:00 (GMT+4)');
  b.pause(u);
  b.poll(u, layla, 'ماذا نطلب؟', ['قهوة عربية', 'شاي بالنعناع', 'عصير برتقال'], { multi: true, votes: [['me', [0, 1]], [omar, [0]], [noor, [1, 2]]] });
  for (let i = 0; i < 18; i++) {
    if (i % 6 === 0) b.pause(u);
    b.text(u, rng.pick([layla, omar, noor, 'me'] as const), rng.pick(['إن شاء الله', 'شكراً جزيلاً 🙏', 'صباح الخير ☀️', 'كل عام وأنتم بخير 🌙', 'هههههه 😂', 'سأتأخر عشر دقائق', 'وصلت!', 'تصبحون على خير']));
  }

  // ---------------------------------------------------------------- 6. Youssef: Arabic 1:1 over a mapped @lid
  const y = b.chat({ jid: youssef, title: '+61 491 570 156', group: false, start: START + 200 * DAY, end: END - 30 * DAY });
  const ys: [Person | 'me', string][] = [
    [youssef, 'السلام عليكم، هل أنت متاح غداً؟'], ['me', 'وعليكم السلام! نعم، بعد الساعة 3'], [youssef, 'تمام. سأرسل لك ملف المشروع'],
    [youssef, 'الاجتماع على Zoom، الرابط: https://example.com/meet/abc-123'], ['me', 'وصلني، شكراً 👍'],
    [youssef, 'السعر النهائي 1,250.00 دولار (شامل الضريبة)'], ['me', 'ممتاز. متفقون'],
  ];
  ys.forEach(([who, t]) => b.text(y, who, t));
  b.media(y, youssef, 'document', { fileName: 'عرض المشروع.pdf', pages: 12 });
  b.pause(y);
  for (let i = 0; i < 14; i++) {
    if (i % 5 === 0) b.pause(y);
    b.text(y, rng.pick([youssef, 'me'] as const), rng.pick(['تمام', 'حسناً، سأتصل بك لاحقاً', 'رمضان كريم 🌙', 'أين وصلت في العمل؟', 'انتهيت تقريباً', 'ممتاز 👌', 'OK, see you Monday', 'بالتوفيق!']));
  }
  b.call(y, youssef, { video: false, duration: 95, result: 5 });

  // ---------------------------------------------------------------- 7. Dad: calls
  const d = b.chat({ jid: dad, title: '+1 202-555-0188', group: false, start: START + 300 * DAY, end: END - 3 * DAY });
  b.text(d, dad, 'Call your mother, she misses you');
  b.text(d, 'me', 'Will do tonight');
  b.missedCall(d, dad, false);
  b.missedCall(d, dad, true);
  b.text(d, dad, 'Tried to video call. Is this thing working?');
  b.call(d, 'me', { video: false, duration: 1520, result: 5 });
  b.pause(d);
  b.call(d, dad, { video: true, duration: 0, result: 4 });
  b.text(d, 'me', 'Sorry, in a meeting. Later?');
  b.text(d, dad, '👍');
  b.pause(d);
  b.media(d, dad, 'image', { caption: 'Tomatoes are in! 🍅' });
  b.text(d, 'me', 'Wow, huge ones');
  b.call(d, dad, { video: false, duration: 0, result: 2 });
  b.text(d, dad, 'Happy birthday son 🎂 Proud of you.', { starred: true });

  // ---------------------------------------------------------------- 8. QA group: hostile strings
  const qa = b.chat({ jid: qaJid, title: `QA ${HOSTILE.img}`, group: true, members: [maya, sam], creator: sam, start: END - 60 * DAY, end: END - 12 * 3_600_000 });
  b.system(qa, sam, SYS.GROUP_CREATED, { text: HOSTILE.svg });
  b.text(qa, sam, 'This group tests that nothing below runs as code. Everything must show as plain text.');
  b.text(qa, sam, HOSTILE.img);
  b.text(qa, maya, HOSTILE.script);
  b.text(qa, sam, HOSTILE.svg);
  b.text(qa, maya, HOSTILE.js);
  b.text(qa, sam, HOSTILE.endScript);
  b.text(qa, maya, `before the line separator${HOSTILE.lsep}after the line separator`);
  b.text(qa, 'me', `All at once: ${HOSTILE.img} ${HOSTILE.script} ${HOSTILE.svg} ${HOSTILE.js} ${HOSTILE.endScript}${HOSTILE.lsep}end`);
  b.text(qa, sam, `Link: ${HOSTILE.js}`, { link: { url: HOSTILE.js, title: HOSTILE.script, description: HOSTILE.img } });
  const hostilePic = b.media(qa, maya, 'image', { caption: HOSTILE.script, mediaCaptionToo: true });
  b.react(hostilePic, sam, HOSTILE.img);
  b.media(qa, sam, 'document', { fileName: `${HOSTILE.svg}.pdf`, pages: 1 });
  b.media(qa, maya, 'audio', { fileName: `${HOSTILE.endScript}${HOSTILE.img}.mp3`, duration: 3 });
  b.contact(qa, sam, [{ name: `${HOSTILE.endScript}${HOSTILE.img}`, phone: '+1 202-555-0199' }]);
  b.location(qa, maya, { lat: 0, lon: 0, name: HOSTILE.img, address: HOSTILE.svg, url: HOSTILE.js });
  b.poll(qa, sam, HOSTILE.img, [HOSTILE.endScript, HOSTILE.js, HOSTILE.svg, `a${HOSTILE.lsep}b`], { votes: [['me', [1]], [maya, [0]]] });
  b.event(qa, maya, { name: HOSTILE.endScript, description: HOSTILE.img, inDays: 2, location: { name: HOSTILE.svg, lat: 1, lon: 1 } });
  b.reply(qa, 'me', HOSTILE.svg, hostilePic);
  b.system(qa, sam, SYS.SUBJECT_CHANGED, { text: `QA ${HOSTILE.img}`, old: HOSTILE.svg });

  // ---------------------------------------------------------------- 9. archived
  const arc = b.chat({ jid: landlord, title: '+1 202-555-0166', group: false, archived: true, start: START + 5 * DAY, end: START + 30 * DAY });
  b.text(arc, landlord, 'Hi, the plumber will come on Tuesday between 9 and 12.');
  b.text(arc, 'me', 'Thanks, I\'ll be home.');
  b.pause(arc);
  b.text(arc, landlord, 'Rent for June received, thank you.');
  b.media(arc, landlord, 'document', { fileName: 'Lease renewal 2024.pdf', pages: 6 });
  b.text(arc, 'me', 'Signed and sent back 📝');
  b.pause(arc);
  b.text(arc, landlord, 'Deposit returned. All the best in the new place!');

  // ---------------------------------------------------------------- 10. a chat with no messages (must not be listed)
  b.chat({ jid: stranger, title: '+44 7700 900999', group: false, start: END - 40 * DAY, end: END - 40 * DAY });

  // ---------------------------------------------------------------- 11. status feed (not a chat)
  const st = b.chat({ jid: status, title: 'status@broadcast', group: false, hidden: true, start: END - 20 * 3_600_000, end: END - 2 * 3_600_000 });
  // Status rows carry their author in sender_jid_row_id: make the feed look like a group for that.
  st.group = true;
  st.members = [];
  b.media(st, maya, 'image', { caption: 'Sunday climbing crew 🧗' });
  b.text(st, sam, 'Out of office until Monday 🏕️');

  const ordered = b.write();
  // status_list for the two posters.
  for (const p of [maya, sam]) {
    const last = ordered.filter((x) => x.chat === st && x.sender === p).at(-1)!;
    w.insert('status_list', { key_remote_jid: p.raw, message_table_id: last.id, last_read_message_table_id: 0, timestamp: last.ts, unseen_count: 1, total_count: 1 });
  }
  w.finalize();
  db.exec('COMMIT');
  db.exec('VACUUM');
  const plain = exportDb(sqlite3, db);

  const chats = b.chats.map((c: ChatDef) => {
    const kinds: Record<string, number> = {};
    for (const x of c.msgs) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
    return { title: c.title, messages: c.msgs.length, kinds, archived: !!c.archived, hidden: !!c.hidden };
  });
  db.close();

  const { bytes } = await encryptCrypt15(plain, {
    rootKey: parseHexKey(DEMO_KEY_HEX),
    iv: new Uint8Array(Buffer.from(DEMO_IV_HEX, 'hex')),
    appVersion: '2.24.8.85',
    jidSuffix: '42',
    backupVersion: 1,
  });
  return { bytes, plainSize: plain.length, schema: report, chats, totalMessages: ordered.length };
}

export async function writeDemo(outDir: string): Promise<DemoResult> {
  const r = await buildDemo();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'msgstore.db.crypt15'), r.bytes);
  writeFileSync(resolve(outDir, 'demo-key.txt'), DEMO_KEY_HEX + '\n');
  return r;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = resolve(process.argv[2] ?? resolve(ROOT_DIR, 'public/demo'));
  const t0 = performance.now();
  const r = await writeDemo(outDir);
  const ms = Math.round(performance.now() - t0);
  console.log(`schema: ${r.schema.statements} statements, ${r.schema.failed.length} failed; ${r.schema.indexes} real indexes added`);
  for (const f of r.schema.failed) console.log(`  FAILED: ${f.sql} → ${f.error}`);
  for (const c of r.chats) console.log(`  ${c.title.padEnd(32)} ${String(c.messages).padStart(4)} msgs${c.archived ? ' (archived)' : ''}${c.hidden ? ' (hidden)' : ''}  ${JSON.stringify(c.kinds)}`);
  console.log(`${r.totalMessages} messages; SQLite ${r.plainSize} bytes → ${r.bytes.length} bytes encrypted, ${ms} ms → ${outDir}`);
}
