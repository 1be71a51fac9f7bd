import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportChatsZip, safeFileName } from '../../src/core/export/bundle';
import { crc32, zipStream, type ZipEntry } from '../../src/core/export/zip';
import type { Message } from '../../src/core/msgstore/model';
import { collectBytes, makeChat, pagesInOrder, sampleMessages, tokenize } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'unseal-zip-'));
let n = 0;
function save(bytes: Uint8Array): string {
  const p = join(dir, `t${n++}.zip`);
  writeFileSync(p, bytes);
  return p;
}

/** Python's zipfile as an independent reader: names, sizes, CRC check (`testzip`), contents. */
function pyRead(path: string): { members: { name: string; size: number; crc: number; flag: number; data: string }[]; bad: string | null } {
  const script = `
import json, sys, zipfile, base64
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
out = [{'name': i.filename, 'size': i.file_size, 'crc': i.CRC, 'flag': i.flag_bits, 'data': base64.b64encode(z.read(i)).decode()} for i in z.infolist()]
print(json.dumps({'members': out, 'bad': bad}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path], { maxBuffer: 1 << 28 }).toString());
}

const b64 = (s: string) => Buffer.from(s, 'base64');

describe('crc32', () => {
  it('matches zlib, incrementally', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const k = Math.min(cut, bytes.length);
        expect(crc32(bytes.subarray(k), crc32(bytes.subarray(0, k)))).toBe(zlibCrc32(bytes));
      }),
    );
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('zipStream', () => {
  for (const zip64 of ['auto', 'always'] as const) {
    it(`writes archives python's zipfile reads and verifies (zip64: ${zip64})`, async () => {
      const big = new Uint8Array(300_000).map((_, i) => (i * 7919) & 255);
      async function* chunks() {
        yield 'héllo ';
        yield new Uint8Array([1, 2, 3]);
        yield '';
        yield 'wörld';
      }
      const entries: ZipEntry[] = [
        { name: 'index.html', data: '<p>hi</p>', modified: Date.UTC(2024, 5, 6, 7, 8, 10) },
        { name: 'chats/001 Familie 👪.txt', data: chunks() },
        { name: 'empty.bin', data: new Uint8Array() },
        { name: 'big.bin', data: [big.subarray(0, 1000), big.subarray(1000)] },
      ];
      const zip = await collectBytes(zipStream(entries, { zip64, timeZone: 'UTC' }));
      const r = pyRead(save(zip));
      expect(r.bad).toBeNull();
      expect(r.members.map((m) => m.name)).toEqual(entries.map((e) => e.name));
      expect(b64(r.members[0].data).toString()).toBe('<p>hi</p>');
      expect([...b64(r.members[1].data)]).toEqual([...Buffer.from('héllo '), 1, 2, 3, ...Buffer.from('wörld')]);
      expect(r.members[2].size).toBe(0);
      expect(Buffer.compare(b64(r.members[3].data), Buffer.from(big))).toBe(0);
      for (const m of r.members) expect(m.flag & 0x0808).toBe(0x0808);
      // unzip (Info-ZIP) agrees too
      const t = execFileSync('sh', ['-c', `command -v unzip >/dev/null && unzip -tq "${save(zip)}" || echo no-unzip`]).toString();
      expect(t).toMatch(/No errors detected|no-unzip/);
    });
  }

  it('switches to a ZIP64 end record past 65,535 entries', async () => {
    function* entries(): Generator<ZipEntry> {
      for (let i = 0; i < 70_000; i++) yield { name: `e/${i}`, data: i % 1000 === 0 ? String(i) : '', modified: 0 };
    }
    const zip = await collectBytes(zipStream(entries(), { timeZone: 'UTC' }));
    const count = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.infolist()), z.testzip(), z.read("e/69000").decode())', save(zip)]).toString().trim();
    expect(count).toBe('70000 None 69000');
  });

  it('rejects unsafe or duplicate names', async () => {
    for (const name of ['/abs', '../up', 'a/../b', 'a\\b', '', 'a//b', 'x\0y']) {
      await expect(collectBytes(zipStream([{ name, data: 'x' }]))).rejects.toThrow(/bad entry name/);
    }
    await expect(collectBytes(zipStream([{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }]))).rejects.toThrow(/duplicate/);
  });

  it('streams: yields the first bytes before later entries are produced', async () => {
    let pulled = 0;
    function* entries(): Generator<ZipEntry> {
      for (let i = 0; i < 3; i++) {
        pulled++;
        yield { name: `f${i}`, data: 'x' };
      }
    }
    const it = zipStream(entries());
    await it.next();
    expect(pulled).toBe(1);
  });
});

describe('exportChatsZip', () => {
  it('index.html lists every chat with the right counts; every link resolves; txt/json/html inside', async () => {
    const msgs = sampleMessages();
    const chats = [
      makeChat({ id: 1 }),
      makeChat({ id: 2, kind: 'person', title: '+49 176 1234 / "quoted" <x>', participants: [] }),
      makeChat({ id: 3, kind: 'person', title: '..', participants: [] }),
    ];
    const byChat = new Map<number, Message[]>([
      [1, msgs],
      [2, msgs.slice(0, 4)],
      [3, []],
    ]);
    const zip = await collectBytes(
      exportChatsZip(chats, (c, order) => pagesInOrder(byChat.get(c.id)!, order), { generatedAt: Date.UTC(2024, 0, 1), appVersion: '0.1.0', timeZone: 'UTC', locale: 'en-GB' }),
    );
    const r = pyRead(save(zip));
    expect(r.bad).toBeNull();
    const names = new Set(r.members.map((m) => m.name));
    expect(r.members.at(-1)!.name).toBe('index.html');
    expect(names.size).toBe(3 * 3 + 1);
    const index = b64(r.members.at(-1)!.data).toString();
    tokenize(index);
    const hrefs = [...index.matchAll(/href="([^"]*)"/g)].map((m) => decodeURIComponent(m[1].replace(/&amp;/g, '&')));
    expect(hrefs.length).toBe(3 * 4); // per chat: the title link + HTML, Text, JSON
    for (const h of hrefs) expect(names.has(h), h).toBe(true);
    const rows = [...index.matchAll(/<tr><td class="c">.*?<\/tr>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(`<td class="n">${msgs.length}</td><td class="n">2021-04-28</td><td class="n">2021-05-02</td>`);
    expect(rows[1]).toContain('+49 176 1234 / &quot;quoted&quot; &lt;x&gt;');
    expect(rows[1]).toContain('<td class="n">4</td>');
    expect(rows[2]).toContain('<td class="n">0</td><td class="n">–</td>');
    expect(index).toContain(`${msgs.length + 4} messages`);

    for (const m of r.members) {
      if (m.name.endsWith('.json')) {
        const j = JSON.parse(b64(m.data).toString());
        expect(j.format).toBe('unseal-chat');
        expect(j.messages.length).toBe(byChat.get(j.chat.id)!.length);
        if (j.chat.id === 1) {
          expect(j.messages[4].media.thumbnail).toBe(Buffer.from(msgs[4].media!.thumbnail!).toString('base64'));
          expect(j.messages[3].reactions).toHaveLength(3);
        }
      }
      if (m.name.endsWith('.html') && m.name !== 'index.html') tokenize(b64(m.data).toString());
    }
  });

  it('honours a date range in every file and in the index', async () => {
    const msgs = sampleMessages();
    const from = Date.UTC(2021, 4, 1);
    const zip = await collectBytes(
      exportChatsZip([makeChat()], (_c, order) => pagesInOrder(msgs, order), { generatedAt: 0, appVersion: 'x', timeZone: 'UTC', dateRange: { from }, json: true, txt: true }),
    );
    const r = pyRead(save(zip));
    const want = msgs.filter((m) => m.ts >= from).length;
    const json = JSON.parse(b64(r.members.find((m) => m.name.endsWith('.json'))!.data).toString());
    expect(json.messages).toHaveLength(want);
    const txt = b64(r.members.find((m) => m.name.endsWith('.txt'))!.data).toString();
    expect(txt.split('\n').filter((l) => /^\d\d\/\d\d\/\d{4}, /.test(l))).toHaveLength(want);
    expect(b64(r.members.at(-1)!.data).toString()).toContain(`<td class="n">${want}</td>`);
  });

  it('safeFileName', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileName('..')).toBe('chat');
    expect(safeFileName(' \u202eevil\u202c.exe ')).toBe('_evil_.exe');
    expect([...safeFileName('😀'.repeat(100))]).toHaveLength(60);
  });
});
