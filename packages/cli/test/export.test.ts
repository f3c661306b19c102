import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '@tessera/backend-reference';
import {
  buildPreset,
  initWeights,
  type ModelSpec,
  randomInputs,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';
import { runMain } from './in-process.js';

const w = workdir();
const spec = buildPreset('rnnClassifier', { cell: 'gru' });
const weights = initWeights(spec, 2);
w.write('gru.json', JSON.stringify(spec));
w.write('gru.w.safetensors', writeSafetensors(weights));

describe('tessera export (with a stand-in for backend-ort)', () => {
  const seen: [ModelSpec, Weights][] = [];
  // The format is found in the manifest (its `manifest` subpath), the exporter in the main entry.
  const manifest = { name: 'ort', variants: [], exporters: { onnx: 'toOnnx' } };
  const fakeOrt = {
    createBackend: async () => ({}),
    manifest,
    toOnnx: (s: ModelSpec, ws: Weights) => {
      seen.push([s, ws]);
      return new Uint8Array([1, 2, 3, 4]);
    },
  };
  const modules = {
    '@tessera/backend-ort': fakeOrt,
    '@tessera/backend-ort/manifest': { manifest },
  };

  it('passes the checked spec and weights to toOnnx and writes its bytes', async () => {
    const r = await runMain(
      ['export', 'gru.json', '--weights', 'gru.w.safetensors', '--format', 'onnx', '-o', 'm.onnx'],
      { cwd: w.dir, modules },
    );
    expect(r.status).toBe(0);
    expect([...w.read('m.onnx')]).toEqual([1, 2, 3, 4]);
    expect(seen[0][0]).toEqual(spec);
    expect([...seen[0][1].keys()].sort()).toEqual([...weights.keys()].sort());
  });

  it('refuses an unknown format and needs -o', async () => {
    const r = await runMain(
      ['export', 'gru.json', '--weights', 'gru.w.safetensors', '--format', 'tflite', '-o', 'm'],
      { cwd: w.dir, modules },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown format "tflite"; formats: onnx');
    expect(
      (
        await runMain(['export', 'gru.json', '--weights', 'gru.w.safetensors'], {
          cwd: w.dir,
          modules,
        })
      ).status,
    ).toBe(2);
  });

  it('says when no installed backend writes the format', async () => {
    const r = await runMain(
      ['export', 'gru.json', '--weights', 'gru.w.safetensors', '-o', 'm.onnx'],
      { cwd: w.dir, modules: {} },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'unknown format "onnx"; formats: none (no installed backend writes one)',
    );
  });
});

describe('tessera export (built binary)', () => {
  it('checks the weights before it loads any exporter', () => {
    const bad = new Map(weights);
    bad.delete('head.weight');
    w.write('bad.w.safetensors', writeSafetensors(bad));
    const r = w.tessera(
      'export',
      'gru.json',
      '--weights',
      'bad.w.safetensors',
      '--format',
      'onnx',
      '-o',
      'bad.onnx',
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error: bad.w.safetensors: head.weight: is missing (expected float32 [4, 16])',
    );
    expect(existsSync(join(w.dir, 'bad.onnx'))).toBe(false);
  });

  it('an unknown format is a usage error', () => {
    expect(
      w.tessera(
        'export',
        'gru.json',
        '--weights',
        'gru.w.safetensors',
        '--format',
        'tflite',
        '-o',
        'm',
      ).status,
    ).toBe(2);
  });

  it('writes an ONNX model that onnxruntime runs to the reference outputs', async () => {
    const r = w.tessera(
      'export',
      'gru.json',
      '--weights',
      'gru.w.safetensors',
      '--format',
      'onnx',
      '-o',
      'gru.onnx',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ort = (await import('onnxruntime-node')) as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(join(w.dir, 'gru.onnx'));
    const inputs = randomInputs(spec, { batch: 2, time: 3 }, 1);
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [
        k,
        new ort.Tensor('float32', t.data as Float32Array, t.shape),
      ]),
    );
    const got = await session.run(feeds);
    const model = await (await createBackend()).compile(spec, weights);
    const want = await model.run(inputs);
    const g = got.logits.data as Float32Array;
    expect(got.logits.dims).toEqual(want.logits.shape);
    for (const [i, v] of want.logits.data.entries()) {
      expect(Math.abs(g[i] - v)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(v));
    }
  });
});
