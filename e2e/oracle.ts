/**
 * Independent answers for end-to-end tests: the demo and fixtures are decrypted with
 * ../shared/tools/wabackup.py (Python, written from the spec, not our code) and counted with
 * Python's sqlite3. Node side only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from './fixtures';

export function decryptWithOracle(backupPath: string, key: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'unseal-oracle-')), 'msgstore.db');
  execFileSync('python3', [sharedPath('tools/wabackup.py'), 'decrypt', '--key', key, backupPath, out], { stdio: 'pipe' });
  return out;
}

/** Runs one SQL query with Python's sqlite3 (read-only) and returns the rows. */
export function sqlRows(dbPath: string, sql: string): unknown[][] {
  const script = `import json,sqlite3,sys
con = sqlite3.connect('file:' + sys.argv[1] + '?immutable=1', uri=True)
print(json.dumps([list(r) for r in con.execute(sys.argv[2])]))`;
  return JSON.parse(execFileSync('python3', ['-c', script, dbPath, sql], { encoding: 'utf8' })) as unknown[][];
}
