/**
 * Media files in the "Export chats" zip: names (safe, unique, the original kept), the relative
 * references the .html/.txt/.json writers make (escaped, URL-encoded), the CSP with and without
 * media, and the zip's entries read back by Python's zipfile.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportChatsZip, type BundleMediaSource } from '../../src/core/export/bundle';
import { exportChatHtml } from '../../src/core/export/html';
import { exportChatJson } from '../../src/core/export/json';
import { mediaFileName, UniqueNames, type MediaHref } from '../../src/core/export/media';
import { hrefForPath } from '../../src/core/export/names';
import { exportChatTxt } from '../../src/core/export/txt';
import type { Chat, Message } from '../../src/core/msgstore/model';
import { collect, collectBytes, makeChat, pagesInOrder, pagesNewestFirst, pagesOf, sampleMessages, tokenize, unescapeHtml, type Token } from '../export/helpers';

const OPTS = { generatedAt: Date.UTC(2024, 0, 2, 3, 4), appVersion: '9.9.9', timeZone: 'UTC', locale: 'en-GB' };
const HOSTILE = 'a"b<c>#?.jpg';
const CHAT_URL = 'file:///home/u/export/chats/001%20Family.html';

type Tag = Extract<Token, { type: 'tag' }>;
const tags = (html: string) => tokenize(html).filter((t): t is Tag => t.type === 'tag' && !t.closing);

/** Where the browser fetches a relative reference from, as a decoded file path. */
const resolved = (href: string) => decodeURIComponent(new URL(href, CHAT_URL).pathname);

/** The sample chat with a linked file for the photo (hostile name), the sticker, the voice note, the document and the video. */
function withFiles(): { messages: Message[]; mediaHref: MediaHref; paths: Map<number, string> } {
  const messages = sampleMessages();
  messages[4] = { ...messages[4], media: { ...messages[4].media, filePath: `Media/WhatsApp Images/${HOSTILE}` } };
  const paths = new Map<number, string>([
    [4, `001 Family media/${mediaFileName(messages[4])}`],
    [10, '001 Family media/report Q1.pdf'],
    [11, '001 Family media/PTT-1.opus'],
    [13, '001 Family media/STK-1.webp'],
    [15, '001 Family media/VID-20210502-WA0003.mp4'],
  ]);
  const mediaHref: MediaHref = (m) => (paths.has(m.pos) ? { path: paths.get(m.pos)!, mime: m.media?.mime } : undefined);
  return { messages, mediaHref, paths };
}

describe('media file names', () => {
  it('keeps the original name, made safe, with its extension', () => {
    const m = sampleMessages()[4];
    expect(mediaFileName(m)).toBe('IMG-20210428-WA0001.jpg');
    expect(mediaFileName({ ...m, media: { filePath: `Media/WhatsApp Images/${HOSTILE}` } })).toBe('a_b_c_#_.jpg');
    expect(mediaFileName({ ...m, media: { filePath: 'C:\\x\\..\\..\\evil.jpg' } })).toBe('evil.jpg');
    expect(mediaFileName({ ...m, media: { fileName: '../../etc/passwd' } })).toBe('passwd');
    expect(mediaFileName({ ...m, media: { fileName: 'report Q1.pdf' } })).toBe('report Q1.pdf');
    // No name: kind and position, the extension from the mime type.
    expect(mediaFileName({ ...m, pos: 42, kind: 'voice', media: {} }, 'audio/ogg')).toBe('voice-42.opus');
    expect(mediaFileName({ ...m, media: { fileName: 'CON.txt' } })).toBe('_CON.txt');
    expect(mediaFileName({ ...m, media: { fileName: `${'x'.repeat(300)}.jpeg` } })).toMatch(/^x{80}\.jpeg$/);
  });

  it('never yields a name that is unsafe inside the zip or on disk', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 40 }), (name, mime) => {
        const m = { ...sampleMessages()[4], media: { fileName: name, mime } };
        const out = mediaFileName(m);
        expect(out).not.toMatch(/[\\/:*?"<>|\u0000-\u001f]/);
        expect(out).not.toMatch(/^\.|^$|^\.\.$/);
      }),
    );
  });

  it('makes names unique in a folder, ignoring case', () => {
    const names = new UniqueNames();
    expect(['a.jpg', 'A.JPG', 'a.jpg', 'a (2).jpg', 'b'].map((n) => names.claim(n))).toEqual(['a.jpg', 'A (2).JPG', 'a (3).jpg', 'a (2) (2).jpg', 'b']);
  });
});

describe('the chat HTML with media files', () => {
  it('refers to each file relatively: escaped, each segment URL-encoded, resolving to the file', async () => {
    const { messages, mediaHref, paths } = withFiles();
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(messages), { ...OPTS, mediaHref }));
    const all = tags(html); // throws on any unescaped `<` or unquoted attribute
    const inMessage = (pos: number) => {
      const start = all.findIndex((t) => t.attrs.get('id') === `m${pos}`);
      const end = all.findIndex((t, i) => i > start && /^m\d+$/.test(t.attrs.get('id') ?? ''));
      return all.slice(start, end === -1 ? undefined : end);
    };

    const photo = inMessage(4).find((t) => t.name === 'img')!;
    const src = unescapeHtml(photo.attrs.get('src')!);
    expect(src).toBe('001%20Family%20media/a_b_c_%23_.jpg');
    expect(resolved(src)).toBe(`/home/u/export/chats/${paths.get(4)}`);
    expect(photo.raw).not.toContain('data:');
    expect(inMessage(4).find((t) => t.name === 'a')!.attrs.get('href')).toBe(photo.attrs.get('src'));

    const sticker = inMessage(13).find((t) => t.name === 'img')!;
    expect(resolved(unescapeHtml(sticker.attrs.get('src')!))).toBe(`/home/u/export/chats/${paths.get(13)}`);
    expect(sticker.attrs.get('class')).toBe('th stk');

    const video = inMessage(15).find((t) => t.name === 'video')!;
    expect(video.attrs.has('controls')).toBe(true);
    expect(resolved(unescapeHtml(video.attrs.get('src')!))).toBe(`/home/u/export/chats/${paths.get(15)}`);

    const voice = inMessage(11).find((t) => t.name === 'audio')!;
    expect(voice.attrs.has('controls')).toBe(true);
    expect(resolved(unescapeHtml(voice.attrs.get('src')!))).toBe(`/home/u/export/chats/${paths.get(11)}`);

    const doc = inMessage(10).find((t) => t.name === 'a')!;
    expect(resolved(unescapeHtml(doc.attrs.get('href')!))).toBe(`/home/u/export/chats/${paths.get(10)}`);
    expect(doc.attrs.get('type')).toBe('application/pdf');

    // Where no file is included, the thumbnail stays; no other message refers to a file.
    const plain = tags(await collect(exportChatHtml(makeChat(), pagesNewestFirst(messages), OPTS)));
    expect(plain.filter((t) => t.name === 'img').every((t) => t.attrs.get('src')!.startsWith('data:'))).toBe(true);
    expect(plain.some((t) => t.name === 'video' || t.name === 'audio')).toBe(false);
    const srcs = all.filter((t) => t.attrs.has('src')).map((t) => unescapeHtml(t.attrs.get('src')!));
    expect(srcs.filter((s) => !s.startsWith('data:'))).toHaveLength(4);
  });

  it('any file name reaches the browser as exactly that file, never as markup', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (raw) => {
        const name = new UniqueNames().claim(mediaFileName({ ...sampleMessages()[4], media: { fileName: raw } }));
        const path = `001 Family media/${name}`;
        const messages = [{ ...sampleMessages()[4], pos: 0 }];
        const html = await collect(exportChatHtml(makeChat(), messages.map((m) => [m]), { ...OPTS, mediaHref: () => ({ path }) }));
        const img = tags(html).find((t) => t.name === 'img')!;
        expect(resolved(unescapeHtml(img.attrs.get('src')!))).toBe(`/home/u/export/chats/${path}`);
      }),
      { numRuns: 200 },
    );
  });

  it("allows 'self' images and media only when files are included; nothing remote either way", async () => {
    const csp = async (mediaHref?: MediaHref) =>
      /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(await collect(exportChatHtml(makeChat(), pagesNewestFirst(sampleMessages()), { ...OPTS, mediaHref })))![1];
    const plain = await csp();
    const withMedia = await csp(withFiles().mediaHref);
    expect(plain).toMatch(/^default-src 'none'; img-src data:; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; base-uri 'none'; form-action 'none'$/);
    expect(withMedia).toBe(plain.replace('img-src data:;', "img-src data: 'self'; media-src 'self';"));
    expect(withMedia).not.toMatch(/https?:|\*|file:|blob:/);
  });
});

describe('the .txt and .json with media files', () => {
  it("the .txt names an included file WhatsApp's way, the rest stays <Media omitted>", async () => {
    const { messages, mediaHref } = withFiles();
    const txt = await collect(exportChatTxt(makeChat(), pagesOf(messages), { timeZone: 'UTC', mediaHref }));
    expect(txt).toContain('28/04/2021, 10:00 - Alice: a_b_c_#_.jpg (file attached)\nBeach photo\n');
    expect(txt).toContain('01/05/2021, 10:00 - Bob: PTT-1.opus (file attached)\n');
    expect(txt).toContain('01/05/2021, 09:00 - Alice: report Q1.pdf (file attached)\nthe report\n');
    expect(txt.match(/<Media omitted>/g)).toHaveLength(1); // the contact card, as WhatsApp writes it
    const none = await collect(exportChatTxt(makeChat(), pagesOf(messages), { timeZone: 'UTC' }));
    expect(none).not.toContain('(file attached)');
  });

  it('the .json gives each included file its relative path and mime type', async () => {
    const { messages, mediaHref, paths } = withFiles();
    const json = JSON.parse(await collect(exportChatJson(makeChat(), pagesOf(messages), { ...OPTS, mediaHref })));
    const withFile = (json.messages as (Message & { file?: { path: string; mime?: string } })[]).filter((m) => m.file);
    expect(withFile.map((m) => [m.pos, m.file!.path])).toEqual([...paths].sort((a, b) => a[0] - b[0]));
    expect(withFile.find((m) => m.pos === 10)!.file!.mime).toBe('application/pdf');
    const plain = JSON.parse(await collect(exportChatJson(makeChat(), pagesOf(messages), OPTS)));
    expect(plain.messages.some((m: { file?: unknown }) => m.file)).toBe(false);
  });
});

describe('the zip with media files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unseal-media-zip-'));
  let n = 0;
  function pyRead(bytes: Uint8Array): { name: string; data: string }[] {
    const path = join(dir, `m${n++}.zip`);
    writeFileSync(path, bytes);
    const script = `
import json, sys, zipfile, base64
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([{'name': i.filename, 'data': base64.b64encode(z.read(i)).decode()} for i in z.infolist()]))
`;
    return JSON.parse(execFileSync('python3', ['-c', script, path], { maxBuffer: 1 << 26 }).toString());
  }

  /** File bytes by position, streamed in 3-byte chunks; records what was read. */
  function source(files: Map<number, { bytes: Uint8Array; mime: string }>, reads: number[]): BundleMediaSource {
    return {
      linked: async () => new Map([...files].map(([pos, f]) => [pos, { mime: f.mime }])),
      async *read(_chat: Chat, pos: number) {
        reads.push(pos);
        const bytes = files.get(pos)!.bytes;
        for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
      },
    };
  }

  it("writes each chat's files in a folder next to it, byte for byte, and only those of exported messages", async () => {
    const messages = sampleMessages();
    messages[4] = { ...messages[4], media: { ...messages[4].media, filePath: `Media/WhatsApp Images/${HOSTILE}` } };
    // Two messages whose files have the same name, one outside the date range.
    messages[15] = { ...messages[15], kind: 'image', media: { filePath: `Media/WhatsApp Images/${HOSTILE.toUpperCase()}` } };
    const bytesOf = (s: string) => new TextEncoder().encode(s);
    const files = new Map([
      [4, { bytes: bytesOf('photo bytes\u0000\u00ff'), mime: 'image/jpeg' }],
      [11, { bytes: bytesOf('voice'), mime: 'audio/ogg' }],
      [15, { bytes: bytesOf('second photo'), mime: 'image/jpeg' }],
      [0, { bytes: bytesOf('a system message has no file'), mime: 'image/jpeg' }],
    ]);
    const reads: number[] = [];
    const chats = [makeChat(), makeChat({ id: 8, title: 'No media', kind: 'person', participants: [] })];
    const zip = await collectBytes(
      exportChatsZip(chats, (c, order) => pagesInOrder(c.id === 7 ? messages : messages.slice(0, 3), order), {
        ...OPTS,
        media: { ...source(files, reads), linked: async (c) => (c.id === 7 ? new Map([...files].map(([p, f]) => [p, { mime: f.mime }])) : new Map()) },
      }),
    );
    const entries = pyRead(zip);
    const names = entries.map((e) => e.name);
    expect(names).toEqual([
      'chats/001 Family 👪.html',
      'chats/001 Family 👪.txt',
      'chats/001 Family 👪.json',
      'chats/001 Family 👪 media/a_b_c_#_.jpg',
      'chats/001 Family 👪 media/voice-11.opus',
      'chats/001 Family 👪 media/A_B_C_#_ (2).JPG',
      'chats/002 No media.html',
      'chats/002 No media.txt',
      'chats/002 No media.json',
      'index.html',
    ]);
    expect(reads).toEqual([4, 11, 15]);
    const data = (name: string) => Buffer.from(entries.find((e) => e.name === name)!.data, 'base64');
    expect([...data('chats/001 Family 👪 media/a_b_c_#_.jpg')]).toEqual([...files.get(4)!.bytes]);
    expect([...data('chats/001 Family 👪 media/A_B_C_#_ (2).JPG')]).toEqual([...files.get(15)!.bytes]);

    // Every relative reference in the chat's HTML resolves to an entry of the zip.
    const html = data('chats/001 Family 👪.html').toString();
    const refs = tags(html)
      .flatMap((t) => [t.attrs.get('src'), t.attrs.get('href')])
      .filter((v): v is string => v !== undefined && !v.startsWith('data:') && !v.startsWith('#') && !/^[a-z]+:/.test(v))
      .map((v) => decodeURIComponent(unescapeHtml(v)));
    expect(new Set(refs)).toEqual(new Set(names.filter((x) => x.includes(' media/')).map((x) => x.slice('chats/'.length))));
    expect(html).toContain("media-src 'self'");
    // A chat without linked files keeps the plain policy.
    expect(data('chats/002 No media.html').toString()).not.toContain("'self'");

    // With a date range, the files of messages outside it are neither named nor read.
    reads.length = 0;
    const ranged = pyRead(
      await collectBytes(exportChatsZip([makeChat()], (_c, order) => pagesInOrder(messages, order), { ...OPTS, dateRange: { to: Date.UTC(2021, 4, 1) }, media: source(files, reads) })),
    );
    expect(ranged.map((e) => e.name).filter((x) => x.includes(' media/'))).toEqual(['chats/001 Family 👪 media/a_b_c_#_.jpg']);
    expect(reads).toEqual([4]);
  });

  it('hrefForPath encodes every segment and keeps the separators', () => {
    expect(hrefForPath('001 Family media/a"b<c>#?.jpg')).toBe('001%20Family%20media/a%22b%3Cc%3E%23%3F.jpg');
  });
});
