/** Pure units: the title rule, system wording, vCards, type mapping, MediaData paths, previews. */
import { describe, expect, it } from 'vitest';
import { chatKindOf, chatTitle, personTitle, splitJid } from '../../src/core/msgstore/people';
import { renderSystem, KNOWN_SYSTEM_CODES } from '../../src/core/msgstore/system';
import { parseVCard, parseVCards } from '../../src/core/msgstore/vcard';
import { audioKind, kindOfType } from '../../src/core/msgstore/kinds';
import { mediaDataPath, rowThumbnail } from '../../src/core/msgstore/java-media';
import { formatDuration, previewText } from '../../src/core/msgstore/describe';
import type { Message } from '../../src/core/msgstore/model';

describe('title rule (ui-contract)', () => {
  it('group shows its subject', () => {
    expect(chatTitle('120363000000000001@g.us', 'Climbing Club')).toBe('Climbing Club');
    expect(chatTitle('4917612345000-1502263483@g.us', undefined)).toBe('Unnamed group');
  });
  it('person shows + and the digits; device suffixes are dropped', () => {
    expect(personTitle('4917612345000@s.whatsapp.net')).toBe('+4917612345000');
    expect(personTitle('4917612345000.0:3@s.whatsapp.net')).toBe('+4917612345000');
    expect(personTitle('4917612345000:12@s.whatsapp.net')).toBe('+4917612345000');
    expect(chatTitle('4917612345000@s.whatsapp.net', 'ignored for people')).toBe('+4917612345000');
  });
  it('a mapped lid shows the phone number; an unmapped one LID:digits, never as a phone number', () => {
    expect(personTitle('111122223333444@lid', '4916099887766@s.whatsapp.net')).toBe('+4916099887766');
    expect(personTitle('111122223333444@lid')).toBe('LID:111122223333444');
    expect(personTitle('111122223333444:5@lid')).toBe('LID:111122223333444');
    expect(personTitle('111122223333444@lid')).not.toMatch(/^\+/);
  });
  it('kinds from the jid', () => {
    expect(chatKindOf('1@g.us')).toBe('group');
    expect(chatKindOf('1@lid')).toBe('person');
    expect(chatKindOf('1@s.whatsapp.net')).toBe('person');
    expect(chatKindOf('1234567890@broadcast')).toBe('broadcast');
    expect(chatKindOf('120363@newsletter')).toBe('channel');
    expect(splitJid('a.0:1@S.WhatsApp.net')).toEqual({ user: 'a', server: 's.whatsapp.net' });
  });
});

describe('system wording', () => {
  it('renders the agreed codes', () => {
    expect(renderSystem(12, { actor: '+919812345678', targets: ['+919712345678'] }).text).toBe('+919812345678 added +919712345678');
    expect(renderSystem(4, { actor: 'You', targets: ['+1', '+2', '+3'] }).text).toBe('You added +1, +2 and +3');
    expect(renderSystem(1, { value: 'New name' }).text).toBe('Group name changed to “New name”');
    expect(renderSystem(1, { actor: 'You', value: 'New name' }).text).toBe('You changed the group name to “New name”');
    expect(renderSystem(11, { actor: 'You', value: 'Test' }).text).toBe('You created group “Test”');
    expect(renderSystem(19).text).toBe('Messages are end-to-end encrypted');
    expect(renderSystem(67).text).toBe('Messages and calls are end-to-end encrypted');
    expect(renderSystem(5, { targets: ['+49123'] }).text).toBe('+49123 left');
    expect(renderSystem(14, { actor: '+1', targets: ['+2'] }).text).toBe('+1 removed +2');
    expect(renderSystem(10, { oldNumber: '+1', newNumber: '+2' }).text).toBe('+1 changed their phone number to +2');
    expect(renderSystem(58, { blocked: false }).text).toBe('You unblocked this contact');
  });
  it('falls back to a generic line for unknown and disputed codes', () => {
    expect(renderSystem(9999)).toEqual({ code: 9999, text: 'System message (code 9999)' });
    expect(renderSystem(16).text).toBe('System message (code 16)'); // disputed in the sources
    expect(KNOWN_SYSTEM_CODES).toContain(67);
  });
});

describe('vCard', () => {
  it('reads FN and every TEL (grouped, typed, folded)', () => {
    const v = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;;;\r\nFN:John\r\n  Doe\r\nitem1.TEL;waid=4917612345678:+49 176 12345678\r\nTEL;TYPE=HOME:+49 30 1\r\nEND:VCARD';
    expect(parseVCard(v)).toEqual({ name: 'John Doe', numbers: ['+49 176 12345678', '+49 30 1'] });
  });
  it('falls back to N, then the given name; escapes are undone', () => {
    expect(parseVCard('BEGIN:VCARD\nN:Roe;Jane;;;\nEND:VCARD').name).toBe('Jane Roe');
    expect(parseVCard('BEGIN:VCARD\nEND:VCARD', 'Fallback').name).toBe('Fallback');
    expect(parseVCard('BEGIN:VCARD\nFN:A\\, B\nEND:VCARD').name).toBe('A, B');
  });
  it('splits several cards', () => {
    expect(parseVCards('BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nTEL:1\nEND:VCARD')).toEqual([
      { name: 'A', numbers: [] },
      { name: 'B', numbers: ['1'] },
    ]);
    expect(parseVCards('not a card')).toEqual([]);
  });
});

describe('types', () => {
  it('maps codes and keeps unknown ones unsupported', () => {
    expect(kindOfType(0)).toBe('text');
    expect(kindOfType(15)).toBe('deleted');
    expect(kindOfType(64)).toBe('deleted');
    expect(kindOfType(66)).toBe('poll');
    expect(kindOfType(90)).toBe('call');
    expect(kindOfType(8)).toBe('unsupported');
    expect(kindOfType(8, true)).toBe('call');
    expect(kindOfType(12345)).toBe('unsupported');
  });
  it('tells voice notes from audio files', () => {
    expect(audioKind('Media/WhatsApp Voice Notes/202401/PTT-20240101-WA0001.opus')).toBe('voice');
    expect(audioKind('Media/WhatsApp Audio/AUD-20240101-WA0001.mp3')).toBe('audio');
    expect(audioKind(undefined, undefined, 'audio/ogg; codecs=opus')).toBe('voice');
    expect(audioKind(undefined, 'song.mp3', 'audio/mpeg')).toBe('audio');
  });
  it('unsupported messages never throw in previews', () => {
    const m: Message = { id: 2, pos: 0, ts: 0, fromMe: false, kind: 'unsupported', type: 77 };
    expect(previewText(m)).toBe('Unsupported message (type 77)');
  });
});

describe('legacy blobs', () => {
  it('finds the path in a MediaData-like stream and ignores anything else', () => {
    const enc = new TextEncoder();
    const path = 'Media/WhatsApp Images/IMG-1.jpg';
    const head = new Uint8Array([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]);
    const body = enc.encode('junk java.io.File\u0004-junk');
    const tail = new Uint8Array([0x78, 0x70, 0x74, 0, path.length, ...enc.encode(path), 0x77, 0x02]);
    expect(mediaDataPath(new Uint8Array([...head, ...body, ...tail]))).toBe(path);
    expect(mediaDataPath(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(mediaDataPath(undefined)).toBeUndefined();
  });
  it('unwraps a serialized byte[] thumbnail', () => {
    const jpeg = [0xff, 0xd8, 0xff, 0xe0, 9];
    const blob = new Uint8Array([0xac, 0xed, 0, 5, 0x75, 0x72, 0, 2, 0x5b, 0x42, 1, 2, 0x78, 0x70, 0, 0, 0, jpeg.length, ...jpeg]);
    expect(rowThumbnail(blob)).toEqual(new Uint8Array(jpeg));
    expect(rowThumbnail(new Uint8Array(jpeg))).toEqual(new Uint8Array(jpeg));
  });
});

describe('previewText', () => {
  const base = { id: 2, pos: 0, ts: 0, fromMe: false, type: 0 } as const;
  it('summarizes each kind on one line', () => {
    expect(previewText({ ...base, kind: 'text', text: 'two\nlines' })).toBe('two lines');
    expect(previewText({ ...base, kind: 'image', type: 1, text: 'caption' })).toBe('📷 Photo · caption');
    expect(previewText({ ...base, kind: 'voice', type: 2, media: { durationSec: 42 } })).toBe('🎤 Voice message (0:42)');
    expect(previewText({ ...base, kind: 'document', type: 9, media: { fileName: 'report.pdf' } })).toBe('📄 report.pdf');
    expect(previewText({ ...base, kind: 'location', type: 5, location: { lat: 1, lon: 2, name: 'Home' } })).toBe('📍 Location: Home');
    expect(previewText({ ...base, kind: 'call', type: 10, call: { video: false, outcome: 'missed' } })).toBe('📞 Missed voice call');
    expect(previewText({ ...base, kind: 'deleted', type: 15, deleted: 'sender' })).toBe('This message was deleted');
    expect(previewText({ ...base, kind: 'poll', type: 66, poll: { question: 'Q?', options: [] } })).toBe('📊 Poll: Q?');
    expect(previewText({ ...base, kind: 'system', type: 7, system: { code: 19, text: 'Messages are end-to-end encrypted' } })).toBe(
      'Messages are end-to-end encrypted',
    );
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});
