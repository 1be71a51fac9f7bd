import { describe, expect, it } from 'vitest';
import { exportChatJson } from '../../src/core/export/json';
import { exportChatTxt, txtBody } from '../../src/core/export/txt';
import type { Message } from '../../src/core/msgstore/model';
import { sharedText } from '../shared';
import { collect, makeChat, pagesOf, sampleMessages } from './helpers';

// The Android line grammar (shared/spec/msgstore-schema.md §6.2), as the parsers cited there use it.
const ANDROID = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4}), (\d{1,2}):(\d{2}) - (?:([^:]+?): )?(.*)$/;

/** A tiny Android-export parser (continuation lines join the previous message). */
function parse(txt: string): { date: string; author?: string; text: string }[] {
  const out: { date: string; author?: string; text: string }[] = [];
  for (const line of txt.replace(/\n$/, '').split('\n')) {
    const m = ANDROID.exec(line);
    if (m) out.push({ date: `${m[3]}-${m[2]}-${m[1]} ${m[4]}:${m[5]}`, author: m[6], text: m[7] });
    else out[out.length - 1].text += `\n${line}`;
  }
  return out;
}

describe('exportChatTxt', () => {
  it("the real Android samples' message lines match the grammar the test parser uses", () => {
    for (const f of ['chat-analytics-4A_11M.txt', 'whatstk-pokemon.txt']) {
      const lines = sharedText(`samples/export-txt/${f}`).split(/\r?\n/).filter(Boolean);
      for (const l of lines) expect(l, l).toMatch(ANDROID);
    }
  });

  it("writes WhatsApp's Android layout", async () => {
    const msgs = sampleMessages();
    const txt = await collect(exportChatTxt(makeChat(), pagesOf(msgs), { timeZone: 'UTC', selfName: 'Me Myself' }));
    const lines = txt.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      '28/04/2021, 08:00 - Alice created group "Family 👪"',
      '28/04/2021, 09:05 - Alice: Hello <b>everyone</b> & "friends"',
      'second line https://example.com/a?b=1&c=2.',
      '28/04/2021, 09:06 - Me Myself: Hi Alice <This message was edited>',
      '28/04/2021, 09:07 - Bob: مرحبا بالجميع',
      '28/04/2021, 10:00 - Alice: <Media omitted>',
      'Beach photo',
      '29/04/2021, 11:00 - Me Myself: You deleted this message',
    ]);
    expect(txt).toContain('29/04/2021, 12:00 - Bob: Missed voice call\n');
    expect(txt).toContain('29/04/2021, 13:00 - Alice: location: https://maps.google.com/?q=52.520008,13.404954\nAlexanderplatz\nBerlin\n');
    expect(txt).toContain('30/04/2021, 15:00 - Me Myself: POLL:\nDinner where?\nOPTION: Pizza (2 votes)\nOPTION: Sushi (1 vote)\n');
    expect(txt).toContain('01/05/2021, 09:00 - Alice: <Media omitted>\nthe report\n');
    expect(txt).toContain('02/05/2021, 09:00 - Alice: This message was deleted by an admin\n');
    const parsed = parse(txt);
    expect(parsed).toHaveLength(msgs.length);
    expect(parsed[1]).toEqual({ date: '2021-04-28 09:05', author: 'Alice', text: 'Hello <b>everyone</b> & "friends"\nsecond line https://example.com/a?b=1&c=2.' });
    expect(parsed[0].author).toBeUndefined();
  });

  it('an included file reads `<its name> (file attached)`', () => {
    const m = sampleMessages()[4];
    const mediaHref = (x: Message) => ({ path: `001 Family media/${x.kind === 'image' ? 'IMG-20210428-WA0001.jpg' : 'report Q1.pdf'}` });
    expect(txtBody(m, { mediaHref })).toBe('IMG-20210428-WA0001.jpg (file attached)\nBeach photo');
    expect(txtBody(m, { mediaHref: () => undefined })).toBe('<Media omitted>\nBeach photo');
    const doc: Message = { ...sampleMessages()[10], text: undefined };
    expect(txtBody(doc, { mediaHref })).toBe('report Q1.pdf (file attached)');
    expect(txtBody(doc)).toBe('<Media omitted>\nreport Q1.pdf');
    expect(txtBody({ ...m, kind: 'text', text: 'a\r\nb\rc', media: undefined })).toBe('a\nb\nc');
  });

  it('1:1 chats name the other side by the chat title', async () => {
    const chat = makeChat({ kind: 'person', title: '+49 176 000', participants: [] });
    const m: Message = { id: 1, pos: 0, ts: Date.UTC(2020, 8, 12, 23, 55), fromMe: false, kind: 'text', type: 0, text: 'hello' };
    expect(await collect(exportChatTxt(chat, [[m]], { timeZone: 'UTC' }))).toBe('12/09/2020, 23:55 - +49 176 000: hello\n');
  });
});

describe('exportChatJson', () => {
  it('is valid JSON with every message and base64 thumbnails', async () => {
    const msgs = sampleMessages();
    const json = JSON.parse(await collect(exportChatJson(makeChat(), pagesOf(msgs, 3), { generatedAt: 0, appVersion: '1' })));
    expect(json.version).toBe(1);
    expect(json.chat.title).toBe('Family 👪');
    expect(json.messages.map((m: Message) => m.pos)).toEqual(msgs.map((m) => m.pos));
    expect(json.messages[1].text).toBe(msgs[1].text);
    expect(Buffer.from(json.messages[13].media.thumbnail, 'base64')).toEqual(Buffer.from(msgs[13].media!.thumbnail!));
    const empty = JSON.parse(await collect(exportChatJson(makeChat(), [], { generatedAt: 0, appVersion: '1' })));
    expect(empty.messages).toEqual([]);
  });
});
