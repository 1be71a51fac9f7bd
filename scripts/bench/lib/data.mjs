// The benchmark backups, made with scripts/make-big-backup.ts and cached under bench-out/.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
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
