import { describe, expect, it } from 'vitest';
import { decodeVcf, parseVcf } from '../../src/core/contacts/vcf';

describe('parseVcf', () => {
  it('reads 2.1 with quoted-printable UTF-8, soft line breaks and bare params', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Zo=C3=AB;;;',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB M=C3=BC=',
      'ller',
      'TEL;CELL;PREF:+49 176 1234 5678',
      'TEL;HOME:030 1234567',
      'PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD',
      ' AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '',
      'END:VCARD',
    ].join('\r\n');
    expect(parseVcf(text)).toEqual([{ name: 'Zoë Müller', numbers: ['+49 176 1234 5678', '030 1234567'], waIds: [] }]);
  });

  it('reads 3.0 with folding, escapes, groups and waid', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Doe;Jane;;;',
      'FN:Jane Doe\\, PhD (Kletter',
      ' gruppe\\; Nord)',
      'item1.TEL;type=CELL;type=VOICE;waid=4917612345678:+49 176 12345678',
      'item1.X-ABLabel:Mobile',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Public;John;Quinlan,Q.;Mr.;Esq.',
      'TEL;TYPE=WORK:(202) 555-0143',
      'END:VCARD',
    ].join('\n');
    expect(parseVcf(text)).toEqual([
      { name: 'Jane Doe, PhD (Klettergruppe; Nord)', numbers: ['+49 176 12345678'], waIds: ['4917612345678'] },
      { name: 'Mr. John Quinlan Q. Public Esq.', numbers: ['(202) 555-0143'], waIds: [] },
    ]);
  });

  it('reads 4.0 with tel: URIs and quoted parameter lists', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Ana Lima',
      'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+55-11-98765-4321',
      'TEL;VALUE=uri;TYPE=home:tel:+55-11-3265-4321;ext=2',
      'END:VCARD',
    ].join('\r\n');
    expect(parseVcf(text)).toEqual([{ name: 'Ana Lima', numbers: ['+55-11-98765-4321', '+55-11-3265-4321;ext=2'], waIds: [] }]);
  });

  it('falls back to ORG and skips cards without any name', () => {
    const text = 'BEGIN:VCARD\nVERSION:3.0\nORG:Pizza Roma;Delivery\nTEL:+39 06 1234 5678\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nTEL:123\nEND:VCARD\n';
    expect(parseVcf(text)).toEqual([{ name: 'Pizza Roma', numbers: ['+39 06 1234 5678'], waIds: [] }]);
  });

  it('ignores junk between cards and random text', () => {
    expect(parseVcf('hello\nFN:outside\n')).toEqual([]);
    expect(parseVcf('')).toEqual([]);
  });

  it('decodes UTF-16 and windows-1252 files', () => {
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nEND:VCARD\r\n';
    const le = new Uint8Array(2 + card.length * 2);
    le[0] = 0xff;
    le[1] = 0xfe;
    for (let i = 0; i < card.length; i++) le[2 + i * 2] = card.charCodeAt(i);
    expect(parseVcf(decodeVcf(le))[0]!.name).toBe('Zoë');
    const latin1 = Uint8Array.from(card, (c) => c.charCodeAt(0));
    expect(parseVcf(decodeVcf(latin1))[0]!.name).toBe('Zoë');
    expect(parseVcf(decodeVcf(new TextEncoder().encode(card)))[0]!.name).toBe('Zoë');
  });
});
