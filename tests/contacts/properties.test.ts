import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNameResolver, replaceMentions } from '../../src/core/contacts/names';
import { matchKey, normalizePhone } from '../../src/core/contacts/phone';
import { parseVcf } from '../../src/core/contacts/vcf';

describe('contacts properties', () => {
  it('parseVcf never throws and every entry has a name', () => {
    const vcfish = fc.array(
      fc.oneof(
        fc.constantFrom('BEGIN:VCARD', 'END:VCARD', 'VERSION:2.1', 'FN:', 'N:;;;;', 'TEL;CELL:', 'FN;ENCODING=QUOTED-PRINTABLE:=C3=', ' ', '=', ':', ';', '"'),
        fc.string(),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(vcfish, (parts) => {
        for (const e of parseVcf(parts.join('\r\n'))) expect(e.name.length).toBeGreaterThan(0);
      }),
    );
  });

  it('formatting never changes a normalized number', () => {
    const national = fc.stringMatching(/^[1-9]\d{6,10}$/);
    const sep = fc.constantFrom(' ', '-', '.', '', '  ', ' - ');
    fc.assert(
      fc.property(national, sep, fc.constantFrom('49', '44', '91', '33', '55', '61'), (digits, s, cc) => {
        const plain = normalizePhone(`0${digits}`, cc)?.e164;
        const spaced = normalizePhone(`(0${digits.slice(0, 3)})${s}${digits.slice(3, 6)}${s}${digits.slice(6)}`, cc)?.e164;
        const intl = normalizePhone(`+${cc}${s}${digits}`, 'unused')?.e164;
        expect(spaced).toBe(plain);
        // trunk-0 countries: the national and the international spelling agree (Brazil with
        // 10/11 digits after the 0 only; longer ones are read as carrier-code dialling)
        if (cc !== '55' || digits.length <= 9) expect(plain).toBe(intl);
      }),
    );
  });

  it('matchKey is idempotent', () => {
    fc.assert(fc.property(fc.stringMatching(/^[1-9]\d{7,14}$/), (d) => {
      expect(matchKey(matchKey(d))).toBe(matchKey(d));
    }));
  });

  it('replaceMentions with no names leaves any text as it was', () => {
    const r = buildNameResolver({});
    fc.assert(fc.property(fc.string(), (t) => {
      expect(replaceMentions(t, r)).toBe(t);
    }));
  });
});
