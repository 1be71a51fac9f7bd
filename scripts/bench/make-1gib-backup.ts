/**
 * Bench-only: a ≥ 1 GiB-plaintext crypt15 for the decrypt stage's memory check.
 *
 * scripts/make-big-backup.ts cannot make one: it builds the database in sqlite-wasm memory and
 * `sqlite3_serialize` fails past ~1 GB ("out of memory?"). So this decrypts the 300 MB benchmark
 * backup (made by that generator) to a temporary file with src/core/backup/decrypt.ts and
 * re-encrypts its SQLite bytes, repeated until the plaintext is --plain-mib MiB, with
 * scripts/lib/crypt15.ts (zlib level 1, MD5 footer, like the generator). The plaintext therefore
 * compresses like a real msgstore, but only its first copy is a valid SQLite file: fine for
 * decrypt + inflate, not for import.
 *
 *   npx tsx scripts/bench/make-1gib-backup.ts --from bench-out/msgstore-300mb.db.crypt15 --out bench-out/msgstore-1gib.db.crypt15
 */
import { createReadStream, createWriteStream, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decryptBackup, type ByteSource } from '../../src/core/backup/decrypt';
import { encryptCrypt15ToFile, parseHexKey } from '../lib/crypt15';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    out: { type: 'string' },
    'plain-mib': { type: 'string', default: '1024' },
  },
});
if (!args.from || !args.out) throw new Error('--from <backup.crypt15> and --out <path> are required');
const FROM = resolve(args.from);
const OUT = resolve(args.out);
const TARGET = Number(args['plain-mib']) * 1024 * 1024;
const facts = JSON.parse(readFileSync(`${FROM}.json`, 'utf8')) as { key: string; iv: string };

function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  return {
    size: statSync(path).size,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

async function* repeated(path: string, total: number): AsyncGenerator<Uint8Array> {
  let left = total;
  while (left > 0) {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
      const c = chunk as Buffer;
      if (c.length >= left) {
        yield c.subarray(0, left);
        return;
      }
      left -= c.length;
      yield c;
    }
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const tmp = `${OUT}.plain.tmp`;
  const src = fileSource(FROM);
  const out = createWriteStream(tmp);
  try {
    await decryptBackup(src, { kind: 'crypt15', root: parseHexKey(facts.key) }, async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
  } finally {
    src.close();
  }
  const plainOne = statSync(tmp).size;
  const stats = await encryptCrypt15ToFile(repeated(tmp, TARGET), OUT, {
    rootKey: parseHexKey(facts.key),
    iv: Uint8Array.from(Buffer.from(facts.iv, 'hex')),
  });
  rmSync(tmp, { force: true });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const json = {
    file: OUT,
    key: facts.key,
    iv: facts.iv,
    madeFrom: FROM,
    copies: TARGET / plainOne,
    messages: null,
    plainBytes: stats.inputBytes,
    compressedBytes: stats.compressedBytes,
    encryptedBytes: stats.outputBytes,
    generateSeconds: seconds,
  };
  writeFileSync(`${OUT}.json`, JSON.stringify(json, null, 2) + '\n');
  console.log(`plaintext ${(stats.inputBytes / 2 ** 20).toFixed(0)} MiB (${json.copies.toFixed(2)}× ${FROM}) → ${(stats.outputBytes / 2 ** 20).toFixed(0)} MiB ${OUT} in ${seconds} s`);
}

main().catch((e) => {
  rmSync(`${OUT}.plain.tmp`, { force: true });
  console.error(e);
  process.exit(1);
});
