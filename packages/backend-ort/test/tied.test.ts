// A tied head (linear with tiedTo, DESIGN §6.1) reads its embedding's table: the exported ONNX
// model stores that table once, and a fresh InferenceSession gives the backend's outputs.
import { initWeights, parseSpec, randomInputs } from '@tessera/spec';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { decodeModel } from '../src/graph-builder.js';
import { createBackend, toOnnx } from '../src/index.js';

const tiedLM = (ids: (number | string)[]) =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: { ids: { dtype: 'int32', shape: ids } },
    outputs: { logits: 'head' },
    nodes: [
      {
        id: 'embed',
        op: 'embedding',
        numEmbeddings: 11,
        embeddingDim: 6,
        weightPrefix: 'model.embed_tokens',
      },
      { id: 'mix', op: 'linear', inFeatures: 6, outFeatures: 6 },
      {
        id: 'head',
        op: 'linear',
        inFeatures: 6,
        outFeatures: 11,
        tiedTo: 'embed',
        weightPrefix: 'lm_head',
      },
    ],
  });

describe.each([
  ['[batch, time] ids (MatMul)', ['batch', 'time'], { batch: 2, time: 3 }],
  ['[batch] ids (Gemm)', ['batch'], { batch: 3 }],
] as const)('tied head, %s', (_label, shape, bindings) => {
  const spec = tiedLM([...shape]);
  const weights = initWeights(spec, 4, { randomizeConstants: true });
  const inputs = randomInputs(spec, bindings, 5);

  test('the table is one initializer; the head has no copy of its own', () => {
    // A PyTorch state_dict of a tied model also holds lm_head.weight (equal): still one copy.
    const withCopy = new Map(weights);
    withCopy.set('lm_head.weight', weights.get('model.embed_tokens.weight')!);
    for (const w of [weights, withCopy]) {
      const graph = decodeModel(toOnnx(spec, w)).graph!;
      const tables = graph.initializer!.filter((t) => {
        const dims = (t.dims ?? []).map(Number);
        return (
          (dims[0] === 11 && dims[1] === 6) ||
          (dims[0] === 6 && dims[1] === 11) ||
          dims[0] * dims[1] === 66
        );
      });
      expect(tables.map((t) => t.dims!.map(Number))).toEqual([[11, 6]]);
    }
  });

  test('a fresh InferenceSession gives the backend outputs', async () => {
    const session = await ort.InferenceSession.create(toOnnx(spec, weights));
    try {
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
      );
      const fresh = await session.run(feeds);
      const model = await (await createBackend({ variant: 'node' })).compile(spec, weights);
      const ours = await model.run(inputs);
      await model.dispose();
      expect(Array.from(fresh.logits.data as Float32Array)).toEqual(Array.from(ours.logits.data));
    } finally {
      await session.release();
    }
  });
});
