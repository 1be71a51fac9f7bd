import { describe, expect, it } from 'vitest';
import { applyNames, applyNamesToMessage, applyNamesToSystemText } from '../../src/core/contacts/apply';
import { buildNameResolver } from '../../src/core/contacts/names';
import { parseVcf } from '../../src/core/contacts/vcf';
import type { Chat, Message } from '../../src/core/msgstore/model';
import { exportChatTxt } from '../../src/core/export/txt';
import { exportChatHtml } from '../../src/core/export/html';
import { collect } from '../export/helpers';

const MAYA = '12025550123@s.whatsapp.net';
const SAM = '12025550147@s.whatsapp.net';
const LENA_LID = '208751623340217@lid';
const LENA = '447700900456@s.whatsapp.net';
const GHOST = '176233900418834@lid';
const NOBODY = '447700900999@s.whatsapp.net';

const vcf = parseVcf(
  [
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Climber\r\nTEL;TYPE=CELL:+1 202-555-0123\r\nEND:VCARD',
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Organiser\r\nTEL:+12025550147\r\nEND:VCARD',
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Berg\r\nTEL:07700 900456\r\nEND:VCARD',
  ].join('\r\n'),
);
const resolver = buildNameResolver({
  vcf,
  lidNames: { names: new Map([[GHOST, 'Ghost (lid name)']]), phoneOf: new Map([[LENA_LID, LENA]]) },
});

const p = (jid: string, title: string) => ({ jid, title });

function chat(over: Partial<Chat>): Chat {
  return { id: 1, jid: MAYA, kind: 'person', title: '+12025550123', participants: [], archived: false, lastActivity: 0, messageCount: 1, ...over };
}

function msg(over: Partial<Message>): Message {
  return { id: 1, pos: 0, ts: Date.UTC(2025, 0, 1, 12), fromMe: false, kind: 'text', type: 0, ...over };
}

describe('applyNames (chats)', () => {
  it('names a person chat and keeps its number', () => {
    const c = applyNames(chat({}), resolver);
    expect(c.title).toBe('Maya Climber');
    expect(c.number).toBe('+12025550123');
  });

  it('keeps a group subject, names its participants (admin marks kept), numbers kept', () => {
    const g = applyNames(
      chat({
        jid: '120363025981746133@g.us',
        kind: 'group',
        title: 'Weekend Hikers',
        participants: [
          { ...p(SAM, '+12025550147'), admin: true },
          { ...p(LENA_LID, '+447700900456'), admin: false },
          { ...p(GHOST, 'LID:176233900418834'), admin: false },
          { ...p(NOBODY, '+447700900999'), admin: false },
        ],
      }),
      resolver,
    );
    expect(g.title).toBe('Weekend Hikers');
    expect(g.participants).toEqual([
      { jid: SAM, title: 'Sam Organiser', number: '+12025550147', admin: true },
      // A national-format .vcf number, matched through the privacy id's phone mapping.
      { jid: LENA_LID, title: 'Lena Berg', number: '+447700900456', admin: false },
      { jid: GHOST, title: 'Ghost (lid name)', admin: false },
      { jid: NOBODY, title: '+447700900999', number: '+447700900999', admin: false },
    ]);
  });

  it('returns the very same object when there is nothing to change', () => {
    const empty = buildNameResolver({});
    const g = chat({ jid: '1@g.us', kind: 'group', title: 'G', participants: [{ ...p(GHOST, 'LID:176233900418834'), admin: false }] });
    expect(applyNames(g, empty)).toBe(g);
    const page = [msg({ sender: p(GHOST, 'LID:176233900418834'), text: 'hi @176233900418834' })];
    expect(applyNames(page, empty)).toBe(page);
  });
});

describe('applyNames (messages)', () => {
  it('names senders, quoted senders, reaction senders, and mentions', () => {
    const [m] = applyNames(
      [
        msg({
          sender: p(SAM, '+12025550147'),
          text: 'Hey @12025550123 and @447700900999, see you',
          quoted: { fromMe: false, sender: p(LENA_LID, '+447700900456'), kind: 'text', text: 'ask @12025550147' },
          reactions: [
            { emoji: '👍', fromMe: false, sender: p(MAYA, '+12025550123') },
            { emoji: '🔥', fromMe: true },
          ],
        }),
      ],
      resolver,
    );
    expect(m.sender).toEqual({ jid: SAM, title: 'Sam Organiser', number: '+12025550147' });
    expect(m.text).toBe('Hey @Maya Climber and @447700900999, see you');
    expect(m.quoted?.sender?.title).toBe('Lena Berg');
    expect(m.quoted?.text).toBe('ask @Sam Organiser');
    expect(m.reactions?.[0].sender?.title).toBe('Maya Climber');
    expect(m.reactions?.[1]).toEqual({ emoji: '🔥', fromMe: true });
  });

  it('rewrites the titles inside system wording, and only known ones', () => {
    expect(applyNamesToSystemText('+12025550147 added +12025550123, +447700900999 and LID:176233900418834', resolver)).toBe(
      'Sam Organiser added Maya Climber, +447700900999 and Ghost (lid name)',
    );
    const m = applyNamesToMessage(msg({ kind: 'system', system: { code: 12, text: '+12025550147 added +447700900456' } }), resolver);
    expect(m.system?.text).toBe('Sam Organiser added Lena Berg');
  });

  it('leaves contact cards alone', () => {
    const m = msg({ kind: 'contact', text: '@12025550123', contacts: [{ name: '@12025550123', numbers: [] }] });
    expect(applyNamesToMessage(m, resolver)).toBe(m);
  });
});

describe('names reach the exports (they read sender.title)', () => {
  const group = applyNames(
    chat({ jid: '1@g.us', kind: 'group', title: 'Crew', participants: [{ ...p(SAM, '+12025550147'), admin: false }] }),
    resolver,
  );
  const pages = [applyNames([msg({ sender: p(SAM, '+12025550147'), text: 'Trailhead at 8?' }), msg({ pos: 1, fromMe: true, text: 'ok' })], resolver)];

  it('text export', async () => {
    const txt = await collect(exportChatTxt(group, pages, { timeZone: 'UTC' }));
    expect(txt).toContain('Sam Organiser: Trailhead at 8?');
    expect(txt).not.toContain('+12025550147');
  });

  it('HTML export', async () => {
    const html = await collect(exportChatHtml(group, pages, { generatedAt: 0, appVersion: 'test', timeZone: 'UTC' }));
    expect(html).toContain('Sam Organiser');
  });
});
