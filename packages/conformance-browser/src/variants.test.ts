import type { BackendPackage } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import {
  browserEntries,
  browserVariants,
  defaultBrowserBackends,
  parseBackendList,
} from './variants.js';

describe('the browser variants', () => {
  it("are the manifests' variants that run in a browser, defaults as the manifests say", () => {
    const fake: BackendPackage = {
      manifest: {
        name: 'fake',
        variants: [
          { name: 'server', runsIn: ['node'] },
          { name: 'both', runsIn: ['node', 'browser'] },
          { name: 'rerun', runsIn: ['node', 'browser'], defaultIn: ['node'] },
          { name: 'gpu', runsIn: ['browser'], needs: { webgpuAdapter: true } },
        ],
      },
      load: () => Promise.reject(new Error('not loaded in this test')),
    };
    const entries = browserEntries([fake]);
    expect(entries.map((e) => e.label)).toEqual(['fake:both', 'fake:rerun', 'fake:gpu']);
    expect(entries[2].variant.needs).toEqual({ webgpuAdapter: true });
  });

  it('are, from the real manifests, the columns the page had before manifests', () => {
    expect(browserVariants).toEqual([
      'reference:f64',
      'ort:wasm',
      'ort:webgpu',
      'tfjs:cpu',
      'tfjs:wasm',
      'tfjs:webgl',
      'tfjs:webgpu',
      'gpujs:cpu',
      'gpujs:webasm',
      'gpujs:webgl2',
      'gpujs:webgpu',
    ]);
    // gpujs:cpu is node's code path rerun in the page: no default column.
    expect(defaultBrowserBackends).toEqual(browserVariants.filter((l) => l !== 'gpujs:cpu'));
  });

  it('the variants that need wasm files name the files the page serves', () => {
    const needs = browserEntries()
      .filter((e) => e.variant.needs?.wasm !== undefined)
      .map((e) => [e.label, e.variant.needs?.wasm?.dir]);
    expect(needs).toEqual([
      ['ort:wasm', 'ort'],
      ['ort:webgpu', 'ort'],
      ['tfjs:wasm', 'tfjs-wasm'],
    ]);
  });
});

describe('parseBackendList', () => {
  it('splits on commas and spaces and drops repeats, keeping the order given', () => {
    expect(parseBackendList('tfjs:cpu, reference:f64 tfjs:cpu')).toEqual([
      'tfjs:cpu',
      'reference:f64',
    ]);
    expect(parseBackendList(['ort:wasm,tfjs:wasm', 'gpujs:webgl2'])).toEqual([
      'ort:wasm',
      'tfjs:wasm',
      'gpujs:webgl2',
    ]);
  });

  it('refuses an unknown label and names the known ones', () => {
    expect(() => parseBackendList('tfjs:cpu,ort:node')).toThrow(
      /unknown browser backend "ort:node"; known: reference:f64, /,
    );
  });

  it('defaults to known labels only', () => {
    expect(defaultBrowserBackends.every((l) => browserVariants.includes(l))).toBe(true);
  });
});
