import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel } from '@tessera/backend-ort';
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

interface SeenOptions {
  opset?: number;
  attention?: string;
  flavour?: string;
  externalData: { location: string; threshold?: number; write(chunk: Uint8Array): void };
}

describe('tessera export (with a stand-in for backend-ort)', () => {
  const seen: [ModelSpec, Weights, SeenOptions][] = [];
  // The format is found in the manifest (its `manifest` subpath), the exporter in the main entry.
  const manifest = { name: 'ort', variants: [], exporters: { onnx: 'toOnnx' } };
  const fakeOrt = {
    createBackend: async () => ({}),
    manifest,
    toOnnx: (s: ModelSpec, ws: Weights, options: SeenOptions) => {
      seen.push([s, ws, options]);
      // A threshold of 0 stands for weights too big for one file: they go to the sink.
      if (options.externalData.threshold === 0) {
        options.externalData.write(new Uint8Array([9, 8]));
        options.externalData.write(new Uint8Array([7]));
      }
      if (options.flavour === 'bad') throw new RangeError('unknown ONNX flavour "bad"');
      return new Uint8Array([1, 2, 3, 4]);
    },
  };
  const modules = {
    '@tessera/backend-ort': fakeOrt,
    '@tessera/backend-ort/manifest': { manifest },
  };
  /** `tessera export gru.json --weights gru.w.safetensors ...rest`, in process. */
  const exportGru = (rest: string[], installed: Record<string, unknown> = modules) =>
    runMain(['export', 'gru.json', '--weights', 'gru.w.safetensors', ...rest], {
      cwd: w.dir,
      modules: installed,
    });

  it('passes the checked spec and weights to toOnnx and writes its bytes', async () => {
    const r = await exportGru(['--format', 'onnx', '-o', 'm.onnx']);
    expect(r.status).toBe(0);
    expect([...w.read('m.onnx')]).toEqual([1, 2, 3, 4]);
    expect(seen[0][0]).toEqual(spec);
    expect([...seen[0][1].keys()].sort()).toEqual([...weights.keys()].sort());
  });

  it('passes --opset, --attention and --flavour through, and a weights file beside -o', async () => {
    seen.length = 0;
    const r = await exportGru([
      '-o',
      'flags.onnx',
      '--opset',
      '17',
      '--attention',
      'matmul',
      '--flavour',
      'portable',
    ]);
    expect(r.status).toBe(0);
    expect(seen[0][2]).toMatchObject({
      opset: 17,
      attention: 'matmul',
      flavour: 'portable',
      externalData: { location: 'flags.onnx.data' },
    });
    // Under the threshold nothing was written to the sink, so there is no weights file.
    expect(existsSync(join(w.dir, 'flags.onnx.data'))).toBe(false);
    expect((await exportGru(['-o', 'm', '--opset', 'x'])).stderr).toContain(
      '--opset must be an integer',
    );
  });

  it('writes the external weights the exporter gives to <output>.data', async () => {
    const r = await exportGru(['-o', 'big.onnx', '--external-data-threshold', '0']);
    expect(r.status).toBe(0);
    expect([...w.read('big.onnx.data')]).toEqual([9, 8, 7]);
    expect(r.stdout).toContain('wrote its weights (3 bytes) to big.onnx.data');
  });

  it("reports the exporter's refusal and leaves no half-written weights file", async () => {
    const r = await exportGru([
      '-o',
      'bad.onnx',
      '--flavour',
      'bad',
      '--external-data-threshold',
      '0',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('export to onnx: unknown ONNX flavour "bad"');
    expect(existsSync(join(w.dir, 'bad.onnx'))).toBe(false);
    expect(existsSync(join(w.dir, 'bad.onnx.data'))).toBe(false);
  });

  it('refuses an unknown format and needs -o', async () => {
    const r = await exportGru(['--format', 'tflite', '-o', 'm']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown format "tflite"; formats: onnx');
    expect((await exportGru([])).status).toBe(2);
  });

  it('says when no installed backend writes the format', async () => {
    const r = await exportGru(['-o', 'm.onnx'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'unknown format "onnx"; formats: none (no installed backend writes one)',
    );
  });
});

describe('tessera export: flavours, opsets, external data (built binary, real backend-ort)', () => {
  const lm = buildPreset('transformerLM', {
    vocabSize: 12,
    dModel: 16,
    nhead: 2,
    numLayers: 1,
    maxLength: 8,
  });
  w.write('lm.json', JSON.stringify(lm));
  w.write('lm.w.safetensors', writeSafetensors(initWeights(lm, 3)));
  const exportLm = (out: string, ...flags: string[]) =>
    w.tessera('export', 'lm.json', '--weights', 'lm.w.safetensors', '-o', out, ...flags);
  const domains = (file: string) => {
    const model = decodeModel(w.read(file));
    return {
      opsets: model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)]),
      foreign: model.graph!.node!.filter((n) => (n.domain ?? '') !== '').map((n) => n.opType),
    };
  };

  it('is portable by default, at the opset asked for (Gelu lowered at 17)', () => {
    const r = exportLm('lm17.onnx', '--opset', '17');
    expect(r.stderr).toBe('');
    expect(domains('lm17.onnx')).toEqual({ opsets: [['', 17]], foreign: [] });
    expect(decodeModel(w.read('lm17.onnx')).graph!.node!.some((n) => n.opType === 'Erf')).toBe(
      true,
    );
  });

  it('--flavour ort writes the fused com.microsoft graph', () => {
    expect(exportLm('lm-ort.onnx', '--flavour', 'ort').status).toBe(0);
    const { opsets, foreign } = domains('lm-ort.onnx');
    expect(opsets).toEqual([
      ['', 21],
      ['com.microsoft', 1],
    ]);
    expect(foreign).toContain('Attention');
    expect(foreign).toContain('SkipLayerNormalization');
  });

  it('refuses an ORT-only attention path in the portable flavour, and an opset out of range', () => {
    const r = exportLm('no.onnx', '--attention', 'ms-attention');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "attention 'ms-attention' writes com.microsoft operators, which only ONNX Runtime runs",
    );
    const old = exportLm('no.onnx', '--opset', '16');
    expect(old.status).toBe(1);
    expect(old.stderr).toContain('opset 16 is not supported: use 17 to 26');
    expect(existsSync(join(w.dir, 'no.onnx'))).toBe(false);
  });

  it('writes the .onnx + .data pair, which onnxruntime loads to the same outputs', async () => {
    const r = exportLm('pair.onnx', '--external-data-threshold', '0');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('to pair.onnx.data: keep it beside pair.onnx');
    expect(exportLm('inline.onnx').status).toBe(0);
    const ort = (await import('onnxruntime-node')) as typeof import('onnxruntime-node');
    const ids = new ort.Tensor('int32', Int32Array.from([1, 5, 7, 2]), [1, 4]);
    const logits = async (file: string) => {
      const session = await ort.InferenceSession.create(join(w.dir, file));
      const out = await session.run({ [session.inputNames[0]]: ids });
      await session.release();
      return Array.from(out[session.outputNames[0]].data as Float32Array);
    };
    expect(await logits('pair.onnx')).toEqual(await logits('inline.onnx'));
  });
});

describe('tessera export (built binary)', () => {
  /** `tessera export gru.json --weights gru.w.safetensors ...rest`, the built binary. */
  const tesseraGru = (...rest: string[]) =>
    w.tessera('export', 'gru.json', '--weights', 'gru.w.safetensors', ...rest);

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
    expect(tesseraGru('--format', 'tflite', '-o', 'm').status).toBe(2);
  });

  it('writes an ONNX model that onnxruntime runs to the reference outputs', async () => {
    const r = tesseraGru('--format', 'onnx', '-o', 'gru.onnx');
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
