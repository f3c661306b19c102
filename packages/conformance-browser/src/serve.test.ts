import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from './serve.js';

describe('serveStatic', () => {
  let outer: string;
  let server: StaticServer;

  beforeAll(async () => {
    // The served root is outer/site; outer/secret.txt must stay out of reach.
    outer = await mkdtemp(join(tmpdir(), 'tessera-serve-'));
    const root = join(outer, 'site');
    await mkdir(join(root, 'ort'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<p>hi</p>');
    await writeFile(join(root, 'ort', 'x.wasm'), new Uint8Array([0, 97, 115, 109]));
    await writeFile(join(outer, 'secret.txt'), 'outside');
    server = await serveStatic(root, { crossOriginIsolated: true });
  });
  afterAll(async () => {
    await server.close();
    await rm(outer, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toMatch(/:0\/$/);
  });

  it('serves index.html for a folder and wasm as application/wasm, with isolation headers', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toBe('<p>hi</p>');
    const wasm = await fetch(new URL('ort/x.wasm', server.url));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('answers 404 for a missing file and records it', async () => {
    const res = await fetch(new URL('tfjs-wasm/missing.wasm', server.url));
    expect(res.status).toBe(404);
    expect(server.missing).toContain('/tfjs-wasm/missing.wasm');
  });

  it('serves nothing outside its root', async () => {
    // fetch() normalises `..` away, so the escape is tried with an encoded slash.
    const res = await fetch(`${server.url}..%2Fsecret.txt`);
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toBe('outside');
  });
});
