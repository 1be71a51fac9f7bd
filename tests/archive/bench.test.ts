/**
 * Throughput smoke test, off unless ARCHIVE_BENCH=1: seal and open 256 MiB (ARCHIVE_BENCH_MIB to
 * change) in Node with the default 1 MiB chunks, and time the default Argon2id (m=64 MiB, t=3,
 * p=1). Prints MiB/s of plaintext. Not an assertion about speed; the browser numbers are in
 * shared/bench §1 and §3.
 *
 *   ARCHIVE_BENCH=1 npx vitest run tests/archive/bench.test.ts
 */
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/core/archive/kdf';
import { DEFAULT_KDF } from '../../src/core/archive/format';
import { RecordChecker, decodeRecords, encodeRecord, type ArchiveRecord } from '../../src/core/archive/records';
import { openArchive, sealArchive } from '../../src/core/archive/stream';
import { FAST_KDF, memSource } from './helpers';

const on = process.env.ARCHIVE_BENCH === '1';
const MiB = 1024 * 1024;
const total = Number(process.env.ARCHIVE_BENCH_MIB ?? 256) * MiB;

describe.skipIf(!on)('archive throughput (ARCHIVE_BENCH=1)', () => {
  it('Argon2id default parameters (m=64 MiB, t=3, p=1)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await deriveKey('correct horse battery staple', new Uint8Array(16), DEFAULT_KDF);
      times.push(performance.now() - t0);
    }
    console.log(`argon2id m=64MiB t=3 p=1: ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
  }, 60_000);

  it(`seal and open ${total / MiB} MiB with 1 MiB chunks`, async () => {
    const piece = new Uint8Array(MiB);
    for (let i = 0; i < MiB; i += 65536) crypto.getRandomValues(piece.subarray(i, i + 65536));
    function* payload() {
      for (let i = 0; i < total / MiB; i++) yield piece;
    }
    // The sealed file is kept as parts, then read back through a source over the parts.
    let t0 = performance.now();
    const parts: Uint8Array[] = [];
    for await (const p of sealArchive(payload(), 'pw', { kdf: FAST_KDF })) parts.push(p);
    const sealMs = performance.now() - t0;
    const starts: number[] = [];
    let size = 0;
    for (const p of parts) {
      starts.push(size);
      size += p.length;
    }
    const source = {
      size,
      async read(offset: number, length: number) {
        const out = new Uint8Array(length);
        let i = starts.length - 1;
        while (starts[i] > offset) i--;
        let o = 0;
        while (o < length) {
          const p = parts[i];
          const from = offset + o - starts[i];
          const n = Math.min(p.length - from, length - o);
          out.set(p.subarray(from, from + n), o);
          o += n;
          i++;
        }
        return out;
      },
    };
    t0 = performance.now();
    let got = 0;
    for await (const c of openArchive(source, 'pw')) got += c.length;
    const openMs = performance.now() - t0;
    expect(got).toBe(total);
    const rate = (ms: number) => (total / MiB / (ms / 1000)).toFixed(0);
    console.log(`seal ${total / MiB} MiB: ${sealMs.toFixed(0)} ms = ${rate(sealMs)} MiB/s; open: ${openMs.toFixed(0)} ms = ${rate(openMs)} MiB/s (Argon2 m=64 KiB, excluded in effect)`);
  }, 600_000);

  it('records: encode + seal + open + decode a 100k-message library', async () => {
    const records: ArchiveRecord[] = [{ type: 'library', library: { id: 'x' } }, { type: 'chat', chat: { id: 1, jid: 'a', kind: 'person', title: 't', participants: [], archived: false, lastActivity: 0, messageCount: 100_000 } }];
    for (let p = 0; p < 200; p++) {
      records.push({
        type: 'page',
        chatId: 1,
        page: p,
        messages: Array.from({ length: 500 }, (_, i) => ({ id: p * 500 + i, pos: p * 500 + i, ts: 1.7e12 + i * 1000, fromMe: i % 3 === 0, kind: 'text' as const, type: 0, text: `message number ${i} with some ordinary words in it, about as long as a chat line` })),
      });
    }
    records.push({ type: 'end', chats: 1, pages: 200, searchBuckets: 0 });
    let t0 = performance.now();
    const parts: Uint8Array[] = [];
    async function* enc() {
      for (const r of records) yield encodeRecord(r);
    }
    for await (const p of sealArchive(enc(), 'pw', { kdf: FAST_KDF })) parts.push(p);
    const sealMs = performance.now() - t0;
    const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) (file.set(p, o), (o += p.length));
    t0 = performance.now();
    const checker = new RecordChecker();
    let n = 0;
    for await (const r of decodeRecords(openArchive(memSource(file), 'pw'))) {
      checker.accept(r);
      if (r.type === 'page') n += r.messages.length;
    }
    checker.finish();
    const openMs = performance.now() - t0;
    expect(n).toBe(100_000);
    console.log(`100k messages: archive ${(file.length / MiB).toFixed(1)} MiB; encode+seal ${sealMs.toFixed(0)} ms (${((100_000 / sealMs) * 1000).toFixed(0)} msg/s); open+decode ${openMs.toFixed(0)} ms (${((100_000 / openMs) * 1000).toFixed(0)} msg/s)`);
  }, 600_000);
});
