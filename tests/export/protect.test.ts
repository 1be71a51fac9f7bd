import { createHash, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { exportChatHtml } from '../../src/core/export/html';
import { DEFAULT_KDF } from '../../src/core/archive/format';
import { PROTECT_DECRYPT_JS, PROTECT_UI_JS, protectHtml, sealPayload } from '../../src/core/export/protect';
import { collect, makeChat, pagesNewestFirst, sampleMessages } from './helpers';

const argon2Script = readFileSync(createRequire(import.meta.url).resolve('hash-wasm/dist/argon2.umd.min.js'), 'utf8');
// Small parameters keep most tests fast; one test runs the real 64 MiB / t=3.
const FAST = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

type PageLib = {
  fromBase64(s: string): Uint8Array;
  decrypt(payload: Uint8Array, password: string, argon2id: unknown, subtle: SubtleCrypto): Promise<string>;
};

/** Runs the page's own script bytes (minus the DOM part) and returns its decrypt routine. */
function pageLib(page: string): { lib: PageLib; argon2id: unknown; payload: string } {
  const script = /<script>([\s\S]*)<\/script>/.exec(page)![1];
  expect(script.endsWith(`\n${PROTECT_UI_JS}`)).toBe(true);
  const code = script.slice(0, -PROTECT_UI_JS.length - 1);
  expect(code.startsWith(argon2Script)).toBe(true);
  expect(code.endsWith(PROTECT_DECRYPT_JS)).toBe(true);
  const scope = { hashwasm: undefined as unknown };
  // The UMD sets `this.hashwasm`; bind `this` to a private object.
  const lib = new Function(`${code}\n;return unsealProtected;`).call(scope) as PageLib;
  const hw = (scope.hashwasm ?? (globalThis as { hashwasm?: unknown }).hashwasm) as { argon2id: unknown };
  const payload = /<script type="application\/octet-stream" id="payload">([A-Za-z0-9+/=]*)<\/script>/.exec(page)![1];
  return { lib, argon2id: hw.argon2id, payload };
}

describe('protectHtml', () => {
  it('round trip through the page script: same HTML back; wrong password is an error', async () => {
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(sampleMessages()), { generatedAt: 0, appVersion: '0.1.0', timeZone: 'UTC' }));
    const page = await protectHtml(html, 'correct horse ✓', { argon2Script, appVersion: '0.1.0', params: FAST });
    // Only ciphertext: no message text, title or sender in the page.
    for (const secret of ['Family', 'Alice', 'everyone', 'Beach photo', 'مرحبا']) expect(page).not.toContain(secret);
    const { lib, argon2id, payload } = pageLib(page);
    expect(await lib.decrypt(lib.fromBase64(payload), 'correct horse ✓', argon2id, webcrypto.subtle as SubtleCrypto)).toBe(html);
    await expect(lib.decrypt(lib.fromBase64(payload), 'correct horse', argon2id, webcrypto.subtle as SubtleCrypto)).rejects.toMatchObject({ code: 'wrong-password' });
  });

  it('rejects tampering, truncation and unknown versions with typed errors', async () => {
    const payload = await sealPayload(new TextEncoder().encode('<p>x</p>'), 'pw', FAST);
    const page = await protectHtml('<p>x</p>', 'pw', { argon2Script, appVersion: '0', params: FAST });
    const { lib, argon2id } = pageLib(page);
    const subtle = webcrypto.subtle as SubtleCrypto;
    expect(await lib.decrypt(payload, 'pw', argon2id, subtle)).toBe('<p>x</p>');
    for (const at of [20, 40, 48, payload.length - 1]) {
      const bad = payload.slice();
      bad[at] ^= 1;
      await expect(lib.decrypt(bad, 'pw', argon2id, subtle), `byte ${at}`).rejects.toMatchObject({ code: 'wrong-password' });
    }
    const t = payload.slice();
    t[15] ^= 2; // iterations 1 -> 3: still in range, so the tag (AAD) catches it
    await expect(lib.decrypt(t, 'pw', argon2id, subtle)).rejects.toMatchObject({ code: 'wrong-password' });
    const m = payload.slice();
    m[8] = 0xff; // memory out of range
    await expect(lib.decrypt(m, 'pw', argon2id, subtle)).rejects.toMatchObject({ code: 'corrupt' });
    const v = payload.slice();
    v[7] = 0x32; // "UNSEALP2"
    await expect(lib.decrypt(v, 'pw', argon2id, subtle)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(lib.decrypt(payload.subarray(0, 63), 'pw', argon2id, subtle)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(lib.decrypt(payload.subarray(0, payload.length - 1), 'pw', argon2id, subtle)).rejects.toMatchObject({ code: 'wrong-password' });
  });

  it('CSP: hashes of its own script and style, the wrapped page\'s, wasm-unsafe-eval; nothing else', async () => {
    const html = await collect(exportChatHtml(makeChat(), pagesNewestFirst(sampleMessages()), { generatedAt: 0, appVersion: '0.1.0' }));
    const page = await protectHtml(html, 'pw', { argon2Script, appVersion: '0.1.0', params: FAST });
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    const own = (re: RegExp, s: string) => re.exec(s)![1];
    const csp = own(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/, page);
    const style = own(/<style>([\s\S]*?)<\/style>/, page);
    const script = own(/<script>([\s\S]*)<\/script>/, page);
    const innerStyle = own(/<style>([\s\S]*?)<\/style>/, html);
    const innerScript = own(/<script>([\s\S]*)<\/script>/, html);
    expect(csp).toBe(
      `default-src 'none'; img-src data:; style-src ${sha(style)} ${sha(innerStyle)}; script-src ${sha(script)} ${sha(innerScript)} 'wasm-unsafe-eval'; base-uri 'none'; form-action 'none'`,
    );
  });

  it('the real parameters (Argon2id m=64 MiB, t=3, p=1) round-trip', async () => {
    const page = await protectHtml('<!doctype html><p>hi</p>', 'pw', { argon2Script, appVersion: '0' });
    const { lib, argon2id, payload } = pageLib(page);
    const bytes = lib.fromBase64(payload);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect([dv.getUint32(8), dv.getUint32(12), dv.getUint32(16)]).toEqual([DEFAULT_KDF.memoryKiB, 3, 1]);
    expect(await lib.decrypt(bytes, 'pw', argon2id, webcrypto.subtle as SubtleCrypto)).toBe('<!doctype html><p>hi</p>');
  });
});
