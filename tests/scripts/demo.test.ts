/**
 * The committed demo backup (public/demo) is what scripts/make-demo.ts makes, byte for byte, and
 * it opens with the independent Python oracle into a database holding what the demo promises.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@sqlite.org/sqlite-wasm';
import { DEMO_KEY_HEX, HOSTILE, writeDemo } from '../../scripts/make-demo';
import { ROOT_DIR, loadSqlite } from '../../scripts/lib/msgstore-gen';
import { DEMO_BACKUP_PATH, DEMO_KEY } from '../../src/demo';
import { SHARED } from '../shared';

const DEMO_DIR = resolve(ROOT_DIR, 'public/demo');
const COMMITTED = readFileSync(resolve(DEMO_DIR, 'msgstore.db.crypt15'));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const tmp = mkdtempSync(join(tmpdir(), 'unseal-demo-'));
let db: Database;

beforeAll(async () => {
  const out = join(tmp, 'demo.db');
  execFileSync('python3', [resolve(SHARED, 'tools/wabackup.py'), 'decrypt', '--key', resolve(DEMO_DIR, 'demo-key.txt'), resolve(DEMO_DIR, 'msgstore.db.crypt15'), out], { stdio: 'pipe' });
  const bytes = new Uint8Array(readFileSync(out));
  const sqlite3 = await loadSqlite();
  db = new sqlite3.oo1.DB(':memory:', 'c');
  const p = sqlite3.wasm.allocFromTypedArray(bytes);
  const { capi } = sqlite3;
  const rc = capi.sqlite3_deserialize(db.pointer!, 'main', p, bytes.length, bytes.length, capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_READONLY);
  expect(rc).toBe(0);
});
afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const val = (sql: string, bind?: (string | number)[]): unknown => db.selectValue(sql, bind);
const col = (sql: string, bind?: (string | number)[]): unknown[] => db.selectValues(sql, bind);

describe('demo backup', () => {
  it('is reproducible: regenerating gives the committed bytes', async () => {
    const dir = join(tmp, 'regen');
    const r = await writeDemo(dir);
    expect(r.schema.failed).toEqual([]);
    expect(sha256(readFileSync(join(dir, 'msgstore.db.crypt15')))).toBe(sha256(COMMITTED));
    expect(readFileSync(join(dir, 'demo-key.txt'), 'utf8')).toBe(readFileSync(join(DEMO_DIR, 'demo-key.txt'), 'utf8'));
  });

  it('publishes one key in three places, and stays small', () => {
    expect(readFileSync(join(DEMO_DIR, 'demo-key.txt'), 'utf8').trim()).toBe(DEMO_KEY_HEX);
    expect(DEMO_KEY.split(' ')).toHaveLength(16);
    expect(DEMO_KEY.replace(/ /g, '')).toBe(DEMO_KEY_HEX);
    expect(DEMO_BACKUP_PATH).toBe('demo/msgstore.db.crypt15');
    expect(COMMITTED.length).toBeLessThan(300 * 1024);
    expect(COMMITTED.subarray(0, 2).toString('hex')).toBe('8401');
  });

  it('decrypts (oracle) to a sound current-schema database', () => {
    expect(val('PRAGMA integrity_check')).toBe('ok');
    expect(val("SELECT key_id FROM message WHERE _id = 1")).toBe('-1');
    expect(val('SELECT count(*) FROM message WHERE sort_id <> _id')).toBe(0);
    expect(val('SELECT count(*) FROM message WHERE _id > 1')).toBeGreaterThan(450);
    const span = Number(val('SELECT max(timestamp) - min(timestamp) FROM message WHERE _id > 1'));
    expect(span / 86_400_000).toBeGreaterThan(600);
    // ms, not seconds
    expect(Number(val('SELECT min(timestamp) FROM message WHERE _id > 1'))).toBeGreaterThan(1.6e12);
    expect(val("SELECT count(*) FROM jid WHERE raw_string IS NULL OR raw_string <> user || '@' || server")).toBe(0);
  });

  it('chats: last_message_row_id and sort_timestamp match their newest message; one empty, one archived, status hidden', () => {
    expect(
      val(`SELECT count(*) FROM chat c WHERE last_message_row_id IS NOT (SELECT max(_id) FROM message WHERE chat_row_id = c._id)
           OR (last_message_row_id IS NOT NULL AND sort_timestamp <> (SELECT max(timestamp) FROM message WHERE chat_row_id = c._id))`),
    ).toBe(0);
    expect(val('SELECT count(*) FROM chat c WHERE NOT EXISTS (SELECT 1 FROM message WHERE chat_row_id = c._id)')).toBe(1);
    expect(val('SELECT count(*) FROM chat WHERE archived = 1')).toBe(1);
    expect(val("SELECT c.hidden FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE j.raw_string = 'status@broadcast'")).toBe(1);
    expect(val("SELECT count(*) FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE c.hidden = 0 AND EXISTS (SELECT 1 FROM message WHERE chat_row_id = c._id)")).toBe(9);
    expect(col("SELECT subject FROM chat WHERE subject IS NOT NULL ORDER BY _id")).toEqual(['Weekend Hikers 🥾', 'परिवार 🏠', 'أصدقاء الجامعة 🎓', `QA ${HOSTILE.img}`]);
    const big = Number(val("SELECT count(*) FROM message m JOIN chat c ON c._id = m.chat_row_id WHERE c.subject = 'Weekend Hikers 🥾'"));
    expect(big).toBeGreaterThan(250);
    expect(val("SELECT count(DISTINCT sender_jid_row_id) FROM message m JOIN chat c ON c._id = m.chat_row_id WHERE c.subject = 'Weekend Hikers 🥾' AND from_me = 0")).toBeGreaterThanOrEqual(5);
  });

  it('has a mapped and an unmapped @lid sender in the group, and a 1:1 chat over a mapped @lid', () => {
    const lids = db.selectObjects(
      `SELECT j.raw_string AS lid, p.raw_string AS phone, (SELECT count(*) FROM message WHERE sender_jid_row_id = j._id) AS sent
       FROM jid j LEFT JOIN jid_map m ON m.lid_row_id = j._id LEFT JOIN jid p ON p._id = m.jid_row_id WHERE j.server = 'lid' ORDER BY j._id`,
    );
    expect(lids).toEqual([
      { lid: '208751623340217@lid', phone: '447700900456@s.whatsapp.net', sent: expect.any(Number) },
      { lid: '176233900418834@lid', phone: null, sent: expect.any(Number) },
      { lid: '93715562048821@lid', phone: '61491570156@s.whatsapp.net', sent: 0 },
    ]);
    expect(Number(lids[0].sent)).toBeGreaterThan(0);
    expect(Number(lids[1].sent)).toBeGreaterThan(0);
    expect(val("SELECT count(*) FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE j.raw_string = '93715562048821@lid'")).toBe(1);
  });

  it('covers every message kind with its side table', () => {
    const types = col('SELECT DISTINCT message_type FROM message WHERE _id > 1 ORDER BY 1').map(Number);
    expect(types).toEqual([0, 1, 2, 3, 4, 5, 7, 9, 10, 13, 14, 15, 16, 20, 64, 66, 90, 92]);
    expect(val('SELECT count(*) FROM message m WHERE message_type IN (1,2,3,9,13,20) AND NOT EXISTS (SELECT 1 FROM message_media WHERE message_row_id = m._id)')).toBe(0);
    expect(val('SELECT count(*) FROM message m WHERE message_type IN (1,3,13,20) AND NOT EXISTS (SELECT 1 FROM message_thumbnail WHERE message_row_id = m._id)')).toBe(0);
    for (const t of col('SELECT thumbnail FROM message_thumbnail') as Uint8Array[]) {
      expect([t[0], t[1], t[2], t.at(-2), t.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xff, 0xd9]);
    }
    expect(val("SELECT count(*) FROM message_media WHERE file_path GLOB 'Media/WhatsApp Voice Notes/[0-9][0-9][0-9][0-9][0-9][0-9]/PTT-*.opus' AND media_duration > 0")).toBeGreaterThan(0);
    expect(val("SELECT count(*) FROM message_media WHERE file_path GLOB 'Media/WhatsApp Audio/AUD-*'")).toBeGreaterThan(0);
    expect(val('SELECT count(*) FROM message_media mm JOIN message m ON m._id = mm.message_row_id WHERE m.message_type = 9 AND mm.media_name IS NOT NULL AND mm.page_count > 0')).toBeGreaterThan(3);
    expect(val('SELECT count(*) FROM message_vcard')).toBeGreaterThanOrEqual(4);
    expect(val("SELECT count(*) FROM message_location WHERE place_name IS NOT NULL")).toBeGreaterThan(2);
    expect(val('SELECT count(*) FROM message_location WHERE live_location_share_duration > 0')).toBe(1);
    // Replies: all but one original exist in the quoting chat.
    expect(val('SELECT count(*) FROM message_quoted q WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.key_id = q.key_id AND m.chat_row_id = q.parent_message_chat_row_id)')).toBe(1);
    expect(val('SELECT count(*) FROM message_quoted')).toBeGreaterThan(5);
    expect(val('SELECT count(*) FROM message_add_on a JOIN message_add_on_reaction r ON r.message_add_on_row_id = a._id WHERE a.message_add_on_type = 56')).toBeGreaterThan(10);
    expect(val('SELECT count(*) FROM message_add_on a WHERE NOT EXISTS (SELECT 1 FROM message WHERE _id = a.parent_message_row_id)')).toBe(0);
    expect(val('SELECT count(*) FROM message_edit_info')).toBe(1);
    expect(val('SELECT count(*) FROM message_revoked r JOIN message m ON m._id = r.message_row_id WHERE m.message_type = 64 AND r.admin_jid_row_id IS NOT NULL')).toBe(1);
    expect(val('SELECT count(*) FROM message WHERE origination_flags & 1')).toBeGreaterThanOrEqual(3);
    expect(val('SELECT count(*) FROM message WHERE starred = 1')).toBeGreaterThanOrEqual(3);
    expect(col('SELECT DISTINCT action_type FROM message_system ORDER BY 1').map(Number)).toEqual([1, 5, 11, 12, 14, 67]);
    expect(val('SELECT count(*) FROM message_system_chat_participant')).toBeGreaterThan(4);
    expect(val('SELECT count(*) FROM missed_call_logs')).toBeGreaterThanOrEqual(3);
    expect(val('SELECT count(*) FROM message m JOIN message_call_log l ON l.message_row_id = m._id JOIN call_log c ON c._id = l.call_log_row_id WHERE m.message_type = 90')).toBe(Number(val('SELECT count(*) FROM message WHERE message_type = 90')));
    expect(val('SELECT count(*) FROM message_poll_option')).toBeGreaterThanOrEqual(10);
    expect(val('SELECT count(*) FROM message_add_on_poll_vote_selected_option')).toBeGreaterThan(5);
    expect(val('SELECT count(*) FROM message_event')).toBe(3);
  });

  it('carries every hostile string as text, caption, file name and poll option', () => {
    for (const h of Object.values(HOSTILE)) {
      expect(val("SELECT count(*) FROM message WHERE instr(text_data, ?) > 0", [h])).toBeGreaterThan(0);
    }
    expect(val('SELECT count(*) FROM message m JOIN message_media mm ON mm.message_row_id = m._id WHERE m.text_data = ? AND mm.media_caption = ?', [HOSTILE.script, HOSTILE.script])).toBe(1);
    expect(val('SELECT count(*) FROM message_media WHERE media_name = ?', [`${HOSTILE.svg}.pdf`])).toBe(1);
    expect(col('SELECT option_name FROM message_poll_option WHERE option_name IN (?, ?, ?)', [HOSTILE.endScript, HOSTILE.js, HOSTILE.svg])).toHaveLength(3);
    expect(val('SELECT count(*) FROM message_text WHERE url = ?', [HOSTILE.js])).toBe(1);
    expect(val('SELECT count(*) FROM message_location WHERE url = ?', [HOSTILE.js])).toBe(1);
  });
});
