// The ONNX graph the compiler builds: names, weights' layouts, which fused nodes each attention
// path emits. What the graphs compute is judged by conformance (test/conformance.test.ts): the
// fused residual norms by layerNorm/after-add, layerNorm/after-add-sum-read,
// layerNorm/after-broadcast-add and preset/transformerLM-3layer-full-length-small, under every path.
import { initWeights, llamaLM, parseSpec, transformerLM, UnsupportedOpError } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { spec as specOf } from '../test/helpers.js';
import { buildGraph, supports, toOnnx } from './compile.js';
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

  test('every ONNX name is sanitised or a PyTorch weight name, and unique', () => {
    const generated = [
      ...graph.node!.flatMap((n) => [n.name!, ...n.output!.filter((o) => o !== '')]),
      ...graph.initializer!.map((t) => t.name!).filter((n) => !n.includes('.')),
    ];
    for (const n of generated) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    // An initializer with a dot is a weight under its state_dict name, or a converted copy of
    // one (`.T`: transposed).
    const kept = graph.initializer!.map((t) => t.name!).filter((n) => n.includes('.'));
    expect(kept.length).toBeGreaterThan(0);
    for (const n of kept) expect(weights.has(n.replace(/\.T$/, '')), n).toBe(true);
    const names = [...generated, ...kept];
    expect(new Set(names).size).toBe(names.length);
    expect(graph.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  test('an output is the value itself, not an Identity copy; an input or a second name is one', () => {
    const outputs = specOf({
      inputs: { x: { dtype: 'float32', shape: ['batch', 4] } },
      outputs: { a: 'act', b: 'act', c: 'x', d: 'out' },
      nodes: [
        { id: 'act', op: 'tanh', input: 'x' },
        { id: 'out', op: 'linear', inFeatures: 4, outFeatures: 2 },
      ],
    });
    const g = decodeModel(toOnnx(outputs, initWeights(outputs, 1))).graph!;
    const producer = (name: string) => g.node!.find((n) => n.output!.includes(name))!;
    // `a` is read by the linear too, and still not copied.
    expect(producer('a').opType).toBe('Tanh');
    expect(producer('d').opType).toBe('Gemm');
    expect([producer('b').opType, producer('b').input]).toEqual(['Identity', ['a']]);
    expect([producer('c').opType, producer('c').input]).toEqual(['Identity', ['x']]);
    expect(g.output!.map((o) => o.name)).toEqual(['a', 'b', 'c', 'd']);
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
    const ops = (attention: 'matmul' | 'ms-attention' | 'onnx-attention', opset?: number) => {
      const g = buildGraph(hostile, weights, { attention, opset });
      const m = decodeModel(g.bytes);
      return {
        opset: g.opset,
        ops: new Set(m.graph!.node!.map((n) => `${n.domain || ''}:${n.opType}`)),
      };
    };
    expect(ops('ms-attention').ops.has('com.microsoft:Attention')).toBe(true);
    expect(ops('ms-attention').ops.has('com.microsoft:SkipLayerNormalization')).toBe(true);
    expect(ops('matmul').ops.has('com.microsoft:Attention')).toBe(false);
    // 'matmul' emits the spec's decomposition: q, k, v gathered from one projection moved to
    // [3, B, h, T, d], 1/√d a Mul.
    for (const op of [':Transpose', ':Gather', ':Mul', ':Softmax'])
      expect(ops('matmul').ops.has(op), op).toBe(true);
    // The portable lowerings keep to the standard domain.
    for (const path of ['matmul', 'onnx-attention'] as const)
      expect([...ops(path).ops].filter((o) => o.startsWith('com.microsoft'))).toEqual([]);
    expect(ops('onnx-attention')).toMatchObject({ opset: 23 });
    expect(ops('onnx-attention').ops.has(':Attention')).toBe(true);
    // Below opset 23 the Attention operator is lowered to the decomposition, not refused.
    expect(ops('onnx-attention', 21).ops.has(':Attention')).toBe(false);
    expect(ops('onnx-attention', 21).ops.has(':Softmax')).toBe(true);
    expect(() => buildGraph(hostile, weights, { attention: 'flash' as 'matmul' })).toThrow(
      /unknown attention lowering "flash"/,
    );
  });

  test('unknown ops are reported, not crashed on', () => {
    expect(supports('conv3d')).toMatch(/"conv3d" is not an op/);
    expect(supports('lstm')).toBe(true);
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
  // 3 pre-norm layers, then the final norm: 7 LayerNorms, of which 6 read a residual sum (each
  // layer's norm2, layers 2 and 3's norm1, the final norm); the first norm1 reads the embeddings.
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
});

describe('SkipLayerNormalization fusion (fuse.ts): where it fires', () => {
  // x, y [batch, time, 8] (z [time, 8] broadcasts); `s` = x + y is read by a LayerNorm and, when
  // `alsoOut`, by an output too.
  const residual = (
    norm: Record<string, unknown>,
    o: { alsoOut?: boolean; partner?: string } = {},
  ) =>
    specOf({
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 'time', 8] },
        y: { dtype: 'float32', shape: ['batch', 'time', 8] },
        z: { dtype: 'float32', shape: ['time', 8] },
        w: { dtype: 'float32', shape: ['batch', 8] },
      },
      outputs: { n: 'n', ...(o.alsoOut ? { s: 's' } : {}) },
      nodes: [
        { id: 's', op: 'add', input: ['x', o.partner ?? 'y'] },
        { id: 'n', op: 'layerNorm', input: 's', normalizedShape: [8], ...norm },
      ],
    });
  const graphOf = (
    s: ReturnType<typeof specOf>,
    attention: 'ms-attention' | 'matmul' = 'ms-attention',
  ) => decodeModel(buildGraph(s, initWeights(s, 1), { attention }).bytes).graph!;
  const ops = (s: ReturnType<typeof specOf>, attention?: 'ms-attention' | 'matmul') =>
    graphOf(s, attention)
      .node!.map((n) => n.opType)
      .filter((op) => op !== 'Identity');

  test('Add of two same-shaped inputs + LayerNorm over the last axis: one node, eps and β carried', () => {
    const g = graphOf(residual({ eps: 1e-3 }));
    const skip = g.node!.find((n) => n.opType === 'SkipLayerNormalization')!;
    // The graph output is the fused node's output itself, no Identity.
    expect(g.node!.map((n) => n.opType)).toEqual(['SkipLayerNormalization']);
    expect(skip.domain).toBe('com.microsoft');
    expect(skip.input).toEqual(['x', 'y', 'n.weight', 'n.bias']);
    // Nothing else reads the sum: only the normalised output.
    expect(skip.output).toEqual(['n']);
    expect(skip.attribute!.map((a) => [a.name, a.f])).toEqual([['epsilon', Math.fround(1e-3)]]);
  });

  test('a sum read elsewhere too is the 4th output, under its own name', () => {
    const nodes = graphOf(residual({}, { alsoOut: true })).node!;
    expect(nodes.map((n) => n.opType)).toEqual(['SkipLayerNormalization']);
    // Both are graph outputs, under the spec's output names.
    expect(nodes[0].output).toEqual(['n', '', '', 's']);
  });

  test('without β, and without affine (γ = ones), it still fuses', () => {
    expect(graphOf(residual({ bias: false })).node![0].input).toEqual(['x', 'y', 'n.weight']);
    expect(graphOf(residual({ elementwiseAffine: false })).node![0].input).toEqual([
      'x',
      'y',
      'n_ones',
    ]);
  });

  test('left alone: broadcasting Add, LayerNorm over two axes, rank 2, portable lowerings', () => {
    expect(ops(residual({}, { partner: 'z' }))).toEqual(['Add', 'LayerNormalization']);
    const twoAxes = specOf({
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 4, 8] },
        y: { dtype: 'float32', shape: ['batch', 4, 8] },
      },
      outputs: { n: 'n' },
      nodes: [
        { id: 's', op: 'add', input: ['x', 'y'] },
        { id: 'n', op: 'layerNorm', normalizedShape: [4, 8] },
      ],
    });
    expect(ops(twoAxes)).toEqual(['Add', 'LayerNormalization']);
    const rank2 = specOf({
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 8] },
        y: { dtype: 'float32', shape: ['batch', 8] },
      },
      outputs: { n: 'n' },
      nodes: [
        { id: 's', op: 'add', input: ['x', 'y'] },
        { id: 'n', op: 'layerNorm', normalizedShape: [8] },
      ],
    });
    expect(ops(rank2)).toEqual(['Add', 'LayerNormalization']);
    expect(ops(residual({}), 'matmul')).toEqual(['Add', 'LayerNormalization']);
  });
});

describe('residual Add + rmsNorm (LLaMA): SkipSimplifiedLayerNormalization', () => {
  // 2 layers: 5 rmsNorms, of which 4 read a residual sum (each layer's post_attention_layernorm,
  // layer 1's input_layernorm, the final norm); layer 0's input_layernorm reads the embeddings.
  const spec = llamaLM({ vocabSize: 16, hiddenSize: 8, numLayers: 2, numHeads: 2 });
  const weights = initWeights(spec, 3);
  const graph = (
    attention: 'ms-attention' | 'ms-mha' | 'matmul' | 'onnx-attention',
    opset?: number,
  ) => decodeModel(buildGraph(spec, weights, { attention, opset }).bytes).graph!;
  const count = (g: ReturnType<typeof graph>) => {
    const n = (op: string) => g.node!.filter((x) => x.opType === op).length;
    return {
      skip: n('SkipSimplifiedLayerNormalization'),
      simplified: n('SimplifiedLayerNormalization'),
      rms: n('RMSNormalization'),
      reduceMean: n('ReduceMean'),
    };
  };

  test('on the com.microsoft paths: 4 fused, the first norm SimplifiedLayerNormalization (opset 21)', () => {
    for (const attention of ['ms-attention', 'ms-mha'] as const)
      expect(count(graph(attention))).toEqual({ skip: 4, simplified: 1, rms: 0, reduceMean: 0 });
    const g = graph('ms-attention');
    const skips = g.node!.filter((n) => n.opType === 'SkipSimplifiedLayerNormalization');
    expect(skips.every((n) => n.domain === 'com.microsoft')).toBe(true);
    // input, skip, γ: no β, no bias; rms_norm_eps carried.
    expect(skips.map((n) => n.input!.length)).toEqual([3, 3, 3, 3]);
    expect(skips[0].input![2]).toBe('model.layers.0.post_attention_layernorm.weight');
    expect(skips[0].attribute!.map((a) => [a.name, a.f])).toEqual([['epsilon', Math.fround(1e-6)]]);
    // The three sums the residual stream reads on are the 4th output; the last (read by the
    // final norm only) is not.
    expect(skips.map((n) => n.output!.length)).toEqual([4, 4, 4, 1]);
    const simplified = g.node!.find((n) => n.opType === 'SimplifiedLayerNormalization')!;
    expect(simplified.domain ?? '').toBe('');
    expect(simplified.input).toEqual(['embed_tokens', 'model.layers.0.input_layernorm.weight']);
  });

  test('at opset 23 the RMSNormalizations fuse the same way', () => {
    expect(count(graph('ms-attention', 23))).toEqual({
      skip: 4,
      simplified: 0,
      rms: 1,
      reduceMean: 0,
    });
  });

  test('the portable paths stay plain ONNX: decomposed at 21, RMSNormalization at 23', () => {
    expect(count(graph('matmul'))).toEqual({ skip: 0, simplified: 0, rms: 0, reduceMean: 5 });
    expect(count(graph('onnx-attention'))).toEqual({
      skip: 0,
      simplified: 0,
      rms: 5,
      reduceMean: 0,
    });
    expect(graph('matmul').node!.some((n) => (n.domain ?? '') !== '')).toBe(false);
  });

  test('left alone: an rmsNorm over two axes, and a broadcasting Add', () => {
    const rms = (normalizedShape: number[], partner = 'y') =>
      specOf({
        inputs: {
          x: { dtype: 'float32', shape: ['batch', 4, 8] },
          y: { dtype: 'float32', shape: ['batch', 4, 8] },
          z: { dtype: 'float32', shape: [4, 8] },
        },
        outputs: { n: 'n' },
        nodes: [
          { id: 's', op: 'add', input: ['x', partner] },
          { id: 'n', op: 'rmsNorm', normalizedShape },
        ],
      });
    const ops = (s: ReturnType<typeof specOf>) =>
      decodeModel(buildGraph(s, initWeights(s, 1)).bytes)
        .graph!.node!.map((n) => n.opType)
        .filter((op) => op !== 'Identity');
    expect(ops(rms([8]))).toEqual(['SkipSimplifiedLayerNormalization']);
    expect(ops(rms([4, 8]))).toEqual(['Add', 'SimplifiedLayerNormalization']);
    expect(ops(rms([8], 'z'))).toEqual(['Add', 'SimplifiedLayerNormalization']);
  });
});
