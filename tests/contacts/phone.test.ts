import { describe, expect, it } from 'vitest';
import { callingCodeOfJid, countryOf, matchKey, normalizePhone, phoneCandidates } from '../../src/core/contacts/phone';

describe('normalizePhone', () => {
  // [written, owner calling code, expected E.164 digits]
  const table: [string, string | undefined, string | undefined][] = [
    // international forms: + and 00, any formatting
    ['+49 176 1234 5678', undefined, '4917612345678'],
    ['+49 (0)176 1234-5678', '44', '4917612345678'],
    ['0049 176 12345678', '1', '4917612345678'],
    ['+1 (202) 555-0143', '49', '12025550143'],
    ['+44 7700 900123', undefined, '447700900123'],
    ['tel:+1-202-555-0143;ext=12', undefined, '12025550143'],
    ['+1 202 555 0143 x12', undefined, '12025550143'],
    ['+91 98765.43210', undefined, '919876543210'],
    // national with trunk 0 dropped
    ['0176 1234 5678', '49', '4917612345678'],
    ['07700 900123', '44', '447700900123'],
    ['098765 43210', '91', '919876543210'],
    ['06 12 34 56 78', '33', '33612345678'],
    ['(011) 98765-4321', '55', '5511987654321'],
    ['0 21 11 98765-4321', '55', '5511987654321'], // BR carrier code 21
    ['0412 345 678', '61', '61412345678'],
    ['090-1234-5678', '81', '819012345678'],
    // national without trunk
    ['98765 43210', '91', '919876543210'],
    // Italy keeps the 0 of landlines; mobiles start with 3
    ['06 1234 5678', '39', '390612345678'],
    ['347 123 4567', '39', '393471234567'],
    // Spain: no trunk prefix
    ['612 34 56 78', '34', '34612345678'],
    // NANP: trunk 1, 10-digit national, 011 exit
    ['(202) 555-0143', '1', '12025550143'],
    ['1 202 555 0143', '1', '12025550143'],
    ['011 49 176 12345678', '1', '4917612345678'],
    // Russia: trunk 8, exit 810
    ['8 (912) 345-67-89', '7', '79123456789'],
    ['810 49 176 12345678', '7', '4917612345678'],
    // Hungary: trunk 06
    ['06 30 123 4567', '36', '36301234567'],
    // Australia: exit 0011
    ['0011 44 7700 900123', '61', '447700900123'],
    // Argentina: national mobile with 15 → 54 9 …
    ['011 15-2345-6789', '54', '5491123456789'],
    ['0351 15 234-5678', '54', '5493512345678'],
    // Mexico: old national prefixes
    ['044 55 1234 5678', '52', '525512345678'],
    ['55 1234 5678', '52', '525512345678'],
    // unknown country: no E.164
    ['0176 1234 5678', undefined, undefined],
  ];
  it.each(table)('%s (owner %s) → %s', (raw, cc, expected) => {
    expect(normalizePhone(raw, cc)?.e164).toBe(expected);
  });

  it('gives undefined for no digits', () => {
    expect(normalizePhone('  --  ', '49')).toBeUndefined();
  });

  it('offers the digits as international when they look like it', () => {
    expect(phoneCandidates('4917612345678', '49')).toEqual(['494917612345678', '4917612345678']);
    expect(phoneCandidates('+4917612345678', '49')).toEqual(['4917612345678']);
  });
});

describe('countryOf', () => {
  it.each([
    ['12025550143', '1', 'US'],
    ['79123456789', '7', 'RU'],
    ['4917612345678', '49', 'DE'],
    ['5511987654321', '55', 'BR'],
    ['919876543210', '91', 'IN'],
    ['393471234567', '39', 'IT'],
    ['351912345678', '351', 'PT'],
    ['971501234567', '971', 'AE'],
    ['2348012345678', '234', 'NG'],
    ['+447700900123', '44', 'GB'],
  ])('%s → %s %s', (n, cc, iso) => {
    expect(countryOf(n)).toEqual({ callingCode: cc, iso });
  });
  it('rejects a leading 0', () => expect(countryOf('0176')).toBeUndefined());
  it('reads a jid', () => {
    expect(callingCodeOfJid('4917612345678@s.whatsapp.net')).toBe('49');
    expect(callingCodeOfJid('4917612345678.0:3@s.whatsapp.net')).toBe('49');
    expect(callingCodeOfJid('123456789012345@lid')).toBeUndefined();
    expect(callingCodeOfJid('4917612345678-1600000000@g.us')).toBeUndefined();
  });
});

describe('matchKey', () => {
  it('folds the Brazilian ninth digit both ways', () => {
    expect(matchKey('5511987654321')).toBe(matchKey('551187654321'));
    expect(matchKey('5511987654321')).toBe('551187654321');
    // a 12-digit landline stays as it is
    expect(matchKey('551132654321')).toBe('551132654321');
  });
  it("folds Argentina's mobile 9 and Mexico's old 1", () => {
    expect(matchKey('5491123456789')).toBe(matchKey('541123456789'));
    expect(matchKey('5215512345678')).toBe(matchKey('525512345678'));
  });
  it('leaves other numbers alone', () => {
    expect(matchKey('4917612345678')).toBe('4917612345678');
    expect(matchKey('+12025550143')).toBe('12025550143');
  });
});
