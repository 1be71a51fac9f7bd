import { describe, expect, it } from 'vitest';
import { parseKeyFile, parseKeyText, type KeyMaterial } from '../../src/core/backup/key';
import { sniffBackup } from '../../src/core/backup/sniff';
import { parseHeader } from '../../src/core/backup/header';
import { toHex } from '../../src/core/backup/bytes';
import { decryptAll, failure, failureCode, fixture, keyFile, sha256 } from './helpers';
import { sharedText } from '../shared';

const PLAIN = '2748cb4fac851f11e4e0aba318172c053fd15d4f25494c40907b8f19cb113882';
const PLAIN_WA = '14063fba913636e1f38d257c71b708ec84ee5ce632684271f115ebff3d7ea2fd';

function hexKey(file: string): KeyMaterial {
  const r = parseKeyText(sharedText('fixtures/backups/' + file));
  if (!r.ok) throw new Error(r.message);
  return { kind: 'crypt15', root: r.key };
}

describe('positive fixtures decrypt to the plain databases', () => {
  const cases: [string, () => KeyMaterial, string, string][] = [
    ['msgstore.db.crypt15', () => hexKey('crypt15-key.txt'), PLAIN, 'crypt15'],
    ['msgstore.db.crypt15', () => keyFile('encrypted_backup.key'), PLAIN, 'crypt15'],
    ['msgstore.db.crypt15', () => keyFile('crypt15-key.txt'), PLAIN, 'crypt15'],
    ['msgstore.db.crypt14', () => keyFile('key'), PLAIN, 'crypt14'],
    ['msgstore.db.crypt12', () => keyFile('key'), PLAIN, 'crypt12'],
    ['wabackup/wa.db.crypt15', () => hexKey('crypt15-key.txt'), PLAIN_WA, 'crypt15'],
    ['wabackup/wa.db.crypt15', () => keyFile('encrypted_backup.key'), PLAIN_WA, 'crypt15'],
    ['wabackup/msgstore-nofeatures.db.crypt14', () => keyFile('key'), PLAIN, 'crypt14'],
    ['wabackup/msgstore-explicitfalse.db.crypt15', () => keyFile('encrypted_backup.key'), PLAIN, 'crypt15'],
    ['wabackup/msgstore-explicitfalse.db.crypt15', () => hexKey('crypt15-key.txt'), PLAIN, 'crypt15'],
  ];
  for (const [file, key, hash, format] of cases) {
    for (const chunkSize of [4 << 20, 16, 48]) {
      it(`${file} (${key().kind} key, chunk ${chunkSize})`, async () => {
        const { info, out } = await decryptAll(fixture(file), key(), { chunkSize });
        expect(sha256(out)).toBe(hash);
        expect(info).toMatchObject({ format, payload: 'sqlite', md5: 'ok', bytesOut: 16384, bytesIn: fixture(file).length });
      });
    }
  }

  it('reports header facts', async () => {
    const { info } = await decryptAll(fixture('msgstore.db.crypt15'), keyFile('encrypted_backup.key'));
    expect(info).toMatchObject({ appVersion: '2.24.8.85', jidSuffix: '42' });
    const c12 = await decryptAll(fixture('msgstore.db.crypt12'), keyFile('key'));
    expect(c12.info.jidSuffix).toBe('42');
    const ef = await decryptAll(fixture('wabackup/msgstore-explicitfalse.db.crypt15'), keyFile('encrypted_backup.key'));
    expect(ef.info).toMatchObject({ appVersion: '2.22.5.13', jidSuffix: '67' });
  });

  it('stickers.db.crypt15 (ZIP payload) → not-a-chat-backup', async () => {
    expect(await failureCode(fixture('wabackup/stickers.db.crypt15'), hexKey('crypt15-key.txt'))).toBe('not-a-chat-backup');
  });

  it('reports progress up to the file size and honours a signal', async () => {
    const seen: number[] = [];
    const bytes = fixture('msgstore.db.crypt15');
    await decryptAll(bytes, keyFile('encrypted_backup.key'), { chunkSize: 128, onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const ac = new AbortController();
    ac.abort();
    expect(await failureCode(bytes, keyFile('encrypted_backup.key'), { signal: ac.signal })).toBe('cancelled');
    const ac2 = new AbortController();
    let n = 0;
    const code = await failureCode(bytes, keyFile('encrypted_backup.key'), {
      chunkSize: 64,
      signal: ac2.signal,
      onProgress: () => {
        if (++n === 3) ac2.abort();
      },
    });
    expect(code).toBe('cancelled');
  });
});

describe('headers (spec §5.4)', () => {
  it('crypt15 msgstore', () => {
    const h = parseHeader(fixture('msgstore.db.crypt15'), 897);
    expect(h).toMatchObject({ format: 'crypt15', dataOffset: 134, prefixBytes: 2, protobufLength: 132, keyType: 1, backupVersion: 1 });
    expect(toHex(h.iv)).toBe('d762e5a8601b249eb8593124960015ce');
    const on = Object.keys(h.features).map(Number).sort((a, b) => a - b);
    expect(on).toEqual([...Array.from({ length: 33 }, (_, i) => i + 5), 39]);
  });
  it('crypt14 msgstore', () => {
    const h = parseHeader(fixture('msgstore.db.crypt14'), 956);
    expect(h).toMatchObject({ format: 'crypt14', dataOffset: 193, keyType: 0, keyVersion: 2 });
    expect(toHex(h.iv)).toBe('269b710e10d446f556d3dcba67c29451');
    expect(toHex(h.serverSalt!)).toBe('cf4d728ba5b92a9ad92788dde0f645ad560b412bff88e544ca8f0859a198a1c3');
    expect(toHex(h.googleIdSalt!)).toBe('bf164856e0364bc082037c116e9f9050');
  });
  it('crypt12', () => {
    const h = parseHeader(fixture('msgstore.db.crypt12'), 834);
    expect(h).toMatchObject({ format: 'crypt12', dataOffset: 67, keyVersion: 2 });
    expect(toHex(h.iv)).toBe('33f4bba22eb7288e49049f7d4f26add1');
  });
  it('1-byte prefixes: wa.db (L=39), early crypt14 (L=98)', () => {
    const wa = fixture('wabackup/wa.db.crypt15');
    expect(parseHeader(wa, wa.length)).toMatchObject({ format: 'crypt15', dataOffset: 40, prefixBytes: 1, protobufLength: 39 });
    const nf = fixture('wabackup/msgstore-nofeatures.db.crypt14');
    const h = parseHeader(nf, nf.length);
    expect(h).toMatchObject({ format: 'crypt14', dataOffset: 99, prefixBytes: 1, appVersion: '2.21.8.17' });
  });
  it('explicit false features are kept as 0', () => {
    const f = fixture('wabackup/msgstore-explicitfalse.db.crypt15');
    const h = parseHeader(f, f.length);
    expect(h.backupVersion).toBe(0);
    expect(Object.values(h.features)).toContain(0);
  });
  it('tools-style 0x01 marker with L < 128 (reader rule 2)', () => {
    const wa = fixture('wabackup/wa.db.crypt15');
    const marked = new Uint8Array(wa.length + 1);
    marked[0] = wa[0];
    marked[1] = 0x01;
    marked.set(wa.subarray(1), 2);
    expect(parseHeader(marked, marked.length)).toMatchObject({ format: 'crypt15', dataOffset: 41, prefixBytes: 2, protobufLength: 39 });
  });
});

describe('negative fixtures (README "Negative fixtures")', () => {
  it('wrong 64-digit key → wrong-key', async () => {
    const e = await failure(fixture('msgstore.db.crypt15'), hexKey('negative/wrong-crypt15-key.txt'));
    expect(e.code).toBe('wrong-key');
  });
  it('legacy key of another install → key-mismatch (crypt14, crypt12)', async () => {
    const k = keyFile('negative/wrong-key');
    expect(await failureCode(fixture('msgstore.db.crypt14'), k)).toBe('key-mismatch');
    expect(await failureCode(fixture('msgstore.db.crypt12'), k)).toBe('key-mismatch');
  });
  it('key of the wrong type → key-wrong-type', async () => {
    expect(await failureCode(fixture('msgstore.db.crypt15'), keyFile('key'))).toBe('key-wrong-type');
    expect(await failureCode(fixture('msgstore.db.crypt14'), keyFile('encrypted_backup.key'))).toBe('key-wrong-type');
    expect(await failureCode(fixture('msgstore.db.crypt12'), hexKey('crypt15-key.txt'))).toBe('key-wrong-type');
  });
  it('truncated halves → truncated', async () => {
    expect(await failureCode(fixture('negative/msgstore-truncated.db.crypt15'), keyFile('encrypted_backup.key'))).toBe('truncated');
    expect(await failureCode(fixture('negative/msgstore-truncated.db.crypt14'), keyFile('key'))).toBe('truncated');
    expect(await failureCode(fixture('negative/msgstore-truncated.db.crypt12'), keyFile('key'))).toBe('truncated');
  });
  it('bit flips → corrupt (README: "corrupted")', async () => {
    expect(await failureCode(fixture('negative/msgstore-bitflip.db.crypt15'), keyFile('encrypted_backup.key'))).toBe('corrupt');
    expect(await failureCode(fixture('negative/msgstore-bitflip.db.crypt14'), keyFile('key'))).toBe('corrupt');
    expect(await failureCode(fixture('negative/msgstore-bitflip.db.crypt12'), keyFile('key'))).toBe('corrupt');
  });
  it('header only → truncated', async () => {
    expect(await failureCode(fixture('negative/msgstore-headeronly.db.crypt15'), keyFile('encrypted_backup.key'))).toBe('truncated');
  });
  it('plain SQLite renamed .crypt15 → sniffed as sqlite and passed through', async () => {
    const bytes = fixture('negative/msgstore-plaintext.db.crypt15');
    expect(sniffBackup(bytes, bytes.length).kind).toBe('sqlite');
    for (const key of [null, keyFile('encrypted_backup.key')]) {
      const { info, out } = await decryptAll(bytes, key, { chunkSize: 4096 });
      expect(info.format).toBe('sqlite');
      expect(sha256(out)).toBe(PLAIN);
    }
  });
  it('a key file given as the backup → key-file-as-backup', async () => {
    const e = await failure(fixture('encrypted_backup.key'), null);
    expect(e.code).toBe('key-file-as-backup');
    expect(e.detail.keyKind).toBe('crypt15');
    expect((await failure(fixture('key'), null)).detail.keyKind).toBe('legacy');
    expect((await failure(fixture('crypt15-key.txt'), null)).detail.keyKind).toBe('text');
  });
  it('a JPEG renamed .crypt15 → not-a-backup', async () => {
    const jpeg = new Uint8Array(2000);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const e = await failure(jpeg, keyFile('encrypted_backup.key'));
    expect(e.code).toBe('not-a-backup');
    expect(e.detail.found).toBe('jpeg');
  });
  it('an encrypted backup without a key → bad-key (missing)', async () => {
    const e = await failure(fixture('msgstore.db.crypt15'), null);
    expect(e.code).toBe('bad-key');
    expect(e.detail.reason).toBe('missing');
  });
  it('the sink sees nothing for wrong keys and ZIP payloads', async () => {
    const { decryptBackup } = await import('../../src/core/backup/decrypt');
    const { memSource } = await import('./helpers');
    let calls = 0;
    const sink = () => void calls++;
    await expect(decryptBackup(memSource(fixture('msgstore.db.crypt15')), hexKey('negative/wrong-crypt15-key.txt'), sink)).rejects.toThrow();
    await expect(decryptBackup(memSource(fixture('wabackup/stickers.db.crypt15')), hexKey('crypt15-key.txt'), sink)).rejects.toThrow();
    expect(calls).toBe(0);
  });
  it('sink errors propagate unchanged', async () => {
    const { decryptBackup } = await import('../../src/core/backup/decrypt');
    const { memSource } = await import('./helpers');
    const boom = new Error('disk full');
    await expect(
      decryptBackup(memSource(fixture('msgstore.db.crypt15')), keyFile('encrypted_backup.key'), () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});

void parseKeyFile;
