import { describe, expect, it } from 'vitest';
import { backendOptions } from './backends';
import { browserEntries, wasmFiles } from './manifests';

describe('the backend menu', () => {
  it("is every browser variant of the bundled backends' manifests", () => {
    expect(backendOptions.map((o) => o.label)).toEqual(browserEntries().map((e) => e.label));
    expect(backendOptions.map((o) => o.label)).toContain('reference:f64');
    // Only variants a browser can run: a node-only one is not offered.
    for (const e of browserEntries()) expect(e.variant.runsIn).toContain('browser');
  });

  it('serves the wasm files the manifests name, each under its folder', () => {
    const dirs = browserEntries().flatMap((e) => e.variant.needs?.wasm?.dir ?? []);
    const files = wasmFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    for (const { path } of files) expect(dirs).toContain(path.slice(0, path.indexOf('/')));
  });
});
