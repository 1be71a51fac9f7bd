import { describe, expect, it } from 'vitest';
import { parseKeyFile, parseKeyText } from '../../src/core/backup/key';
import { deriveCrypt15Key, hkdfExtract, hkdfSha256 } from '../../src/core/backup/hkdf';
import { toHex } from '../../src/core/backup/bytes';
import { isUnsealError } from '../../src/core/errors';
import { fixture } from './helpers';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

// shared/spec/backup-formats.md §3.5, every row
const VECTORS: [string, string, string][] = [
  ['42108683bdb813a23bbd90b414aff6ee9c56b36f0a3ba480e1064c65f2ac73b6', 'e9628541f8baee5642874c95d89b77550f5ec50448a4149f4c4cf73e1b8076ba', 'efdb2823a98af366d8013c4806e353378781e14ad96239f540454a015d8640f6'],
  ['133735053b5204b08e5c3823423399aa30ff061435ab89bc4e6713969cda1337', '4f8bca6a415a75943b0f6262d80cfd7ddcbff71742b4da7e0fb3fb775de8db69', 'b6ec37fbd916a601e1afc041691869358c583c0ec703ba9789fb0181be889f79'],
  ['00'.repeat(32), '33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a', '000cd53075979ccd61531727d933d4c1aa747ff468f65b8bdf89ffa174e7e757'],
  ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '46bd320605c5a6b6163ab70bc6345b92a5f908e79fe58979c23ebb47d1a5e307', '4e54c0777a7214dfdf0af5b6e153acfa2fbdac603fea6fd1630b824e5c29eef5'],
  ['6730a595a1484d0c39c101dc0ac82ec5e401bb6f0e1b8ee2dc104a6b3687f017', '32e4c4a3b8d962c4718b4d8fd83f5a71e949849ce6afd4543828bc6ab3fd5caa', '17ec312152f6f84fd13a3ec6b9c9279aac60bb84405f0685d1fae27293757bc7'],
];

describe('HKDF (spec §3.5 vectors)', () => {
  for (const [root, prk, aes] of VECTORS) {
    it(`root ${root.slice(0, 8)}…`, async () => {
      expect(toHex(await hkdfExtract(hex(root)))).toBe(prk);
      expect(toHex(await hkdfExtract(hex(root), new Uint8Array(0)))).toBe(prk);
      expect(toHex(await deriveCrypt15Key(hex(root)))).toBe(aes);
      expect(toHex(await hkdfSha256(hex(root), 'backup encryption', 32, new Uint8Array(0)))).toBe(aes);
    });
  }
  it('fixture root, metadata labels', async () => {
    const root = hex(VECTORS[0][0]);
    expect(toHex(await hkdfSha256(root, 'metadata encryption'))).toBe('efec76ba5d587e64cec4726c8df1ef4866fd29d6580cdd563f88042407464089');
    expect(toHex(await hkdfSha256(root, 'metadata authentication'))).toBe('e16577bd2a1f93a8edc00f6e73e08f5b2ae50c1d89e5e132c94cf2d6d4830f3c');
  });
});

const KEY = '42108683bdb813a23bbd90b414aff6ee9c56b36f0a3ba480e1064c65f2ac73b6';

describe('parseKeyText', () => {
  const ok = (text: string) => {
    const r = parseKeyText(text);
    if (!r.ok) throw new Error(r.message);
    return toHex(r.key);
  };
  it('accepts the ways people write it', () => {
    expect(ok(KEY)).toBe(KEY);
    expect(ok(KEY.toUpperCase())).toBe(KEY);
    expect(ok(KEY.match(/.{4}/g)!.join(' '))).toBe(KEY);
    expect(ok(KEY.match(/.{4}/g)!.join('-'))).toBe(KEY);
    expect(ok(KEY.match(/.{2}/g)!.join(':'))).toBe(KEY);
    expect(ok(KEY.match(/.{16}/g)!.join('\n') + '\n')).toBe(KEY);
    expect(ok('  ' + KEY.match(/.{8}/g)!.join('\t') + '\r\n')).toBe(KEY);
  });
  it('empty', () => {
    for (const t of ['', '   ', '\n- :\t']) expect(parseKeyText(t)).toMatchObject({ ok: false, problem: 'empty' });
  });
  it('wrong length names the count', () => {
    expect(parseKeyText(KEY.slice(1))).toMatchObject({ ok: false, problem: 'length', digits: 63, message: 'The key has 63 digits; it needs 64.' });
    expect(parseKeyText(KEY + 'a')).toMatchObject({ ok: false, problem: 'length', digits: 65, message: 'The key has 65 digits; it needs 64.' });
    expect(parseKeyText('a')).toMatchObject({ problem: 'length', message: 'The key has 1 digit; it needs 64.' });
  });
  it('typos: O for 0, l for 1, with position and suggestion', () => {
    const withO = KEY.slice(0, 16) + 'O' + KEY.slice(17);
    const r = parseKeyText(withO.match(/.{4}/g)!.join(' '));
    expect(r).toMatchObject({ ok: false, problem: 'non-hex', index: 20 });
    if (!r.ok) expect(r.message).toBe('“O” at position 17 is not a hex digit (0-9, a-f). Did you mean 0?');
    const withL = 'l' + KEY.slice(1);
    const r2 = parseKeyText(withL);
    if (r2.ok) throw new Error('accepted');
    expect(r2.message).toBe('“l” at position 1 is not a hex digit (0-9, a-f). Did you mean 1?');
    const r3 = parseKeyText(KEY.slice(0, 63) + 'x');
    if (r3.ok) throw new Error('accepted');
    expect(r3.message).toBe('“x” at position 64 is not a hex digit (0-9, a-f).');
    const r4 = parseKeyText('OO' + KEY.slice(2));
    if (r4.ok) throw new Error('accepted');
    expect(r4.message).toContain('and 1 more character like it');
  });
  it('never throws on arbitrary text', () => {
    for (const t of ['😀'.repeat(64), '\u0000', 'g'.repeat(100), KEY + '😀']) {
      expect(parseKeyText(t).ok).toBe(false);
    }
  });
});

describe('parseKeyFile', () => {
  it('encrypted_backup.key → crypt15 root', () => {
    const k = parseKeyFile(fixture('encrypted_backup.key'));
    expect(k.kind).toBe('crypt15');
    if (k.kind === 'crypt15') expect(toHex(k.root)).toBe(KEY);
  });
  it('legacy key → fields', () => {
    const k = parseKeyFile(fixture('key'));
    if (k.kind !== 'legacy') throw new Error('not legacy');
    expect(toHex(k.aesKey)).toBe('160d80a2f916f5f7fb0c424d68e97b6db8359ddf0704e74b078885d7e0e85a0c');
    expect(toHex(k.serverSalt)).toBe('cf4d728ba5b92a9ad92788dde0f645ad560b412bff88e544ca8f0859a198a1c3');
    expect(toHex(k.googleIdSalt)).toBe('bf164856e0364bc082037c116e9f9050');
    expect(k.keyVersion).toBe(2);
    expect(k.cipherVersion).toBe(1);
  });
  it('a .txt with the 64 digits', () => {
    const k = parseKeyFile(fixture('crypt15-key.txt'));
    expect(k.kind === 'crypt15' && toHex(k.root)).toBe(KEY);
    const withBom = new TextEncoder().encode('\uFEFF' + KEY.match(/.{4}/g)!.join(' ') + '\r\n');
    expect(parseKeyFile(withBom).kind).toBe('crypt15');
  });
  it('bad files → bad-key', () => {
    const good = fixture('encrypted_backup.key');
    const cases = [
      new Uint8Array(0),
      good.subarray(0, 58),
      new Uint8Array([...good, 0]),
      fixture('key').subarray(0, 100),
      new TextEncoder().encode(KEY.slice(1)),
      fixture('plain.db'),
      (() => { const b = good.slice(); b[26] = 33; return b; })(),
      (() => { const b = good.slice(); b[12] ^= 1; return b; })(),
    ];
    for (const c of cases) {
      let code = 'ok';
      try {
        parseKeyFile(c);
      } catch (e) {
        code = isUnsealError(e) ? e.code : 'other';
      }
      expect(code).toBe('bad-key');
    }
  });
});
