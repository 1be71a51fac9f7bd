import { describe, expect, it } from 'vitest';
import { sniffBackup } from '../../src/core/backup/sniff';
import { counterAt } from '../../src/core/backup/gcm-stream';
import { failure, fixture } from './helpers';

const sniff = (b: Uint8Array) => sniffBackup(b, b.length);

describe('sniffBackup (spec §10.2)', () => {
  it('recognises every fixture by its bytes', () => {
    expect(sniff(fixture('msgstore.db.crypt15'))).toEqual({ kind: 'crypt15', damaged: false });
    expect(sniff(fixture('msgstore.db.crypt14'))).toEqual({ kind: 'crypt14', damaged: false });
    expect(sniff(fixture('msgstore.db.crypt12'))).toEqual({ kind: 'crypt12', damaged: false });
    expect(sniff(fixture('wabackup/wa.db.crypt15')).kind).toBe('crypt15');
    expect(sniff(fixture('wabackup/stickers.db.crypt15')).kind).toBe('crypt15');
    expect(sniff(fixture('wabackup/msgstore-nofeatures.db.crypt14')).kind).toBe('crypt14');
    expect(sniff(fixture('plain.db'))).toEqual({ kind: 'sqlite' });
    expect(sniff(fixture('plain-stickers.zip'))).toEqual({ kind: 'zip' });
    expect(sniff(fixture('encrypted_backup.key'))).toEqual({ kind: 'key-file', keyKind: 'crypt15' });
    expect(sniff(fixture('key'))).toEqual({ kind: 'key-file', keyKind: 'legacy' });
    expect(sniff(fixture('crypt15-key.txt'))).toEqual({ kind: 'key-file', keyKind: 'text' });
  });
  it('our archive, JPEG, text, empty', () => {
    expect(sniff(new TextEncoder().encode('unseal-archive/1\nrest'))).toEqual({ kind: 'unseal-archive' });
    expect(sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 1, 2, 3]))).toEqual({ kind: 'unknown', looksLike: 'jpeg' });
    expect(sniff(new TextEncoder().encode('Hello, this is a chat export.\n'))).toEqual({ kind: 'unknown', looksLike: 'text' });
    expect(sniff(new Uint8Array(0))).toEqual({ kind: 'unknown', looksLike: 'empty' });
  });
  it('a one-bit-damaged crypt15 start is still crypt15 (damaged)', () => {
    const b = fixture('msgstore.db.crypt15').slice();
    b[4] ^= 0x10; // 1a -> 0a
    expect(sniff(b)).toEqual({ kind: 'crypt15', damaged: true });
  });
  it('unsupported inputs get specific codes', async () => {
    expect((await failure(fixture('plain-stickers.zip'), null)).detail.found).toBe('zip');
    expect((await failure(new TextEncoder().encode('unseal-archive/1\n'), null)).detail.found).toBe('unseal-archive');
  });
});

describe('GCM counter arithmetic', () => {
  it('only the low 32 bits count and wrap (inc32)', () => {
    const j0 = new Uint8Array(16).fill(0xab);
    j0.set([0xff, 0xff, 0xff, 0xfd], 12);
    expect([...counterAt(j0, 0).subarray(12)]).toEqual([0xff, 0xff, 0xff, 0xfe]);
    expect([...counterAt(j0, 1).subarray(12)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect([...counterAt(j0, 2).subarray(12)]).toEqual([0, 0, 0, 0]);
    expect([...counterAt(j0, 3)]).toEqual([...j0.subarray(0, 12), 0, 0, 0, 1]);
    expect([...counterAt(j0, 2 ** 32 + 2).subarray(12)]).toEqual([0, 0, 0, 0]);
  });
});
