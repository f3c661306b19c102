// The exported bytes are a self-contained ONNX model: written to a file and opened by a fresh
// InferenceSession (onnxruntime-node, no Tessera code involved) they give the backend's outputs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultBindings,
  initWeights,
  randomInputs,
  rnnClassifier,
  transformerLM,
} from '@tessera/spec';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeModel } from '../src/graph-builder.js';
import { createBackend, METADATA_SPEC_KEY, toOnnx } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-ort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['transformerLM', transformerLM()],
  [
    'rnnClassifier (bidirectional GRU)',
    rnnClassifier({ cell: 'gru', bidirectional: true, numLayers: 2 }),
  ],
])('%s', (label, spec) => {
  const weights = initWeights(spec, 3, { randomizeConstants: true });
  const inputs = randomInputs(spec, defaultBindings(spec, {}, 4), 5);

  test('loads from a file in a fresh InferenceSession and gives the same outputs', async () => {
    const file = join(dir, `${label.replace(/\W+/g, '_')}.onnx`);
    // The 'ort' flavour is the graph the backend compiles: the same numbers, bit for bit.
    writeFileSync(file, toOnnx(spec, weights, { flavour: 'ort' }));
    const session = await ort.InferenceSession.create(file);
    try {
      expect(session.inputNames).toEqual(Object.keys(spec.inputs));
      expect(session.outputNames).toEqual(Object.keys(spec.outputs));
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
      );
      const fresh = await session.run(feeds);
      const model = await (await createBackend({ variant: 'node' })).compile(spec, weights);
      const ours = await model.run(inputs);
      await model.dispose();
      for (const name of Object.keys(spec.outputs)) {
        expect(fresh[name].dims).toEqual(ours[name].shape);
        expect(Array.from(fresh[name].data as Float32Array)).toEqual(Array.from(ours[name].data));
      }
    } finally {
      await session.release();
    }
  });

  test('carries the spec, producer, opset and named symbolic dims', () => {
    const model = decodeModel(toOnnx(spec, weights));
    expect(model.producerName).toBe('tessera');
    expect(model.producerVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number(model.opsetImport.find((o) => (o.domain ?? '') === '')?.version)).toBe(21);
    const meta = model.metadataProps.find((p) => p.key === METADATA_SPEC_KEY);
    expect(JSON.parse(meta!.value!)).toEqual(JSON.parse(JSON.stringify(spec)));
    const input = model.graph!.input![0];
    const dims = input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(Object.values(spec.inputs)[0].shape);
    // Weights are initializers, not graph inputs.
    expect(model.graph!.input!.map((i) => i.name)).toEqual(Object.keys(spec.inputs));
    expect(model.graph!.initializer!.length).toBeGreaterThan(0);
  });
});

describe('flavours, opsets and names', () => {
  const spec = transformerLM({ vocabSize: 16, dModel: 16, nhead: 2, numLayers: 2, maxLength: 8 });
  const weights = initWeights(spec, 4, { randomizeConstants: true });
  const domains = (bytes: Uint8Array) =>
    new Set(decodeModel(bytes).graph!.node!.map((n) => n.domain ?? ''));

  test('toOnnx is portable by default; the ort flavour has the fused contrib ops', () => {
    expect(domains(toOnnx(spec, weights))).toEqual(new Set(['']));
    expect(domains(toOnnx(spec, weights, { flavour: 'ort' }))).toEqual(
      new Set(['', 'com.microsoft']),
    );
    // The portable flavour keeps onnx-attention's opset-23 Attention, in the default domain.
    const onnxAttention = decodeModel(toOnnx(spec, weights, { attention: 'onnx-attention' }));
    expect(onnxAttention.graph!.node!.filter((n) => n.opType === 'Attention').length).toBe(2);
    expect(Number(onnxAttention.opsetImport[0].version)).toBe(23);
  });

  test('refusals name what to pass instead', () => {
    expect(() => toOnnx(spec, weights, { attention: 'ms-attention' })).toThrow(
      /attention 'ms-attention' writes com.microsoft operators.*'matmul' or 'onnx-attention' \(or pass flavour 'ort'\)/,
    );
    expect(() => toOnnx(spec, weights, { attention: 'ms-mha', flavour: 'portable' })).toThrow(
      /'ms-mha'/,
    );
    for (const opset of [16, 27, 21.5])
      expect(() => toOnnx(spec, weights, { opset })).toThrow(
        new RegExp(`opset ${opset} is not supported: use 17 to 26`),
      );
    expect(() => toOnnx(spec, weights, { flavour: 'tensorrt' as 'ort' })).toThrow(
      /unknown ONNX flavour "tensorrt"; use one of portable, ort/,
    );
  });

  test('initializers keep the PyTorch names, and hold those weights as they are', () => {
    const inits = decodeModel(toOnnx(spec, weights)).graph!.initializer!;
    const byName = new Map(inits.map((t) => [t.name!, t]));
    let kept = 0;
    for (const [name, t] of weights) {
      const init = byName.get(name);
      if (init === undefined) continue;
      kept++;
      const raw = init.rawData!;
      const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      expect(Array.from(data), name).toEqual(Array.from(t.data));
      expect(init.dims!.map(Number), name).toEqual(t.shape);
    }
    // Kept as they are: the tables and every norm and bias. A linear's weight on 3-D inputs
    // (the attention's in- and out-projections too) is stored transposed, as `<name>.T`.
    expect(kept).toBeGreaterThanOrEqual(20);
    expect(byName.has('embed.weight')).toBe(true);
    const transposed = [...byName.keys()].filter((n) => n.endsWith('.T'));
    expect(transposed).toContain('block0.self_attn.in_proj_weight.T');
    for (const n of transposed) {
      const w = weights.get(n.slice(0, -2));
      expect(w, n).toBeDefined();
      const [rows, cols] = w!.shape;
      expect(byName.get(n)!.dims!.map(Number), n).toEqual([cols, rows]);
    }
  });
});
