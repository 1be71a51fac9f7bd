/**
 * Phone numbers → E.164 digits (no `+`), and the keys that let a number written by a person
 * (address book, .vcf) meet the number in a WhatsApp jid (`<E.164 digits>@s.whatsapp.net`).
 *
 * Scope and limits, stated plainly:
 * - This is not libphonenumber. There is no per-country length or range validation; the
 *   country table below only knows calling codes (ITU-T E.164 assignments, 1–3 digits; the
 *   codes are prefix-free, so a number's code is found by trying 1, 2, then 3 digits) and the
 *   national *trunk prefix* of common countries.
 * - International prefixes understood: `+`, `00` everywhere, plus `011` (NANP), `0011`
 *   (Australia), `010` (Japan) and `810` (Russia/Kazakhstan) when the owner is in that country.
 * - Trunk prefixes (dropped from a national number before the calling code is added): `0` by
 *   default (DE, GB, IN, FR, BR, AR, NL, TR, ID, …); `1` in NANP; `8` in Russia/Kazakhstan;
 *   `06` in Hungary. **Italy keeps its leading 0** (landlines are dialled with it from abroad:
 *   +39 06 …), as do San Marino, the Vatican and Côte d'Ivoire (10-digit plan of 2021).
 *   Countries without a trunk prefix (ES, PT, DK, NO, GR, PL, CZ, SG, HK, CL, CO, MX…) keep the
 *   number as written.
 * - Brazil: `0 XX AA NNNN…` (a long-distance carrier code XX after the trunk 0) loses the
 *   carrier code when the digits after the 0 are 12 or 13 long.
 * - Argentina: a national mobile written `0AA 15 NNNN…` becomes `54 9 AA NNNN…` (the `15` is a
 *   domestic mobile marker; `9` is the international one). The area code is 2–4 digits; the
 *   first position (2, 3, 4) where `15` sits and leaves 10 digits wins. A heuristic.
 * - Mexico: the pre-2019 national prefixes `01`, `044`, `045` are dropped when 10 digits remain.
 *
 * Matching keys (`matchKey`) fold three WhatsApp-specific variants so that both spellings of
 * the same line meet:
 * - **Brazil's ninth digit**: mobiles gained a leading `9` after the 2-digit area code
 *   (2012–2016). Accounts registered before keep jids without it, and address books hold both
 *   forms. `55 AA 9XXXXXXXX` (13 digits) and `55 AA XXXXXXXX` (12) share the key `55AAXXXXXXXX`.
 * - **Argentina**: WhatsApp jids of mobiles carry the international mobile `9` (`549AA…`, 13
 *   digits); numbers written without it (`54AA…`, 12) share the key without the 9.
 * - **Mexico**: mobiles used to be `+52 1 …` (the `1` after 52; 13 digits); WhatsApp jids of
 *   old accounts still carry it. `521XXXXXXXXXX` and `52XXXXXXXXXX` share the key without it.
 */

export interface Country {
  /** Calling code digits, e.g. `49`, `1`, `351`. */
  callingCode: string;
  /** ISO 3166 alpha-2 where the code belongs to one main country (`1` → `US` for NANP, `7` → `RU`). */
  iso?: string;
}

/** 1- and 2-digit codes (complete list); all others are 3 digits. ISO where useful. */
const SHORT_CODES: Record<string, string> = {
  '1': 'US', '7': 'RU',
  '20': 'EG', '27': 'ZA', '30': 'GR', '31': 'NL', '32': 'BE', '33': 'FR', '34': 'ES', '36': 'HU',
  '39': 'IT', '40': 'RO', '41': 'CH', '43': 'AT', '44': 'GB', '45': 'DK', '46': 'SE', '47': 'NO',
  '48': 'PL', '49': 'DE', '51': 'PE', '52': 'MX', '53': 'CU', '54': 'AR', '55': 'BR', '56': 'CL',
  '57': 'CO', '58': 'VE', '60': 'MY', '61': 'AU', '62': 'ID', '63': 'PH', '64': 'NZ', '65': 'SG',
  '66': 'TH', '81': 'JP', '82': 'KR', '84': 'VN', '86': 'CN', '90': 'TR', '91': 'IN', '92': 'PK',
  '93': 'AF', '94': 'LK', '95': 'MM', '98': 'IR',
};

/** A selection of 3-digit codes with their ISO code (the rest resolve with `iso` undefined). */
const THREE_DIGIT_ISO: Record<string, string> = {
  '211': 'SS', '212': 'MA', '213': 'DZ', '216': 'TN', '218': 'LY', '220': 'GM', '221': 'SN',
  '225': 'CI', '233': 'GH', '234': 'NG', '237': 'CM', '243': 'CD', '244': 'AO', '249': 'SD',
  '251': 'ET', '254': 'KE', '255': 'TZ', '256': 'UG', '258': 'MZ', '260': 'ZM', '263': 'ZW',
  '351': 'PT', '352': 'LU', '353': 'IE', '354': 'IS', '355': 'AL', '356': 'MT', '357': 'CY',
  '358': 'FI', '359': 'BG', '370': 'LT', '371': 'LV', '372': 'EE', '373': 'MD', '374': 'AM',
  '375': 'BY', '380': 'UA', '381': 'RS', '385': 'HR', '386': 'SI', '387': 'BA', '389': 'MK',
  '378': 'SM', '379': 'VA', '420': 'CZ', '421': 'SK', '423': 'LI', '502': 'GT', '503': 'SV',
  '504': 'HN', '505': 'NI', '506': 'CR', '507': 'PA', '591': 'BO', '593': 'EC', '595': 'PY',
  '598': 'UY', '852': 'HK', '853': 'MO', '855': 'KH', '856': 'LA', '880': 'BD', '886': 'TW',
  '960': 'MV', '961': 'LB', '962': 'JO', '963': 'SY', '964': 'IQ', '965': 'KW', '966': 'SA',
  '967': 'YE', '968': 'OM', '970': 'PS', '971': 'AE', '972': 'IL', '973': 'BH', '974': 'QA',
  '975': 'BT', '976': 'MN', '977': 'NP', '992': 'TJ', '993': 'TM', '994': 'AZ', '995': 'GE',
  '996': 'KG', '998': 'UZ',
};

/** National trunk prefix by calling code; default `0`. `''` = none (a leading 0 is kept). */
const TRUNK: Record<string, string> = {
  '1': '1', '7': '8', '36': '06',
  // keep the leading 0: Italy, San Marino, Vatican, Côte d'Ivoire
  '39': '', '378': '', '379': '', '225': '',
  // no trunk prefix at all
  '30': '', '34': '', '45': '', '47': '', '48': '', '351': '', '352': '', '354': '', '420': '',
  '421': '', '65': '', '852': '', '853': '', '56': '', '57': '', '52': '', '371': '', '372': '',
  '502': '', '503': '', '504': '', '505': '', '506': '', '507': '',
};

/** International (exit) prefixes other than `00`, by the owner's calling code. */
const EXIT: Record<string, string[]> = { '1': ['011'], '61': ['0011'], '81': ['010'], '7': ['810'] };

/** The country of an E.164 number (digits, `+` allowed), or undefined for an impossible code. */
export function countryOf(e164: string): Country | undefined {
  const d = e164.replace(/^\+/, '');
  if (!/^[1-9]\d{2,}/.test(d)) return undefined;
  for (const len of [1, 2]) {
    const cc = d.slice(0, len);
    if (cc in SHORT_CODES) return { callingCode: cc, iso: SHORT_CODES[cc] };
  }
  // First digits 1 and 7 are taken whole; of the 2-digit prefixes the listed ones are codes,
  // the rest (21x, 35x, 42x, 50x, 59x, 67x–69x, 80x, 85x, 87x, 88x, 96x, 97x, 99x…) start a
  // 3-digit code. A few of those prefixes are wholly unassigned; accepting them is harmless.
  const cc = d.slice(0, 3);
  return { callingCode: cc, iso: THREE_DIGIT_ISO[cc] };
}

/** The calling code of a jid's number (`4917…@s.whatsapp.net` → `49`); undefined for lids/groups. */
export function callingCodeOfJid(jid: string | undefined): string | undefined {
  if (!jid) return undefined;
  const at = jid.indexOf('@');
  const server = at >= 0 ? jid.slice(at + 1).toLowerCase() : 's.whatsapp.net';
  if (server !== 's.whatsapp.net' && server !== 'c.us') return undefined;
  const user = (at >= 0 ? jid.slice(0, at) : jid).split(/[.:]/)[0]!;
  if (!/^\d{6,15}$/.test(user)) return undefined;
  return countryOf(user)?.callingCode;
}

/** What a written number looked like before normalization. */
export interface NormalizedPhone {
  /** E.164 digits without `+`, when the number is international or the owner's country is known. */
  e164?: string;
  /** All digits as written (after a `tel:` prefix and any extension were removed). */
  digits: string;
  /** True when the number carried `+` or an exit prefix. */
  international: boolean;
}

/**
 * Normalizes a phone number as a person writes it: spaces, dashes, dots, parentheses, `tel:`,
 * extensions (`x12`, `ext. 12`, `;ext=12`) are removed; `+` and exit prefixes mark international
 * form; anything else is national and gets `ownerCallingCode` (digits) after its trunk prefix is
 * handled. Returns undefined when no digits are left.
 */
export function normalizePhone(raw: string, ownerCallingCode?: string): NormalizedPhone | undefined {
  let s = raw.trim().replace(/^tel:/i, '');
  // Extensions and pauses: `;ext=12`, `ext. 12`, `x12`, `#12`, `,12`, `;12`.
  s = s.replace(/;ext=.*$/i, '').replace(/\s*(?:ext\.?|x|#|,|;)\s*\d*\s*$/i, '');
  // `+49 (0)176 …`: the trunk 0 in parentheses is not dialled from abroad.
  if (/^[^\d]*(\+|00)/.test(s)) s = s.replace(/\(\s*0\s*\)/g, '');
  const digits = s.replace(/\D+/g, '');
  if (!digits) return undefined;
  const plus = /^[^\d]*\+/.test(s);
  if (plus) return { e164: digits, digits, international: true };
  const exits = [...(ownerCallingCode ? (EXIT[ownerCallingCode] ?? []) : []), '00'];
  for (const exit of exits) {
    if (digits.startsWith(exit) && digits.length > exit.length + 6) {
      return { e164: digits.slice(exit.length), digits, international: true };
    }
  }
  if (!ownerCallingCode) return { digits, international: false };
  return { e164: nationalToE164(digits, ownerCallingCode), digits, international: false };
}

function nationalToE164(digits: string, cc: string): string {
  let d = digits;
  switch (cc) {
    case '1':
      if (d.length === 11 && d.startsWith('1')) return d;
      return cc + d;
    case '7':
      if (d.length === 11 && d.startsWith('8')) return cc + d.slice(1);
      if (d.length === 11 && d.startsWith('7')) return d;
      return cc + d;
    case '52':
      for (const p of ['044', '045', '01']) {
        if (d.startsWith(p) && d.length - p.length === 10) return cc + d.slice(p.length);
      }
      return cc + d;
    case '55':
      if (d.startsWith('0')) {
        d = d.slice(1);
        if (d.length === 12 || d.length === 13) d = d.slice(2); // carrier selection code
      }
      return cc + d;
    case '54': {
      if (d.startsWith('0')) d = d.slice(1);
      if (d.length === 12) {
        for (const a of [2, 3, 4]) {
          if (d.slice(a, a + 2) === '15') return `${cc}9${d.slice(0, a)}${d.slice(a + 2)}`;
        }
      }
      return cc + d;
    }
  }
  const trunk = TRUNK[cc] ?? '0';
  if (trunk && d.startsWith(trunk)) d = d.slice(trunk.length);
  return cc + d;
}

/**
 * The key two spellings of one WhatsApp number share (see the module doc): Brazil's ninth digit,
 * Argentina's mobile `9` and Mexico's old mobile `1` are folded away. Input: E.164 digits.
 */
export function matchKey(e164: string): string {
  const d = e164.replace(/^\+/, '');
  if (d.length === 13) {
    if (d.startsWith('55') && d[4] === '9') return d.slice(0, 4) + d.slice(5);
    if (d.startsWith('549')) return '54' + d.slice(3);
    if (d.startsWith('521')) return '52' + d.slice(3);
  }
  return d;
}

/**
 * Every E.164 reading of a written number worth looking up, best first: the normalized one,
 * and, for a long national-looking string, the digits taken as already international
 * (`4917612345678` saved without `+`). Lookups against real jids make the extra reading safe.
 */
export function phoneCandidates(raw: string, ownerCallingCode?: string): string[] {
  const n = normalizePhone(raw, ownerCallingCode);
  if (!n) return [];
  const out: string[] = [];
  if (n.e164) out.push(n.e164);
  if (!n.international && n.digits.length >= 10 && n.digits[0] !== '0' && countryOf(n.digits)) {
    if (!out.includes(n.digits)) out.push(n.digits);
  }
  return out;
}
