import { describe, expect, test } from 'vitest';
import { workdir } from './helpers.js';

describe('tessera bench', () => {
  const w = workdir();

  test('--quick writes the table, JSON, Markdown and SVG with peer ratios and the limit', () => {
    const r = w.tessera(
      'bench',
      '--quick',
      '--backends',
      'ort:node',
      '--models',
      'lstm/small,cnnClassifier/small',
      '--json',
      'b.json',
      '--markdown',
      'b.md',
      '--svg',
      'b.svg',
    );
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/lstm\/small\s+ort:node/);
    const report = JSON.parse(w.read('b.json').toString());
    expect(report.schemaVersion).toBe(1);
    expect(report.limit.gflops).toBeGreaterThan(0);
    const lstm = report.rows.find((row: { model: string }) => row.model === 'lstm/small');
    expect(lstm.gflops).toBeGreaterThan(0);
    expect(lstm.peer.label).toBe('hand-built ORT fused graph');
    expect(lstm.peer.ratio).toBeGreaterThan(0);
    expect(w.read('b.md').toString()).toMatch(/\| lstm\/small \| ort:node \|/);
    expect(w.read('b.svg').toString()).toMatch(/^<svg/);
  });

  test('--profile splits Tessera and its peer by op, as text, Markdown and JSON', () => {
    const r = w.tessera(
      'bench',
      '--profile',
      '--quick',
      '--backends',
      'ort:node,reference:f64',
      '--models',
      'lstm/small',
      '--json',
      'p.json',
      '--markdown',
      'p.md',
    );
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/lstm\/small: ort:node .* ms per forward pass/);
    expect(r.stderr).toMatch(/not profiled \(no per-op timer\): reference:f64/);
    const [pair] = JSON.parse(w.read('p.json').toString());
    expect(pair.backend).toBe('ort:node');
    expect(pair.tessera.unit).toBe('ONNX op');
    expect(pair.tessera.ops.map((o: { op: string }) => o.op)).toContain('LSTM');
    expect(pair.peer.label).toBe('hand-built ORT fused graph');
    expect(w.read('p.md').toString()).toMatch(/^#### lstm\/small: ort:node/);
  });

  test('--profile on backends without a per-op timer is a usage error', () => {
    const r = w.tessera(
      'bench',
      '--profile',
      '--backends',
      'reference:f64',
      '--models',
      'lstm/small',
    );
    expect(r.status).toBe(2);
    // The variants whose manifests name a profiler, in the installed backends' order.
    expect(r.stderr).toMatch(
      /--profile splits time by op on gpujs:cpu, gpujs:webasm, ort:node, tfjs:cpu, tfjs:wasm \(/,
    );
  });

  test('an unknown model is a usage error', () => {
    const r = w.tessera('bench', '--models', 'nope/*');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no model matches --models/);
  });
});
