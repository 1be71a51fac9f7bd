/**
 * decryptBackup's injectable inflate step (`opts.inflate`). The app runs it in a worker of its own
 * (src/worker/inflate-remote.ts, covered end to end by e2e/open.spec.ts); here a step that acts
 * like it in the ways that matter to decryptBackup: it takes each chunk's memory (a real transfer,
 * the caller's buffer is detached), inflates in small pieces behind the caller's back (`write`
 * resolves before the bytes were inflated, so bad data shows only later), and reports the
 * in-thread `Inflater`'s own outcome at `close`. It must give the same bytes and the same error
 * codes as the default.
 */
import { describe, expect, it } from 'vitest';
import { parseKeyText, type KeyMaterial } from '../../src/core/backup/key';
import { decryptBackup } from '../../src/core/backup/decrypt';
import { Inflater, type InflateOutcome, type InflateStep, type InflateStepFactory } from '../../src/core/backup/inflate';
import { transferable } from '../../src/worker/inflate-protocol';
import { isUnsealError } from '../../src/core/errors';
import { sharedText } from '../shared';
import { decryptAll, failureCode, fixture, keyFile, memSource, sha256 } from './helpers';

const PLAIN = '2748cb4fac851f11e4e0aba318172c053fd15d4f25494c40907b8f19cb113882';

function hexKey(file: string): KeyMaterial {
  const r = parseKeyText(sharedText('fixtures/backups/' + file));
  if (!r.ok) throw new Error(r.message);
  return { kind: 'crypt15', root: r.key };
}

/** Per-test record of what the step saw. */
interface StepLog {
  steps: number;
  writes: number;
  detached: number;
  aborted: boolean;
}

/** Takes each chunk by transfer, inflates it in 100-byte pieces later, on its own schedule. */
function deferredStep(log: StepLog, pieceBytes = 100): InflateStepFactory {
  return (sink) => {
    log.steps++;
    const inner = new Inflater(sink);
    let bad = false;
    let queue: Promise<void> = Promise.resolve();
    const step: InflateStep = {
      get bytesOut() {
        return inner.bytesOut;
      },
      async write(chunk) {
        log.writes++;
        const { chunks, buffers } = transferable([chunk]);
        const taken = structuredClone(chunks[0], { transfer: buffers });
        if (chunks[0] === chunk && chunk.byteLength === 0) log.detached++;
        queue = queue.then(async () => {
          for (let at = 0; at < taken.length && !bad; at += pieceBytes) {
            if (!(await inner.write(taken.subarray(at, at + pieceBytes)))) bad = true;
          }
        });
        return !bad;
      },
      async close(): Promise<InflateOutcome> {
        await queue;
        return bad ? 'bad-data' : inner.close();
      },
      async abort() {
        log.aborted = true;
        await inner.abort();
      },
    };
    return step;
  };
}

const newLog = (): StepLog => ({ steps: 0, writes: 0, detached: 0, aborted: false });

describe('an injected inflate step', () => {
  const positive: [string, () => KeyMaterial][] = [
    ['msgstore.db.crypt15', () => keyFile('encrypted_backup.key')],
    ['msgstore.db.crypt14', () => keyFile('key')],
    ['msgstore.db.crypt12', () => keyFile('key')],
  ];
  for (const [file, key] of positive) {
    for (const chunkSize of [4 << 20, 48]) {
      it(`passes the same bytes: ${file}, chunk ${chunkSize}, its memory taken`, async () => {
        const log = newLog();
        const { info, out } = await decryptAll(fixture(file), key(), { chunkSize, inflate: deferredStep(log) });
        expect(sha256(out)).toBe(PLAIN);
        expect(info.bytesOut).toBe(16384);
        expect(info.md5).toBe('ok');
        expect(log.steps).toBe(1);
        expect(log.writes).toBeGreaterThan(chunkSize === 48 ? 10 : 0);
        // Every whole-buffer chunk decryptBackup gave was detached, and it never touched one again.
        expect(log.detached).toBeGreaterThan(0);
        expect(log.aborted).toBe(false);
      });
    }
  }

  const negative: [string, () => KeyMaterial, string][] = [
    ['negative/msgstore-truncated.db.crypt15', () => keyFile('encrypted_backup.key'), 'truncated'],
    ['negative/msgstore-truncated.db.crypt14', () => keyFile('key'), 'truncated'],
    ['negative/msgstore-truncated.db.crypt12', () => keyFile('key'), 'truncated'],
    ['negative/msgstore-bitflip.db.crypt15', () => keyFile('encrypted_backup.key'), 'corrupt'],
    ['negative/msgstore-bitflip.db.crypt14', () => keyFile('key'), 'corrupt'],
    ['negative/msgstore-bitflip.db.crypt12', () => keyFile('key'), 'corrupt'],
    ['msgstore.db.crypt15', () => hexKey('negative/wrong-crypt15-key.txt'), 'wrong-key'],
  ];
  for (const [file, key, code] of negative) {
    it(`fails with the default's code: ${file} → ${code}`, async () => {
      for (const chunkSize of [4 << 20, 48]) {
        expect(await failureCode(fixture(file), key(), { chunkSize })).toBe(code);
        expect(await failureCode(fixture(file), key(), { chunkSize, inflate: deferredStep(newLog()) })).toBe(code);
      }
    });
  }

  it('zlib data the step finds damaged in an authentic backup is corrupt', async () => {
    // A step whose inflate sees wrong bytes (as a broken transfer would): detected, never ok.
    const flipping: InflateStepFactory = (sink) => {
      const inner = new Inflater(sink);
      let first = true;
      return {
        get bytesOut() {
          return inner.bytesOut;
        },
        write(chunk) {
          const copy = chunk.slice();
          if (first && copy.length > 40) copy[40] ^= 0xff;
          first = false;
          return inner.write(copy);
        },
        close: () => inner.close(),
        abort: () => inner.abort(),
      };
    };
    expect(await failureCode(fixture('msgstore.db.crypt15'), keyFile('encrypted_backup.key'), { inflate: flipping })).toBe('corrupt');
  });

  it('a sink error comes out unchanged', async () => {
    const boom = new Error('disk full');
    const log = newLog();
    await expect(
      decryptBackup(
        memSource(fixture('msgstore.db.crypt15')),
        keyFile('encrypted_backup.key'),
        () => {
          throw boom;
        },
        { inflate: deferredStep(log) },
      ),
    ).rejects.toBe(boom);
  });

  it('a cancel mid-way aborts the step and is cancelled', async () => {
    const log = newLog();
    const ac = new AbortController();
    let chunks = 0;
    try {
      await decryptAll(fixture('msgstore.db.crypt15'), keyFile('encrypted_backup.key'), {
        chunkSize: 64,
        inflate: deferredStep(log),
        onProgress: () => {
          if (++chunks === 5) ac.abort();
        },
        signal: ac.signal,
      });
      throw new Error('expected a cancel');
    } catch (e) {
      expect(isUnsealError(e) && e.code).toBe('cancelled');
    }
    expect(log.aborted).toBe(true);
  });

  it('a plain SQLite file never makes a step', async () => {
    const log = newLog();
    const { out } = await decryptAll(fixture('negative/msgstore-plaintext.db.crypt15'), null, { inflate: deferredStep(log) });
    expect(sha256(out)).toBe(PLAIN);
    expect(log.steps).toBe(0);
  });
});

describe('transferable', () => {
  it('transfers a whole-buffer view as is and copies a view on part of a buffer', () => {
    const whole = new Uint8Array([1, 2, 3]);
    const big = new Uint8Array([9, 8, 7, 6]);
    const part = big.subarray(1, 3);
    const { chunks, buffers } = transferable([whole, part, whole]);
    expect(chunks[0]).toBe(whole);
    expect(chunks[1]).not.toBe(part);
    expect([...chunks[1]]).toEqual([8, 7]);
    expect(buffers).toHaveLength(2);
    expect(buffers).not.toContain(big.buffer);
  });
});
