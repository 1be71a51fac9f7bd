import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNameResolver, replaceMentions } from '../../src/core/contacts/names';
import { parseVcf } from '../../src/core/contacts/vcf';
import { readLidInfo, readWaContacts, waDbBook, type LidInfo, type WaContact } from '../../src/core/contacts/wa-db';
import { openMemory, openShared, type TestDb } from '../msgstore/open-sqlite';

const A = '5511991880126@s.whatsapp.net'; // address-book contact "Contact A" (also in the kuuhaku msgstore)
const B = '5511991689446@s.whatsapp.net'; // "Contact B"
const C = '15550000003@s.whatsapp.net'; // push name only

let waDb: TestDb;
let contacts: WaContact[];
let msgstore: TestDb;
let lid: LidInfo;

beforeAll(async () => {
  waDb = await openShared('samples/wa-db/kuuhaku-2018-wa.REDACTED.db');
  contacts = readWaContacts(waDb);
  // A current-era msgstore fragment: a named lid, a lid mapped to a phone jid, an unmapped lid.
  msgstore = await openMemory();
  msgstore.raw.exec(`
    CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
    CREATE TABLE jid_map (lid_row_id INTEGER PRIMARY KEY NOT NULL, jid_row_id INTEGER NOT NULL, sort_id INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE lid_display_name (lid_row_id INTEGER PRIMARY KEY, display_name TEXT, username TEXT);
    INSERT INTO jid VALUES (1, '111111111111111', 'lid', 0, 0, 18, '111111111111111@lid');
    INSERT INTO jid VALUES (2, '222222222222222', 'lid', 0, 0, 18, '222222222222222@lid');
    INSERT INTO jid VALUES (3, '4915112345678', 's.whatsapp.net', 0, 0, 0, '4915112345678@s.whatsapp.net');
    INSERT INTO jid VALUES (4, '333333333333333', 'lid', 0, 0, 18, NULL);
    INSERT INTO jid VALUES (5, '444444444444444', 'lid', 0, 0, 18, '444444444444444@lid');
    INSERT INTO jid VALUES (6, '5511991880126', 's.whatsapp.net', 0, 0, 0, '5511991880126@s.whatsapp.net');
    INSERT INTO jid_map VALUES (2, 3, 0), (5, 6, 0);
    INSERT INTO lid_display_name VALUES (1, 'Lia (lid name)', NULL), (2, 'Mapped lid name', NULL), (4, NULL, 'someone.42'), (5, 'Ignored: A has a contact name', NULL);
  `);
  lid = readLidInfo(msgstore);
});
afterAll(() => {
  waDb?.close();
  msgstore?.close();
});

describe('wa.db (real 2018 sample, redacted)', () => {
  it('reads every named row and keeps address-book, push and formal names apart', () => {
    expect(contacts).toHaveLength(11);
    const a = contacts.find((c) => c.jid === A)!;
    expect(a).toMatchObject({ displayName: 'Contact A', pushName: 'Contact A (push name)', formalName: 'Contact A', addressBookNumber: '991880126', isWhatsAppUser: true });
    expect(contacts.find((c) => c.jid === C)).toMatchObject({ pushName: 'Contact C (push name)', displayName: undefined });
    expect(contacts.find((c) => c.jid === '15550000010@s.whatsapp.net')!.isWhatsAppUser).toBe(false);
    const book = waDbBook(contacts);
    expect(book.get(A)).toEqual({ name: 'Contact A', source: 'contact', number: '5511991880126' });
    expect(book.get(C)).toEqual({ name: 'Contact C (push name)', source: 'push', number: '15550000003' });
    expect(book.has('status@broadcast')).toBe(false);
    expect([...book.values()].filter((v) => v.source === 'contact')).toHaveLength(4);
  });

  it('tolerates a wa.db without the table or with fewer columns', async () => {
    const db = await openMemory();
    expect(readWaContacts(db)).toEqual([]);
    db.raw.exec(`CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY, jid TEXT NOT NULL, wa_name TEXT);
      INSERT INTO wa_contacts VALUES (1, '4917600000001@s.whatsapp.net', 'Only push');
      CREATE TABLE wa_vnames (_id INTEGER PRIMARY KEY, jid TEXT NOT NULL, verified_name TEXT NOT NULL);
      INSERT INTO wa_vnames VALUES (1, '4930000000@s.whatsapp.net', 'Bäckerei GmbH');`);
    const r = buildNameResolver({ waDb: readWaContacts(db) });
    expect(r.resolve('4917600000001@s.whatsapp.net')).toEqual({ title: 'Only push', number: '+4917600000001', source: 'push' });
    expect(r.resolve('4930000000@s.whatsapp.net')).toEqual({ title: 'Bäckerei GmbH', number: '+4930000000', source: 'business' });
    db.close();
  });

  it('reads lid names and the lid→phone map from a msgstore', () => {
    expect(lid.names.get('111111111111111@lid')).toBe('Lia (lid name)');
    expect(lid.names.get('333333333333333@lid')).toBe('someone.42');
    expect(lid.phoneOf.get('222222222222222@lid')).toBe('4915112345678@s.whatsapp.net');
  });
});

describe('buildNameResolver', () => {
  it('uses wa.db: contact name first, then the push name, then the number', () => {
    const r = buildNameResolver({ waDb: contacts, ownerJid: A });
    expect(r.ownerCallingCode).toBe('55');
    expect(r.resolve(A)).toEqual({ title: 'Contact A', number: '+5511991880126', source: 'contact' });
    expect(r.resolve('5511991880126.0:3@s.whatsapp.net').title).toBe('Contact A');
    expect(r.resolve(B).title).toBe('Contact B');
    expect(r.resolve(C)).toEqual({ title: 'Contact C (push name)', number: '+15550000003', source: 'push' });
    expect(r.resolve('4917612345000@s.whatsapp.net')).toEqual({ title: '+4917612345000', number: '+4917612345000', source: 'number' });
    expect(r.resolve('status@broadcast').title).toBe('Status');
  });

  it('infers the owner country from the address book when no owner jid is known', () => {
    expect(buildNameResolver({ waDb: contacts }).ownerCallingCode).toBe('55');
    expect(buildNameResolver({}).ownerCallingCode).toBeUndefined();
  });

  const vcfText = [
    // national-format NANP number for C: beats C's push name
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Carla from the gym', 'TEL;TYPE=CELL:(555) 000-0003', 'END:VCARD',
    // Brazilian ninth digit: card has the old 8-digit form, the jid the new 9-digit one
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Bruna (old number)', 'TEL:+55 11 8765-4321', 'END:VCARD',
    // …and the other way round: card has the 9, the (old account's) jid has not
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Caio (new number)', 'TEL:+55 11 97654-3210', 'END:VCARD',
    // German national number, with the owner's country
    'BEGIN:VCARD', 'VERSION:2.1', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg', 'TEL;CELL:0176 1234 5678', 'END:VCARD',
    // Argentina without the 9, Mexico without the 1
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Agustina', 'TEL:+54 11 2345-6789', 'END:VCARD',
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Memo', 'TEL:+52 55 1234 5678', 'END:VCARD',
    // a waid wins over nothing else: WhatsApp-exported card
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Wanda', 'TEL;waid=447700900123:07700 900123', 'END:VCARD',
    // a different name for Contact A: wa.db's address-book name stays first
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Not used', 'TEL:+55 11 99188-0126', 'END:VCARD',
  ].join('\r\n');

  it('matches a .vcf by normalized number, national format and the quirks both ways', () => {
    const vcf = parseVcf(vcfText);
    expect(vcf).toHaveLength(8);
    const us = buildNameResolver({ waDb: contacts, vcf, ownerJid: '12025550143@s.whatsapp.net' });
    expect(us.resolve(C)).toEqual({ title: 'Carla from the gym', number: '+15550000003', source: 'vcf' });
    expect(us.resolve(A).title).toBe('Contact A');
    expect(us.resolve('5511987654321@s.whatsapp.net')).toMatchObject({ title: 'Bruna (old number)', source: 'vcf' });
    expect(us.resolve('551176543210@s.whatsapp.net').title).toBe('Caio (new number)');
    expect(us.resolve('5491123456789@s.whatsapp.net').title).toBe('Agustina');
    expect(us.resolve('5215512345678@s.whatsapp.net').title).toBe('Memo');
    expect(us.resolve('447700900123@s.whatsapp.net').title).toBe('Wanda');
    // "0176 …" read as a US number does not reach the German jid…
    expect(us.resolve('4917612345678@s.whatsapp.net').source).toBe('number');
    // …but does for a German owner
    const de = buildNameResolver({ vcf, ownerJid: '4915112345678@s.whatsapp.net' });
    expect(de.resolve('4917612345678@s.whatsapp.net')).toEqual({ title: 'Jörg', number: '+4917612345678', source: 'vcf' });
  });

  it('matches a national number on its significant digits when no country is known', () => {
    const r = buildNameResolver({ vcf: parseVcf('BEGIN:VCARD\nFN:Jörg\nTEL:0176 1234 5678\nEND:VCARD\n') });
    expect(r.ownerCallingCode).toBeUndefined();
    expect(r.resolve('4917612345678@s.whatsapp.net').title).toBe('Jörg');
  });

  it('names privacy ids: lid name, the mapped phone, or LID:digits — never a number', () => {
    const r = buildNameResolver({ waDb: contacts, lidNames: lid, ownerJid: A });
    expect(r.resolve('111111111111111@lid')).toEqual({ title: 'Lia (lid name)', source: 'lid' });
    // mapped to a phone jid without any other name: the lid name comes before the number
    expect(r.resolve('222222222222222@lid')).toEqual({ title: 'Mapped lid name', number: '+4915112345678', source: 'lid' });
    expect(r.resolve('4915112345678@s.whatsapp.net').title).toBe('Mapped lid name');
    // mapped to Contact A: the address-book name wins over the lid name
    expect(r.resolve('444444444444444@lid')).toEqual({ title: 'Contact A', number: '+5511991880126', source: 'contact' });
    expect(r.resolve('333333333333333@lid').title).toBe('someone.42');
    // unmapped, unnamed: an id, not a number
    const u = r.resolve('987654321098765@lid');
    expect(u).toEqual({ title: 'LID:987654321098765', source: 'id' });
    expect(u.number).toBeUndefined();
    expect(r.resolve('987654321098765:12@lid').title).toBe('LID:987654321098765');
  });

  it('replaces @mentions with names where known', () => {
    const r = buildNameResolver({ waDb: contacts, lidNames: lid, ownerJid: A });
    const text = 'Hey @5511991880126 and @15550000003, ask @4917600000000 or @111111111111111! mail a@5511991880126 stays';
    expect(replaceMentions(text, r, ['111111111111111@lid'])).toBe(
      'Hey @Contact A and @Contact C (push name), ask @4917600000000 or @Lia (lid name)! mail a@5511991880126 stays',
    );
    expect(replaceMentions('no mentions', r)).toBe('no mentions');
  });
});
