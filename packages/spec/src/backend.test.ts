import { describe, expect, it } from 'vitest';
import {
  type Backend,
  type BackendManifest,
  type BackendOptions,
  type BackendPackage,
  isDefaultIn,
  startVariant,
  unmetNeed,
  variantsIn,
  wasmFilesOf,
} from './backend.js';

const started: BackendOptions[] = [];
const manifest: BackendManifest = {
  name: 'fake',
  variants: [
    { name: 'server', runsIn: ['node'] },
    { name: 'both', runsIn: ['node', 'browser'], defaultIn: ['browser'] },
    {
      name: 'page',
      runsIn: ['browser'],
      needs: { wasm: { dir: 'fake-wasm', files: ['pkg/dist/a.wasm', 'pkg/dist/a.mjs'] } },
    },
    {
      name: 'gpu',
      runsIn: ['browser'],
      needs: { webgpuAdapter: true, wasm: { dir: 'fake-wasm', files: ['pkg/dist/a.wasm'] } },
    },
  ],
};
const fake: BackendPackage = {
  manifest,
  load: async () => ({
    manifest,
    createBackend: async (options = {}) => {
      started.push(options);
      const backend: Backend = {
        name: 'fake',
        variant: options.variant ?? 'server',
        supports: () => true,
        compile: () => Promise.reject(new Error('not compiled in this test')),
      };
      return backend;
    },
  }),
};

describe('backend manifests', () => {
  it('list the variants of a host with their labels, in manifest order', () => {
    expect(variantsIn([fake], 'node').map((e) => e.label)).toEqual(['fake:server', 'fake:both']);
    expect(variantsIn([fake], 'browser').map((e) => e.label)).toEqual([
      'fake:both',
      'fake:page',
      'fake:gpu',
    ]);
  });

  it('default a variant where it runs unless defaultIn narrows it', () => {
    const [server, both] = manifest.variants;
    expect(isDefaultIn(server, 'node')).toBe(true);
    expect(isDefaultIn(server, 'browser')).toBe(false);
    expect(isDefaultIn(both, 'node')).toBe(false);
    expect(isDefaultIn(both, 'browser')).toBe(true);
  });

  it('name every wasm file a page serves once, under its folder', () => {
    expect(wasmFilesOf(variantsIn([fake], 'browser'))).toEqual([
      { path: 'fake-wasm/a.wasm', specifier: 'pkg/dist/a.wasm' },
      { path: 'fake-wasm/a.mjs', specifier: 'pkg/dist/a.mjs' },
    ]);
  });

  it('say why a need is not met where there is no browser', async () => {
    expect(await unmetNeed()).toBeUndefined();
    expect(await unmetNeed({ wasm: { dir: 'x', files: [] } })).toBeUndefined();
    expect(await unmetNeed({ webgpuAdapter: true })).toMatch(/needs a WebGPU adapter/);
    expect(await unmetNeed({ webgl: 2 })).toMatch(/needs a webgl2 context/);
  });

  it('start a variant with its wasm folder beside the page, after checking its needs', async () => {
    const [both, page, gpu] = variantsIn([fake], 'browser');
    await startVariant(both, { assetsBase: 'http://127.0.0.1:8000/app/index.html' });
    const b = await startVariant(page, { assetsBase: 'http://127.0.0.1:8000/app/index.html' });
    expect(b.variant).toBe('page');
    await startVariant(page);
    expect(started).toEqual([
      { variant: 'both' },
      { variant: 'page', wasmPaths: 'http://127.0.0.1:8000/app/fake-wasm/' },
      { variant: 'page' },
    ]);
    await expect(startVariant(gpu)).rejects.toThrow(/^needs a WebGPU adapter/);
    expect(started).toHaveLength(3);
  });
});
