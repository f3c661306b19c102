// Per-op schema, shape and manifest checks. Expected shapes and weight layouts are PyTorch's,
// worked out by hand from the torch.nn documentation (formulas in the comments).
import { describe, expect, test } from 'vitest';
import { SpecError } from '../errors.js';
import { inferShapes, parseSpec } from '../graph.js';
import { weightManifest } from '../weights.js';
import { opNames } from './registry.js';

type Shape = (number | string)[];

function one(input: { dtype?: 'float32' | 'int32'; shape: Shape }, node: Record<string, unknown>) {
  return parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: input.dtype ?? 'float32', shape: input.shape } },
    outputs: { y: 'n' },
    nodes: [{ id: 'n', ...node }],
  });
}

interface Example {
  input: { dtype?: 'float32' | 'int32'; shape: Shape };
  node: Record<string, unknown>;
  shape: Shape;
  weights?: Record<string, number[]>;
  ports?: Record<string, Shape>;
}

// One or more examples per op; every op in the registry must appear (checked below).
const examples: Record<string, Example[]> = {
  linear: [
    {
      input: { shape: ['b', 5] },
      node: { op: 'linear', inFeatures: 5, outFeatures: 3 },
      shape: ['b', 3],
      weights: { 'n.weight': [3, 5], 'n.bias': [3] },
    },
    {
      input: { shape: [2, 4, 5] },
      node: { op: 'linear', inFeatures: 5, outFeatures: 3, bias: false },
      shape: [2, 4, 3],
      weights: { 'n.weight': [3, 5] },
    },
  ],
  embedding: [
    {
      input: { dtype: 'int32', shape: ['b', 't'] },
      node: { op: 'embedding', numEmbeddings: 10, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: { 'n.weight': [10, 4] },
    },
  ],
  positionalEmbedding: [
    {
      input: { shape: ['b', 't', 4] },
      node: { op: 'positionalEmbedding', maxLength: 9, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: { 'n.weight': [9, 4] },
    },
    {
      input: { shape: ['b', 't', 4] },
      node: { op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 9, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: {},
    },
  ],
  relu: [{ input: { shape: [2, 3] }, node: { op: 'relu' }, shape: [2, 3] }],
  gelu: [{ input: { shape: [2, 3] }, node: { op: 'gelu', approximate: 'tanh' }, shape: [2, 3] }],
  tanh: [{ input: { shape: [2, 3] }, node: { op: 'tanh' }, shape: [2, 3] }],
  sigmoid: [{ input: { shape: [2, 3] }, node: { op: 'sigmoid' }, shape: [2, 3] }],
  silu: [{ input: { shape: [2, 3] }, node: { op: 'silu' }, shape: [2, 3] }],
  softmax: [{ input: { shape: [2, 3] }, node: { op: 'softmax', dim: 0 }, shape: [2, 3] }],
  logSoftmax: [{ input: { shape: [2, 3] }, node: { op: 'logSoftmax' }, shape: [2, 3] }],
  dropout: [{ input: { shape: [2, 3] }, node: { op: 'dropout', p: 0.3 }, shape: [2, 3] }],
  layerNorm: [
    {
      input: { shape: ['b', 3, 4] },
      node: { op: 'layerNorm', normalizedShape: [3, 4] },
      shape: ['b', 3, 4],
      weights: { 'n.weight': [3, 4], 'n.bias': [3, 4] },
    },
    {
      input: { shape: ['b', 4] },
      node: { op: 'layerNorm', normalizedShape: 4, elementwiseAffine: false },
      shape: ['b', 4],
      weights: {},
    },
  ],
  batchNorm: [
    {
      input: { shape: ['b', 3, 5, 5] },
      node: { op: 'batchNorm', numFeatures: 3 },
      shape: ['b', 3, 5, 5],
      weights: { 'n.weight': [3], 'n.bias': [3], 'n.running_mean': [3], 'n.running_var': [3] },
    },
  ],
  rmsNorm: [
    {
      input: { shape: ['b', 6] },
      node: { op: 'rmsNorm', normalizedShape: [6] },
      shape: ['b', 6],
      weights: { 'n.weight': [6] },
    },
  ],
  rnn: [
    {
      input: { shape: ['b', 't', 3] },
      node: {
        op: 'rnn',
        inputSize: 3,
        hiddenSize: 5,
        numLayers: 2,
        bidirectional: true,
        nonlinearity: 'relu',
      },
      shape: ['b', 't', 10],
      ports: { h_n: [4, 'b', 5] },
      // layer 1 reads both directions of layer 0: [H, 2H].
      weights: {
        'n.weight_ih_l0': [5, 3],
        'n.weight_hh_l0': [5, 5],
        'n.bias_ih_l0': [5],
        'n.bias_hh_l0': [5],
        'n.weight_ih_l0_reverse': [5, 3],
        'n.weight_hh_l0_reverse': [5, 5],
        'n.bias_ih_l0_reverse': [5],
        'n.bias_hh_l0_reverse': [5],
        'n.weight_ih_l1': [5, 10],
        'n.weight_hh_l1': [5, 5],
        'n.bias_ih_l1': [5],
        'n.bias_hh_l1': [5],
        'n.weight_ih_l1_reverse': [5, 10],
        'n.weight_hh_l1_reverse': [5, 5],
        'n.bias_ih_l1_reverse': [5],
        'n.bias_hh_l1_reverse': [5],
      },
    },
  ],
  lstm: [
    {
      input: { shape: ['b', 't', 3] },
      node: { op: 'lstm', inputSize: 3, hiddenSize: 2 },
      shape: ['b', 't', 2],
      ports: { h_n: [1, 'b', 2], c_n: [1, 'b', 2] },
      weights: {
        'n.weight_ih_l0': [8, 3],
        'n.weight_hh_l0': [8, 2],
        'n.bias_ih_l0': [8],
        'n.bias_hh_l0': [8],
      },
    },
  ],
  gru: [
    {
      input: { shape: [4, 7, 3] },
      node: { op: 'gru', inputSize: 3, hiddenSize: 2, bias: false },
      shape: [4, 7, 2],
      ports: { h_n: [1, 4, 2] },
      weights: { 'n.weight_ih_l0': [6, 3], 'n.weight_hh_l0': [6, 2] },
    },
  ],
  conv1d: [
    // L_out = floor((10 + 2·1 − 2·(3−1) − 1)/2) + 1 = floor(7/2) + 1 = 4
    {
      input: { shape: ['b', 4, 10] },
      node: {
        op: 'conv1d',
        inChannels: 4,
        outChannels: 6,
        kernelSize: 3,
        stride: 2,
        padding: 1,
        dilation: 2,
        groups: 2,
      },
      shape: ['b', 6, 4],
      weights: { 'n.weight': [6, 2, 3], 'n.bias': [6] },
    },
    {
      input: { shape: ['b', 2, 'L'] },
      node: { op: 'conv1d', inChannels: 2, outChannels: 3, kernelSize: 4, padding: 'same' },
      shape: ['b', 3, 'L'],
      weights: { 'n.weight': [3, 2, 4], 'n.bias': [3] },
    },
  ],
  conv2d: [
    // H_out = floor((9 + 0 − 3)/1) + 1 = 7; W_out = floor((8 + 2·2 − 5)/2) + 1 = 4
    {
      input: { shape: [1, 3, 9, 8] },
      node: {
        op: 'conv2d',
        inChannels: 3,
        outChannels: 2,
        kernelSize: [3, 5],
        stride: [1, 2],
        padding: [0, 2],
        bias: false,
      },
      shape: [1, 2, 7, 4],
      weights: { 'n.weight': [2, 3, 3, 5] },
    },
  ],
  maxPool1d: [
    // ceil_mode: ceil((7 + 0 − 2)/2) + 1 = 4; the last window starts at 6 < 7, so it stays.
    {
      input: { shape: [1, 2, 7] },
      node: { op: 'maxPool1d', kernelSize: 2, ceilMode: true },
      shape: [1, 2, 4],
    },
  ],
  maxPool2d: [
    // floor((6 + 2·1 − 2·(3−1) − 1)/1) + 1 = 4
    {
      input: { shape: [1, 1, 6, 6] },
      node: { op: 'maxPool2d', kernelSize: 3, stride: 1, padding: 1, dilation: 2 },
      shape: [1, 1, 4, 4],
    },
  ],
  avgPool1d: [
    // stride defaults to the kernel: floor((9 + 2 − 3)/3) + 1 = 3
    {
      input: { shape: [1, 2, 9] },
      node: { op: 'avgPool1d', kernelSize: 3, padding: 1 },
      shape: [1, 2, 3],
    },
  ],
  avgPool2d: [
    // ceil((5 + 2 − 2)/2) + 1 = 4; last window starts at 6 ≥ 5 + 1, so it is dropped: 3
    {
      input: { shape: [1, 1, 5, 5] },
      node: { op: 'avgPool2d', kernelSize: 2, stride: 2, padding: 1, ceilMode: true },
      shape: [1, 1, 3, 3],
    },
  ],
  globalAvgPool: [
    { input: { shape: ['b', 3, 5, 5] }, node: { op: 'globalAvgPool' }, shape: ['b', 3, 1, 1] },
  ],
  flatten: [{ input: { shape: ['b', 3, 4, 5] }, node: { op: 'flatten' }, shape: ['b', 60] }],
  reshape: [
    { input: { shape: [2, 3, 4] }, node: { op: 'reshape', shape: [6, -1] }, shape: [6, 4] },
  ],
  permute: [
    {
      input: { shape: ['b', 3, 't'] },
      node: { op: 'permute', dims: [0, 2, 1] },
      shape: ['b', 't', 3],
    },
  ],
  select: [
    { input: { shape: ['b', 't', 3] }, node: { op: 'select', dim: 1, index: -1 }, shape: ['b', 3] },
  ],
  mean: [
    { input: { shape: [2, 3, 4] }, node: { op: 'mean', dim: [0, -1] }, shape: [3] },
    { input: { shape: [2, 3, 4] }, node: { op: 'mean', dim: 1, keepdim: true }, shape: [2, 1, 4] },
  ],
  add: [{ input: { shape: [2, 3] }, node: { op: 'add', input: ['x', 'x'] }, shape: [2, 3] }],
  mul: [{ input: { shape: [2, 3] }, node: { op: 'mul', input: ['x', 'x'] }, shape: [2, 3] }],
  concat: [
    {
      input: { shape: [2, 3] },
      node: { op: 'concat', input: ['x', 'x', 'x'], dim: 1 },
      shape: [2, 9],
    },
  ],
  multiHeadAttention: [
    {
      input: { shape: ['b', 't', 8] },
      node: { op: 'multiHeadAttention', embedDim: 8, numHeads: 2, causal: true },
      shape: ['b', 't', 8],
      weights: {
        'n.in_proj_weight': [24, 8],
        'n.in_proj_bias': [24],
        'n.out_proj.weight': [8, 8],
        'n.out_proj.bias': [8],
      },
    },
  ],
  transformerEncoderLayer: [
    {
      input: { shape: ['b', 't', 8] },
      node: { op: 'transformerEncoderLayer', dModel: 8, nhead: 2, dimFeedforward: 16 },
      shape: ['b', 't', 8],
      weights: {
        'n.self_attn.in_proj_weight': [24, 8],
        'n.self_attn.in_proj_bias': [24],
        'n.self_attn.out_proj.weight': [8, 8],
        'n.self_attn.out_proj.bias': [8],
        'n.linear1.weight': [16, 8],
        'n.linear1.bias': [16],
        'n.linear2.weight': [8, 16],
        'n.linear2.bias': [8],
        'n.norm1.weight': [8],
        'n.norm1.bias': [8],
        'n.norm2.weight': [8],
        'n.norm2.bias': [8],
      },
    },
  ],
};

test('every op has an example', () => {
  expect(Object.keys(examples).sort()).toEqual([...opNames].sort());
});

describe.each(Object.entries(examples))('%s', (op, list) => {
  test.each(list.map((e, i) => [i, e] as const))('example %i: shape and manifest', (_i, e) => {
    const spec = one(e.input, e.node);
    const shapes = inferShapes(spec);
    expect(shapes.get('n')!.shape).toEqual(e.shape);
    for (const [port, shape] of Object.entries(e.ports ?? {}))
      expect(shapes.get(`n:${port}`)!.shape).toEqual(shape);
    const manifest = Object.fromEntries(weightManifest(spec).map((w) => [w.name, w.shape]));
    expect(manifest).toEqual(e.weights ?? {});
  });

  test('rejects an unknown attribute with its path', () => {
    const e = list[0];
    try {
      one(e.input, { ...e.node, notAnAttribute: 1 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).issues[0].path).toEqual(['nodes', 0, 'notAnAttribute']);
      expect((err as SpecError).message).toContain(`op "${op}"`);
    }
  });
});

describe('defaults follow PyTorch', () => {
  test('linear bias, conv stride/padding/dilation/groups, pool stride = kernel', () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [1, 2, 8] } },
      outputs: { y: 'p' },
      nodes: [
        { id: 'c', op: 'conv1d', inChannels: 2, outChannels: 2, kernelSize: 3 },
        { id: 'p', op: 'maxPool1d', kernelSize: 2 },
      ],
    });
    const [c, p] = spec.nodes as Record<string, unknown>[];
    expect(c).toMatchObject({ stride: 1, padding: 0, dilation: 1, groups: 1, bias: true });
    expect(p).toMatchObject({ padding: 0, ceilMode: false, dilation: 1 });
    expect(inferShapes(spec).get('p')!.shape).toEqual([1, 2, 3]);
  });

  test('transformerEncoderLayer and recurrent defaults', () => {
    const t = one({ shape: ['b', 't', 4] }, { op: 'transformerEncoderLayer', dModel: 4, nhead: 2 })
      .nodes[0];
    expect(t).toMatchObject({
      dimFeedforward: 2048,
      activation: 'relu',
      layerNormEps: 1e-5,
      normFirst: false,
      causal: false,
    });
    const r = one({ shape: ['b', 't', 4] }, { op: 'rnn', inputSize: 4, hiddenSize: 2 }).nodes[0];
    expect(r).toMatchObject({
      numLayers: 1,
      bias: true,
      bidirectional: false,
      nonlinearity: 'tanh',
    });
  });
});

describe('shape rules report the attribute', () => {
  const cases: [string, Example['input'], Record<string, unknown>, string][] = [
    [
      'width mismatch',
      { shape: ['b', 5] },
      { op: 'linear', inFeatures: 4, outFeatures: 2 },
      'inFeatures',
    ],
    [
      'heads do not divide',
      { shape: ['b', 't', 6] },
      { op: 'multiHeadAttention', embedDim: 6, numHeads: 4 },
      'numHeads',
    ],
    [
      'nhead does not divide',
      { shape: ['b', 't', 6] },
      { op: 'transformerEncoderLayer', dModel: 6, nhead: 4 },
      'nhead',
    ],
    [
      'kernel larger than padded input',
      { shape: [1, 1, 4] },
      { op: 'conv1d', inChannels: 1, outChannels: 1, kernelSize: 7, padding: 1 },
      'kernelSize',
    ],
    [
      'groups do not divide',
      { shape: [1, 3, 4] },
      { op: 'conv1d', inChannels: 3, outChannels: 4, kernelSize: 1, groups: 2 },
      'groups',
    ],
    [
      'same with stride',
      { shape: [1, 1, 8] },
      { op: 'conv1d', inChannels: 1, outChannels: 1, kernelSize: 3, padding: 'same', stride: 2 },
      'padding',
    ],
    [
      'pool padding over half the kernel',
      { shape: [1, 1, 8] },
      { op: 'maxPool1d', kernelSize: 2, padding: 2 },
      'padding',
    ],
    [
      'sequence longer than maxLength',
      { shape: [1, 10, 4] },
      { op: 'positionalEmbedding', maxLength: 8, embeddingDim: 4 },
      'maxLength',
    ],
    ['select index out of range', { shape: [2, 3] }, { op: 'select', dim: 1, index: 3 }, 'index'],
    ['permutation repeats a dim', { shape: [2, 3] }, { op: 'permute', dims: [0, 0] }, 'dims'],
    ['reshape element count', { shape: [2, 3] }, { op: 'reshape', shape: [4, 2] }, 'shape'],
    ['dim out of range', { shape: [2, 3] }, { op: 'softmax', dim: 2 }, 'dim'],
    [
      'layer norm shape',
      { shape: [2, 3] },
      { op: 'layerNorm', normalizedShape: [4] },
      'normalizedShape',
    ],
    [
      'lstm input size',
      { shape: [2, 3, 5] },
      { op: 'lstm', inputSize: 4, hiddenSize: 2 },
      'inputSize',
    ],
    [
      'batch norm channels',
      { shape: [2, 3, 5] },
      { op: 'batchNorm', numFeatures: 4 },
      'numFeatures',
    ],
  ];
  test.each(cases)('%s', (_name, input, node, attr) => {
    try {
      one(input, node);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).issues[0].path).toEqual(['nodes', 0, attr]);
    }
  });

  test('rank errors blame the node', () => {
    expect(() =>
      one({ shape: [2, 3] }, { op: 'conv2d', inChannels: 3, outChannels: 1, kernelSize: 1 }),
    ).toThrow(/nodes\[0\]: conv2d expects/);
  });
});
