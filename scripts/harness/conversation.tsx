/**
 * Dev-only harness (not shipped): mounts ConversationView with a fake `loadPage` over a
 * deterministic synthetic chat (100,000 messages of every kind by default).
 *
 * Query parameters: n (messages), pageSize, kind (group|person), focus (pos), delay (ms per
 * page load), fail (fail every Nth page load once).
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { Message, MessageKind, Participant } from '../../src/core/msgstore/model';
import type { ChatSummary, MessagePage } from '../../src/worker/protocol';
import { ConversationView } from '../../src/ui/conversation/ConversationView';

const params = new URLSearchParams(location.search);
const N = Number(params.get('n') ?? 100_000);
const PAGE = Number(params.get('pageSize') ?? 250);
const KIND = (params.get('kind') ?? 'group') as 'group' | 'person';
const DELAY = Number(params.get('delay') ?? 0);
const FAIL = Number(params.get('fail') ?? 0);
const focusParam = params.get('focus');

declare global {
  interface Window {
    __harness: {
      mountStart: number;
      firstArticle?: number;
      firstPaint?: number;
      loads: number[];
      jump: (pos: number) => void;
      /** Unmounts and mounts the view again (a warm open, as when picking a chat from a list). */
      remount: () => Promise<{ firstArticle: number; firstPaint: number }>;
      N: number;
      pageSize: number;
      tsOf: (pos: number) => number;
    };
  }
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const people: Participant[] = [
  { jid: '4917612345001@s.whatsapp.net', title: 'Asha Raman', admin: true },
  { jid: '4917612345002@s.whatsapp.net', title: 'Bogdan Kovač', admin: false },
  { jid: '4917612345003@s.whatsapp.net', title: '+49 176 12345003', admin: false },
  { jid: '971501234567@s.whatsapp.net', title: 'ليلى حداد', admin: false },
  { jid: '972501234567@s.whatsapp.net', title: 'נועה כהן', admin: false },
  { jid: '8123456789@lid', title: 'LID:8123456789', admin: false },
  { jid: '447700900123@s.whatsapp.net', title: 'Chidi Okafor', admin: false },
  { jid: '33612345678@s.whatsapp.net', title: 'Élodie Martin', admin: false },
];

const texts = [
  'ok',
  'On my way 🚲',
  'Did you see this? https://example.com/articles/2024/06/privacy-first.',
  'Lunch at 1? www.example.org/menu (the new place)',
  'Line one\nLine two\n\n  indented line three',
  'مرحبا! كيف حالك اليوم؟ هل وصلت بخير؟',
  'שלום, מה שלומך? נתראה מחר בבוקר.',
  '<img src=x onerror=alert(1)> is just text, and so is <script>alert(1)</script>',
  'javascript:alert(document.cookie) must not be a link',
  'Mail me at someone@example.com or call later.',
  'Thanks!! 🙏🙏',
  'Supercalifragilisticexpialidocious_with_a_very_long_unbroken_token_that_must_wrap_somewhere_0123456789',
  'Here is a longer message to show how a paragraph wraps inside a bubble. It keeps going for a while so that it needs a few lines at the usual width, the way real messages often do when someone explains a plan.',
  '😂',
  'Can you send me the document from yesterday?',
  'Happy birthday!! 🎂🎉',
];

const KINDS_CYCLE: MessageKind[] = [
  'text', 'image', 'text', 'voice', 'document', 'text', 'sticker', 'location', 'contact', 'call', 'system', 'poll',
  'video', 'text', 'gif', 'deleted', 'view-once', 'waiting', 'audio', 'live-location', 'event', 'unsupported',
  'video-note', 'text', 'text',
];

function pickKind(r: number): MessageKind {
  const table: [MessageKind, number][] = [
    ['image', 0.06], ['video', 0.02], ['gif', 0.01], ['sticker', 0.03], ['voice', 0.04], ['audio', 0.01],
    ['document', 0.03], ['contact', 0.01], ['location', 0.02], ['live-location', 0.005], ['call', 0.03],
    ['system', 0.03], ['deleted', 0.02], ['poll', 0.015], ['view-once', 0.01], ['waiting', 0.005],
    ['event', 0.005], ['unsupported', 0.005], ['video-note', 0.005],
  ];
  let acc = 0;
  for (const [k, p] of table) {
    acc += p;
    if (r < acc) return k;
  }
  return 'text';
}

let thumbs: Uint8Array[] = [];
let stickerThumb: Uint8Array | undefined;

async function makeThumbs() {
  const make = async (w: number, h: number, hue: number, type: string, sticker = false) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    if (!g) return new Uint8Array();
    if (sticker) {
      g.clearRect(0, 0, w, h);
      g.fillStyle = `hsl(${hue} 80% 55%)`;
      g.beginPath();
      g.arc(w / 2, h / 2, w / 2.3, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#fff';
      g.font = `${w / 2}px sans-serif`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText('★', w / 2, h / 2);
    } else {
      const grad = g.createLinearGradient(0, 0, w, h);
      grad.addColorStop(0, `hsl(${hue} 70% 60%)`);
      grad.addColorStop(1, `hsl(${(hue + 60) % 360} 70% 35%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, w, h);
      g.fillStyle = 'rgba(255,255,255,0.5)';
      g.beginPath();
      g.arc(w * 0.7, h * 0.3, h * 0.12, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = 'rgba(0,0,0,0.25)';
      g.beginPath();
      g.moveTo(0, h);
      g.lineTo(w * 0.4, h * 0.45);
      g.lineTo(w * 0.75, h);
      g.fill();
    }
    const blob = await c.convertToBlob({ type, quality: 0.7 });
    return new Uint8Array(await blob.arrayBuffer());
  };
  thumbs = await Promise.all([make(96, 72, 200, 'image/jpeg'), make(72, 96, 20, 'image/jpeg'), make(96, 54, 140, 'image/jpeg'), make(80, 80, 280, 'image/jpeg')]);
  stickerThumb = await make(96, 96, 45, 'image/png', true);
}

const END = Date.now() - 5 * 60_000;
const SPACING = Math.floor((3 * 365 * 86400_000) / N);

function tsOf(pos: number): number {
  const r = mulberry32(pos * 7 + 1)();
  return END - (N - 1 - pos) * SPACING + Math.floor(r * SPACING * 0.4);
}

function makeMessage(pos: number): Message {
  const rnd = mulberry32(pos + 12345);
  const fromMe = rnd() < 0.35;
  const sender = fromMe || KIND === 'person' ? undefined : people[Math.floor(rnd() * people.length)];
  const kind = pos >= N - KINDS_CYCLE.length ? KINDS_CYCLE[pos - (N - KINDS_CYCLE.length)] : pickKind(rnd());
  const m: Message = { id: pos + 1, pos, ts: tsOf(pos), fromMe, sender, kind, type: 0 };
  const text = texts[Math.floor(rnd() * texts.length)];
  const thumb = thumbs[pos % thumbs.length];
  switch (kind) {
    case 'text':
      m.text = pos === N - 1 ? 'See you tomorrow at https://example.com/meet — bring the charger!' : text;
      if (rnd() < 0.05) m.link = { url: 'https://example.com/article', title: 'A privacy-first article', description: 'Why local-only apps matter, and how to build one.' };
      break;
    case 'image':
      m.type = 1;
      m.media = { mime: 'image/jpeg', width: pos % 2 ? 960 : 720, height: pos % 2 ? 720 : 960, thumbnail: thumb, size: 234567 };
      if (rnd() < 0.5) m.text = 'Sunset from the balcony 🌅';
      break;
    case 'video':
    case 'gif':
    case 'video-note':
      m.type = 3;
      m.media = { mime: 'video/mp4', width: 1280, height: 720, durationSec: 7 + Math.floor(rnd() * 200), thumbnail: thumb };
      if (kind === 'video' && rnd() < 0.5) m.text = 'Look at this!';
      break;
    case 'sticker':
      m.type = 20;
      m.media = { mime: 'image/webp', width: 512, height: 512, thumbnail: stickerThumb };
      break;
    case 'voice':
    case 'audio':
      m.type = 2;
      m.media = { mime: 'audio/ogg', durationSec: 3 + Math.floor(rnd() * 300), fileName: kind === 'audio' ? 'Recording 2024-05-01.mp3' : undefined };
      break;
    case 'document':
      m.type = 9;
      m.media = { mime: 'application/pdf', fileName: 'Lease agreement – final (signed).pdf', size: 1_482_113, pageCount: 12 };
      if (rnd() < 0.3) m.text = 'Here you go';
      break;
    case 'contact':
      m.type = 4;
      m.contacts = [{ name: 'Dr. Priya Nair', numbers: ['+44 7700 900123', '+44 20 7946 0958'] }];
      m.text = 'Dr. Priya Nair';
      break;
    case 'location':
    case 'live-location':
      m.type = 5;
      m.location = { lat: 52.520008, lon: 13.404954, name: 'Alexanderplatz', address: 'Alexanderplatz, 10178 Berlin', live: kind === 'live-location' };
      break;
    case 'call':
      m.type = 90;
      m.call = { video: rnd() < 0.4, outcome: rnd() < 0.3 ? 'missed' : 'answered', durationSec: Math.floor(rnd() * 900) };
      break;
    case 'system':
      m.type = 7;
      m.sender = undefined;
      m.system = { code: 1, text: rnd() < 0.5 ? `${people[0].title} added ${people[2].title}` : 'Group name changed to "Weekend trip 🏕️"' };
      break;
    case 'deleted':
      m.type = 15;
      m.deleted = rnd() < 0.3 ? 'admin' : 'sender';
      break;
    case 'poll':
      m.type = 66;
      m.poll = { question: 'Where should we go on Saturday?', options: [{ name: 'Lake', votes: 4 }, { name: 'Mountains', votes: 2 }, { name: 'Stay in town', votes: 0 }] };
      break;
    case 'view-once':
      m.type = 42;
      m.media = { mime: 'image/jpeg' };
      break;
    case 'waiting':
      m.type = 0;
      break;
    case 'event':
      m.type = 75;
      m.event = { name: 'Board game night', description: 'Bring snacks! Details: https://example.com/event', startTime: tsOf(pos) + 3 * 86400_000, location: 'Flat 3B' };
      break;
    case 'unsupported':
      m.type = 99;
      break;
    default:
      break;
  }
  if (kind !== 'system') {
    if (rnd() < 0.1 && pos > 0) {
      const back = 1 + Math.floor(rnd() * 60);
      const exists = rnd() < 0.8 && pos - back >= 0;
      const q = pos - back >= 0 ? pos - back : 0;
      const qm = mulberry32(q + 12345);
      const qFromMe = qm() < 0.35;
      m.quoted = {
        pos: exists ? q : undefined,
        fromMe: qFromMe,
        sender: qFromMe || KIND === 'person' ? undefined : people[Math.floor(qm() * people.length)],
        kind: 'text',
        text: exists ? `Quoted snapshot of message #${q}` : 'A message that no longer exists here',
      };
    }
    if (rnd() < 0.12) {
      m.reactions = [
        { emoji: '👍', fromMe: false, sender: people[1] },
        { emoji: '👍', fromMe: true },
        ...(rnd() < 0.5 ? [{ emoji: '❤️', fromMe: false, sender: people[3] }] : []),
      ];
    }
    if (kind === 'text' && rnd() < 0.04) m.edited = true;
    if (rnd() < 0.04) m.forwarded = true;
    if (rnd() < 0.03) m.starred = true;
  }
  return m;
}

const loads: number[] = [];
const failedOnce = new Set<number>();

async function loadPage(page: number): Promise<MessagePage> {
  loads.push(page);
  if (loads.length === 1) performance.mark('first-load-call');
  if (DELAY > 0) await new Promise((r) => setTimeout(r, DELAY));
  if (FAIL > 0 && page % FAIL === 0 && !failedOnce.has(page)) {
    failedOnce.add(page);
    throw new Error('synthetic failure');
  }
  const from = page * PAGE;
  const to = Math.min(N, from + PAGE);
  const messages: Message[] = [];
  for (let pos = from; pos < to; pos++) messages.push(makeMessage(pos));
  if (loads.length === 1) performance.mark('first-load-done');
  return { chatId: 1, page, messages };
}

const chat: ChatSummary = {
  id: 1,
  jid: KIND === 'group' ? '120363012345678901@g.us' : people[0].jid,
  kind: KIND,
  title: KIND === 'group' ? 'Weekend trip 🏕️' : people[0].title,
  participants: KIND === 'group' ? people : [],
  archived: false,
  lastActivity: tsOf(N - 1),
  messageCount: N,
  preview: 'See you tomorrow',
  pageCount: Math.ceil(N / PAGE),
  pageSize: PAGE,
};

let setFocus: (pos: number | undefined) => void = () => {};

function Harness() {
  const [focusPos, setFocusPos] = useState<number | undefined>(focusParam === null ? undefined : Number(focusParam));
  setFocus = setFocusPos;
  return <ConversationView chat={chat} loadPage={loadPage} focusPos={focusPos} onClose={() => {}} headerExtra={<button type="button" class="conv-button">Export chat</button>} />;
}

await makeThumbs();
const app = document.getElementById('app');
if (!app) throw new Error('no #app');
function timeFirstRows(start: number): Promise<{ firstArticle: number; firstPaint: number }> {
  return new Promise((resolve) => {
    let firstArticle = -1;
    const done = () => {
      firstArticle = performance.now() - start;
      requestAnimationFrame(() => setTimeout(() => resolve({ firstArticle, firstPaint: performance.now() - start }), 0));
    };
    if (app?.querySelector('[role="log"] article')) return done();
    const mo = new MutationObserver(() => {
      if (app?.querySelector('[role="log"] article')) {
        mo.disconnect();
        done();
      }
    });
    if (app) mo.observe(app, { childList: true, subtree: true });
  });
}

window.__harness = {
  mountStart: performance.now(),
  loads,
  jump: (pos) => setFocus(pos),
  N,
  pageSize: PAGE,
  tsOf,
  remount: async () => {
    if (!app) throw new Error('no #app');
    render(null, app);
    await new Promise((r) => setTimeout(r, 50));
    const start = performance.now();
    const timing = timeFirstRows(start);
    render(<Harness key={Math.random()} />, app);
    return timing;
  },
};
const mo = new MutationObserver(() => {
  if (window.__harness.firstArticle === undefined && app.querySelector('[role="log"] article')) {
    window.__harness.firstArticle = performance.now() - window.__harness.mountStart;
    mo.disconnect();
    requestAnimationFrame(() => {
      // The frame containing the rows is being produced; the next callback runs after it painted.
      setTimeout(() => (window.__harness.firstPaint = performance.now() - window.__harness.mountStart), 0);
    });
  }
});
mo.observe(app, { childList: true, subtree: true });
if (params.has('warmFonts')) {
  // What an app shell has already done before a chat is opened: laid out text in this font.
  const probe = document.createElement('div');
  probe.className = 'conv';
  probe.textContent = 'Warm-up 12:34 PM';
  document.body.append(probe);
  void probe.offsetHeight;
  probe.remove();
}
window.__harness.mountStart = performance.now();
performance.mark('mount-start');
render(<Harness />, app);
performance.mark('render-returned');
