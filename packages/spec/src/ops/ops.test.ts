// Per-op schema, shape and manifest checks over every op's own examples (`examples` in its op
// file: PyTorch's shapes and weight layouts, worked out by hand from the torch.nn documentation).
import { describe, expect, test } from 'vitest';
import { SpecError } from '../errors.js';
import { inferShapes, parseSpec } from '../graph.js';
import { weightManifest } from '../weights.js';
import type { OpExample } from './common.js';
import { compositeOps, opDef, opNames, opRegistry } from './registry.js';

type Shape = (number | string)[];

function one(
  input: { dtype?: 'float32' | 'int32'; shape: Shape },
  node: Record<string, unknown>,
  extraInputs: OpExample['extraInputs'] = [],
) {
  const extra = Object.fromEntries(
    extraInputs.map((t, i) => [`x${i + 1}`, { dtype: t.dtype ?? 'float32', shape: t.shape }]),
  );
  // An example naming lengths inputs gets them as int32 [batch] model inputs.
  for (const attr of ['lengths', 'memoryLengths'])
    if (typeof node[attr] === 'string')
      extra[node[attr] as string] = { dtype: 'int32', shape: [input.shape[0]] };
  return parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: input.dtype ?? 'float32', shape: input.shape }, ...extra },
    outputs: { y: 'n' },
    nodes: [
      {
        id: 'n',
        ...node,
        input: ['x', ...extraInputs.map((_, i) => `x${i + 1}`)],
      },
    ],
  });
}

// Each op's examples live in its op file (`examples`); every op must have one.
test('every op has an example', () => {
  expect(opNames.filter((op) => opRegistry[op].examples.length === 0)).toEqual([]);
});

test('the composites are exactly the ops with a decomposition', () => {
  const withDecomposition = opNames.filter((op) => opDef(op)!.decompose !== undefined);
  expect([...compositeOps].sort()).toEqual(withDecomposition.sort());
});

describe.each(opNames.map((op) => [op, opRegistry[op].examples] as const))('%s', (op, list) => {
  test.each(list.map((e, i) => [i, e] as const))('example %i: shape and manifest', (_i, e) => {
    const spec = one(e.input, { op, ...e.node }, e.extraInputs);
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
      one(e.input, { op, ...e.node, notAnAttribute: 1 }, e.extraInputs);
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
  const cases: [string, OpExample['input'], Record<string, unknown>, string][] = [
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
