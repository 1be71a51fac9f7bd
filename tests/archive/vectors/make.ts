/**
 * Writes the .unseal test vectors with an implementation independent of src/core/archive:
 * @noble/hashes (Argon2id, HKDF, HMAC, SHA-256) and @noble/ciphers (AES-256-GCM), following
 * docs/FORMATS.md only. Run: `npx tsx tests/archive/vectors/make.ts`. See README.md.
 *
 * The one exception: the payload of `records-small` is made by src/core/archive/records.ts
 * (`encodeRecord`); its hex is in vectors.json and records.test.ts pins the encoding separately.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2id } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { gcm } from '@noble/ciphers/aes.js';
import { encodeRecord, type ArchiveRecord } from '../../../src/core/archive/records';

const dir = dirname(fileURLToPath(import.meta.url));
const te = new TextEncoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

function cat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

interface Spec {
  name: string;
  passphrase: string;
  m: number;
  t: number;
  p: number;
  chunkSize: number;
  salt: Uint8Array;
  noncePrefix: Uint8Array;
  plaintext: Uint8Array;
  note: string;
}

function build(s: Spec): Uint8Array {
  const ikm = argon2id(te.encode(s.passphrase.normalize('NFC')), s.salt, { m: s.m, t: s.t, p: s.p, dkLen: 32 });
  const sub = (label: string) => hkdf(sha256, ikm, undefined, te.encode(label), 32);
  const check = sub('unseal-archive/v1 key check');
  const macKey = sub('unseal-archive/v1 header mac');
  const payloadKey = sub('unseal-archive/v1 payload');
  const start = cat(te.encode('unseal-archive/v1\n'), new Uint8Array([1]), u32(s.m), u32(s.t), u32(s.p), s.salt, u32(s.chunkSize), s.noncePrefix, check);
  const withMac = cat(start, hmac(sha256, macKey, start));
  const header = cat(withMac, sha256(withMac));
  const frames: Uint8Array[] = [];
  const C = s.chunkSize;
  const n = Math.max(1, Math.ceil(s.plaintext.length / C));
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const chunk = s.plaintext.subarray(i * C, last ? s.plaintext.length : (i + 1) * C);
    const nonce = cat(s.noncePrefix, u32(i), new Uint8Array([last ? 1 : 0]));
    const sealed = gcm(payloadKey, nonce).encrypt(chunk);
    frames.push(last ? cat(new Uint8Array([0xff]), u32(chunk.length), u32(~chunk.length), sealed) : cat(new Uint8Array([0x00]), sealed));
  }
  return cat(header, ...frames);
}

const fox = te.encode('The quick brown fox jumps over the lazy dog. 0123456789 '.repeat(3)).subarray(0, 150);
const records: ArchiveRecord[] = [
  { type: 'library', library: { id: 'lib-1', fileName: 'msgstore.db.crypt15', fileSize: 1234, openedAt: 1700000000000, format: 'crypt15', era: 'current', chatCount: 1, messageCount: 2 } },
  { type: 'chat', chat: { id: 7, jid: '4917612345000@s.whatsapp.net', kind: 'person', title: '+4917612345000', participants: [], archived: false, lastActivity: 1700000001000, messageCount: 2 } },
  {
    type: 'page',
    chatId: 7,
    page: 0,
    messages: [
      { id: 1, pos: 0, ts: 1700000000000, fromMe: true, kind: 'text', type: 0, text: 'Hallo 👋 wie geht’s?' },
      { id: 2, pos: 1, ts: 1700000001000, fromMe: false, kind: 'image', type: 1, text: 'Foto', media: { mime: 'image/jpeg', thumbnail: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]) } },
    ],
  },
  { type: 'end', chats: 1, pages: 1, searchBuckets: 0 },
];
const recordsPayload = cat(...records.map((r) => encodeRecord(r)));

const seq = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i) & 0xff);
const specs: Spec[] = [
  { name: 'empty', passphrase: 'correct horse battery staple', m: 64, t: 1, p: 1, chunkSize: 64, salt: seq(16, (i) => i), noncePrefix: seq(7, (i) => 0xa0 + i), plaintext: new Uint8Array(0), note: 'empty payload: one empty final frame' },
  { name: 'three-chunks', passphrase: 'correct horse battery staple', m: 64, t: 1, p: 1, chunkSize: 64, salt: seq(16, (i) => 16 + i), noncePrefix: seq(7, (i) => 0xb0 + i), plaintext: fox, note: '150 bytes in chunks of 64: 64, 64, final 22' },
  { name: 'full-final', passphrase: 'correct horse battery staple', m: 64, t: 1, p: 1, chunkSize: 64, salt: seq(16, (i) => 32 + i), noncePrefix: seq(7, (i) => 0xc0 + i), plaintext: seq(128, (i) => i * 7 + 3), note: '128 bytes in chunks of 64: the final chunk is full' },
  { name: 'nfd-p2', passphrase: 'U\u0308nseal n\u0303 \u{1F511}', m: 64, t: 2, p: 2, chunkSize: 100, salt: seq(16, (i) => 255 - i), noncePrefix: seq(7, (i) => i * 37), plaintext: seq(250, (i) => (i * i) ^ 0x5a), note: 'passphrase given in NFD (the format hashes NFC), m=64 KiB t=2 p=2, chunk 100' },
  { name: 'records-small', passphrase: 'correct horse battery staple', m: 64, t: 1, p: 1, chunkSize: 64, salt: seq(16, (i) => 48 + i), noncePrefix: seq(7, (i) => 0xd0 + i), plaintext: recordsPayload, note: 'a tiny library (library, chat, page with a thumbnail, end) as records' },
];

const index = specs.map((s) => {
  const file = build(s);
  writeFileSync(join(dir, `${s.name}.unseal`), file);
  return {
    name: s.name,
    file: `${s.name}.unseal`,
    note: s.note,
    passphrase: s.passphrase,
    kdf: { memoryKiB: s.m, iterations: s.t, parallelism: s.p },
    chunkSize: s.chunkSize,
    salt: hex(s.salt),
    noncePrefix: hex(s.noncePrefix),
    plaintext: hex(s.plaintext),
    size: file.length,
    sha256: hex(sha256(file)),
  };
});
writeFileSync(join(dir, 'vectors.json'), JSON.stringify(index, null, 2) + '\n');
console.log(index.map((v) => `${v.name}: ${v.size} bytes ${v.sha256}`).join('\n'));
