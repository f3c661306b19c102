import { createBackend as createReference } from '@tessera/backend-reference';
import {
  initWeights,
  parseSpec,
  randomInputs,
  transformerLM,
  UnsupportedOpError,
} from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from './backend.js';
import { buildGraph, toOnnx, unsupportedReason } from './compile.js';
import { decodeModel } from './graph-builder.js';

const hostile = parseSpec({
  format: 'tessera.model/v1',
  name: 'x"; DROP',
  inputs: { constructor_: { dtype: 'float32', shape: ['batch', 'time', 8] } },
  outputs: { toString: '__proto__', h: 'enc:h_n' },
  nodes: [
    { id: '__proto__', op: 'transformerEncoderLayer', dModel: 8, nhead: 2, dimFeedforward: 16 },
    { id: 'enc', op: 'lstm', inputSize: 8, hiddenSize: 4, bidirectional: true, numLayers: 2 },
  ],
});

describe('toOnnx', () => {
  const weights = initWeights(hostile, 1);
  const model = decodeModel(toOnnx(hostile, weights));
  const graph = model.graph!;

  test('every ONNX name is sanitised and unique', () => {
    const names = [
      ...graph.node!.flatMap((n) => [n.name!, ...n.output!.filter((o) => o !== '')]),
      ...graph.initializer!.map((t) => t.name!),
    ];
    for (const n of names) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(new Set(names).size).toBe(names.length);
    expect(graph.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  test('graph inputs and outputs keep the spec names', () => {
    expect(graph.input!.map((i) => i.name)).toEqual(['constructor_']);
    expect(graph.output!.map((o) => o.name)).toEqual(['toString', 'h']);
  });

  test('LSTM gates are reordered from PyTorch (i, f, g, o) to ONNX (i, o, f, c)', () => {
    const w = weights.get('enc.weight_ih_l0')!.data as Float32Array;
    const init = graph.initializer!.find((t) => t.name === 'enc_l0_W')!;
    expect(init.dims!.map(Number)).toEqual([2, 16, 8]);
    const onnxW = new Float32Array(new Uint8Array(init.rawData!).buffer);
    const block = (data: Float32Array, k: number) =>
      Array.from(data.subarray(k * 32, (k + 1) * 32));
    // ONNX block 1 is o (PyTorch block 3), block 2 is f (PyTorch 1), block 3 is c = g (PyTorch 2).
    expect(block(onnxW, 0)).toEqual(block(w, 0));
    expect(block(onnxW, 1)).toEqual(block(w, 3));
    expect(block(onnxW, 2)).toEqual(block(w, 1));
    expect(block(onnxW, 3)).toEqual(block(w, 2));
  });

  test('the attention path decides the ops and the opset', () => {
    const ops = (attention: 'matmul' | 'ms-attention' | 'onnx-attention') => {
      const g = buildGraph(hostile, weights, { attention });
      const m = decodeModel(g.bytes);
      return {
        opset: g.opset,
        ops: new Set(m.graph!.node!.map((n) => `${n.domain || ''}:${n.opType}`)),
      };
    };
    expect(ops('ms-attention').ops.has('com.microsoft:Attention')).toBe(true);
    expect(ops('ms-attention').ops.has('com.microsoft:SkipLayerNormalization')).toBe(true);
    expect(ops('matmul').ops.has('com.microsoft:Attention')).toBe(false);
    // The portable lowerings keep to the standard domain.
    for (const path of ['matmul', 'onnx-attention'] as const)
      expect([...ops(path).ops].filter((o) => o.startsWith('com.microsoft'))).toEqual([]);
    expect(ops('onnx-attention')).toMatchObject({ opset: 23 });
    expect(ops('onnx-attention').ops.has(':Attention')).toBe(true);
    expect(() => buildGraph(hostile, weights, { attention: 'onnx-attention', opset: 21 })).toThrow(
      /needs opset 23/,
    );
    expect(() => buildGraph(hostile, weights, { attention: 'flash' as 'matmul' })).toThrow(
      /unknown attention lowering "flash"/,
    );
  });

  test('unknown ops are reported, not crashed on', () => {
    expect(unsupportedReason('conv3d')).toMatch(/unknown op/);
    expect(unsupportedReason('lstm')).toBeUndefined();
    const bad = {
      ...hostile,
      nodes: [{ ...hostile.nodes[0], op: 'conv3d' }],
    } as unknown as typeof hostile;
    expect(() => buildGraph(bad, new Map())).toThrow(UnsupportedOpError);
  });

  test('does not mutate the spec or the weights', () => {
    const before = JSON.stringify(hostile);
    const w0 = Array.from(weights.get('enc.weight_ih_l0')!.data);
    toOnnx(hostile, weights, { attention: 'matmul' });
    expect(JSON.stringify(hostile)).toBe(before);
    expect(Array.from(weights.get('enc.weight_ih_l0')!.data)).toEqual(w0);
  });
});

describe('residual Add + LayerNorm across layers', () => {
  // 3 pre-norm layers, then the final norm: 4 LayerNorms read a residual sum, the first reads the
  // embeddings, and each layer's inner residual is already one SkipLayerNormalization.
  const spec = transformerLM({ vocabSize: 16, dModel: 8, nhead: 2, numLayers: 3, maxLength: 12 });
  const weights = initWeights(spec, 3);
  const count = (attention: 'ms-attention' | 'matmul') => {
    const nodes = decodeModel(buildGraph(spec, weights, { attention }).bytes).graph!.node!;
    const n = (op: string) => nodes.filter((x) => x.opType === op).length;
    return {
      skip: n('SkipLayerNormalization'),
      layerNorm: n('LayerNormalization'),
      add: n('Add'),
    };
  };

  test("each pre-norm layer's last sum and the LayerNorm after it become one SkipLayerNormalization", () => {
    // Per layer: the inner skip (norm2) and the next norm (layer 2's and 3's norm1, the final
    // norm): 6. Only the first norm1, after the positional Add, stays a LayerNormalization.
    expect(count('ms-attention')).toMatchObject({ skip: 6, layerNorm: 1 });
    // The portable lowering keeps 7 LayerNormalizations and no com.microsoft op.
    expect(count('matmul')).toMatchObject({ skip: 0, layerNorm: 7 });
  });

  test('the fused graph computes what the reference computes', async () => {
    const inputs = randomInputs(spec, { batch: 2, time: 12 }, 5);
    const want = (await (await createReference()).compile(spec, weights)).run(inputs);
    const model = await (await createBackend({ variant: 'node' })).compile(spec, weights);
    const got = (await model.run(inputs)).logits.data;
    const ref = (await want).logits.data;
    for (let i = 0; i < ref.length; i++)
      expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(ref[i]));
    await model.dispose();
  });
});
