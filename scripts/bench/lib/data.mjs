// The benchmark backups, made with scripts/make-big-backup.ts and cached under bench-out/.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OUT, ROOT } from './paths.mjs';

export const BACKUPS = {
  /** (a) ≥ 300 MB plaintext, for the decrypt stage. */
  plain300: { file: 'msgstore-300mb.db.crypt15', args: ['--min-plain-mb', '300'] },
  /** (b) 1,000,000 messages in 2,000 chats, current schema, for the import stage. */
  messages1m: { file: 'msgstore-1m.db.crypt15', args: ['--messages', '1000000', '--chats', '2000'] },
  /**
   * 1 GiB plaintext, for the decrypt stage's memory check. The generator fails past ~1 GB
   * (sqlite3_serialize out of memory), so scripts/bench/make-1gib-backup.ts re-encrypts the 300 MB
   * backup's SQLite bytes, repeated (valid zlib/crypt15, realistic compression; not importable).
   */
  plain1g: { file: 'msgstore-1gib.db.crypt15', from: 'plain300', script: 'scripts/bench/make-1gib-backup.ts', args: ['--plain-mib', '1024'] },
};

function run(cmd, args, log) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => log(String(d)));
    child.stderr.on('data', (d) => log(String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/**
 * Returns `{ path, facts, generatedSeconds? }` for a backup, generating it first when the file or
 * its `.json` facts are missing. `facts` is what the generator wrote (key, counts, sizes).
 */
export async function ensureBackup(name, log = (s) => process.stderr.write(s)) {
  const spec = BACKUPS[name];
  if (!spec) throw new Error(`unknown backup ${name}`);
  const path = resolve(OUT, spec.file);
  const factsPath = `${path}.json`;
  let generatedSeconds;
  if (!existsSync(path) || !existsSync(factsPath) || statSync(path).size === 0) {
    rmSync(path, { force: true });
    rmSync(factsPath, { force: true });
    const from = spec.from ? ['--from', (await ensureBackup(spec.from, log)).path] : [];
    log(`[data] generating ${spec.file} (${[...from, ...spec.args].join(' ')}) …\n`);
    const t0 = Date.now();
    await run('npx', ['tsx', spec.script ?? 'scripts/make-big-backup.ts', ...from, ...spec.args, '--out', path], (s) => log(`[gen] ${s}`));
    generatedSeconds = (Date.now() - t0) / 1000;
  }
  const facts = JSON.parse(readFileSync(factsPath, 'utf8'));
  if (facts.encryptedBytes !== statSync(path).size) {
    throw new Error(`${spec.file}: size ${statSync(path).size} differs from its .json (${facts.encryptedBytes}); delete both to regenerate`);
  }
  if (!/^[0-9a-f]{64}$/i.test(facts.key ?? '')) throw new Error(`${factsPath} has no 64-hex-digit key`);
  return { path, facts, generatedSeconds };
}

/** Small stand-ins for media files: the right magic bytes for each extension, padded to ~300 bytes. */
function fakeMedia(path, n) {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const head =
    ext === 'jpg' || ext === 'jpeg' ? Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
    : ext === 'webp' ? Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0x01, 0, 0]), Buffer.from('WEBPVP8 ')])
    : ext === 'mp4' ? Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.from([0, 0, 0, 0]), Buffer.from('mp42isom')])
    : ext === 'opus' || ext === 'ogg' ? Buffer.from('OggS\0\x02', 'latin1')
    : ext === 'mp3' ? Buffer.from('ID3\x04\0\0', 'latin1')
    : ext === 'pdf' ? Buffer.from('%PDF-1.4\n', 'latin1')
    : Buffer.alloc(0);
  const body = Buffer.alloc(300 - head.length - 2, n & 0xff);
  body.writeUInt32LE(n, 0); // distinct contents
  const tail = ext === 'jpg' || ext === 'jpeg' ? Buffer.from([0xff, 0xd9]) : Buffer.from('\n\n');
  return Buffer.concat([head, body, tail]);
}

/**
 * A WhatsApp folder (`<dir>/WhatsApp/Media/…`) with `count` small files whose paths are those of
 * `count` media rows of the 1M backup, spread evenly over all its media rows (every kind).
 * Made once and cached under bench-out/ (`<dir>.json` lists the paths). The rows are read with
 * the independent Python reader in ../shared/tools/wabackup.py (decrypted to a temporary file).
 */
export async function ensureMediaFolder(count = 20_000, log = (s) => process.stderr.write(s)) {
  const dir = resolve(OUT, `media-1m-${count / 1000}k`);
  const manifestPath = `${dir}.json`;
  if (existsSync(manifestPath) && existsSync(resolve(dir, 'WhatsApp'))) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.count === count) return { root: resolve(dir, 'WhatsApp'), manifest: m };
  }
  const backup = await ensureBackup('messages1m', log);
  const shared = process.env.UNSEAL_SHARED ?? resolve(ROOT, '../shared');
  const tool = resolve(shared, 'tools/wabackup.py');
  if (!existsSync(tool)) throw new Error(`${tool} not found (set UNSEAL_SHARED): needed once to list the 1M backup's media rows`);
  const tmp = resolve(OUT, `tmp-msgstore-1m-${process.pid}.db`);
  log(`[data] making ${count.toLocaleString('en')} media files for the 1M backup under ${dir} …\n`);
  const t0 = Date.now();
  try {
    execFileSync('python3', [tool, 'decrypt', '--key', backup.facts.key, backup.path, tmp], { stdio: 'pipe' });
    const script = `import json,sqlite3,sys
con = sqlite3.connect('file:' + sys.argv[1] + '?immutable=1', uri=True)
rows = [r[0] for r in con.execute("""SELECT mm.file_path FROM message_media mm JOIN message m ON m._id = mm.message_row_id
  JOIN chat c ON c._id = m.chat_row_id JOIN jid j ON j._id = c.jid_row_id
  WHERE mm.file_path IS NOT NULL AND mm.file_path <> '' AND j.raw_string <> 'status@broadcast' ORDER BY mm.message_row_id""")]
print(json.dumps(rows))`;
    const all = JSON.parse(execFileSync('python3', ['-c', script, tmp], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
    if (all.length < count) throw new Error(`the 1M backup has only ${all.length} media rows with a path`);
    const picked = [...new Set(Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]))];
    rmSync(dir, { recursive: true, force: true });
    const byKind = {};
    picked.forEach((p, n) => {
      const file = resolve(dir, 'WhatsApp', p);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, fakeMedia(p, n));
      const kind = p.split('/')[1] ?? 'other';
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    });
    const manifest = { count, files: picked.length, mediaRowsInBackup: all.length, byKind, bytes: picked.length * 300, seconds: (Date.now() - t0) / 1000 };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    log(`[data] ${picked.length.toLocaleString('en')} media files written in ${manifest.seconds} s\n`);
    return { root: resolve(dir, 'WhatsApp'), manifest };
  } finally {
    rmSync(tmp, { force: true });
  }
}
