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
import { createBackend, decodeModel, METADATA_SPEC_KEY, toOnnx } from '../src/index.js';

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
    writeFileSync(file, toOnnx(spec, weights));
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
