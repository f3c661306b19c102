// Code paths that are specific to the tfjs compiler and that the conformance catalogue does not
// single out: the channels-last layout across mixed graphs, convolutions that tfjs cannot run
// directly (stride with dilation, depthwise with stride/dilation), dilated strided max pools,
// and the op counts that show where transposes and matMuls happen.
import * as tf from '@tensorflow/tfjs';
import {
  defaultBindings,
  initWeights,
  type ModelSpec,
  type NodeInput,
  randomInputs,
} from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend, forward, prepareWeights } from '../src/index.js';
import { CHUNK } from '../src/kernels/recurrent.js';
import { expectMatchesReference, spec, variants } from './compare.js';

const image = (c: number, h: number, w: number) => ({
  x: { dtype: 'float32' as const, shape: ['batch', c, h, w] },
});
const graph = (
  inputs: ReturnType<typeof image>,
  nodes: NodeInput[],
  outputs?: Record<string, string>,
) => spec({ inputs, outputs: outputs ?? { y: nodes[nodes.length - 1].id }, nodes });

const cases: Record<string, ModelSpec> = {
  'depthwise conv with stride and dilation': graph(image(3, 11, 10), [
    {
      id: 'c',
      op: 'conv2d',
      inChannels: 3,
      outChannels: 6,
      kernelSize: 3,
      stride: [2, 3],
      dilation: 2,
      groups: 3,
      padding: 1,
    },
  ]),
  'conv with stride 2 and dilation 3, no groups': graph(image(2, 13, 12), [
    {
      id: 'c',
      op: 'conv2d',
      inChannels: 2,
      outChannels: 3,
      kernelSize: [2, 3],
      stride: 2,
      dilation: [3, 2],
      padding: [1, 2],
    },
  ]),
  'grouped conv1d with stride and dilation': spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 6, 19] } },
    outputs: { y: 'c' },
    nodes: [
      {
        id: 'c',
        op: 'conv1d',
        inChannels: 6,
        outChannels: 9,
        kernelSize: 3,
        stride: 2,
        dilation: 2,
        groups: 3,
      },
    ],
  }),
  'dilated max pool with stride, padding and ceil mode': graph(image(2, 9, 10), [
    {
      id: 'p',
      op: 'maxPool2d',
      kernelSize: 3,
      stride: 2,
      padding: 1,
      dilation: [2, 1],
      ceilMode: true,
    },
  ]),
  'avg pool whose ceil-mode window would start in the right padding': graph(image(2, 5, 5), [
    {
      id: 'p',
      op: 'avgPool2d',
      kernelSize: 2,
      stride: 2,
      padding: 1,
      ceilMode: true,
      countIncludePad: false,
    },
  ]),
  'channels-last branch added to a PyTorch-layout input': graph(image(3, 6, 6), [
    { id: 'c', op: 'conv2d', input: 'x', inChannels: 3, outChannels: 3, kernelSize: 3, padding: 1 },
    { id: 's', op: 'add', input: ['c', 'x'] },
    { id: 'r', op: 'relu' },
  ]),
  'squeeze-excite: channels-last mul by a pooled [N, C, 1, 1] gate': graph(image(4, 5, 5), [
    { id: 'c', op: 'conv2d', input: 'x', inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1 },
    { id: 'g', op: 'globalAvgPool', input: 'c' },
    { id: 'sg', op: 'sigmoid', input: 'g' },
    { id: 'm', op: 'mul', input: ['c', 'sg'] },
  ]),
  'conv output read by both a conv and a flatten (one transpose each way)': graph(
    image(2, 4, 4),
    [
      { id: 'c1', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 1 },
      { id: 'c2', op: 'conv2d', input: 'c1', inChannels: 3, outChannels: 2, kernelSize: 3 },
      { id: 'f', op: 'flatten', input: 'c1' },
      { id: 'bn', op: 'batchNorm', input: 'c2', numFeatures: 2 },
    ],
    { flat: 'f', bn: 'bn' },
  ),
  'relu fused into conv and linear, and not where the producer has another reader': spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 2, 5, 5] } },
    outputs: { y: 'fc', pre: 'c2' },
    nodes: [
      { id: 'c1', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r1', op: 'relu' },
      { id: 'c2', op: 'conv2d', inChannels: 3, outChannels: 2, kernelSize: 2, groups: 1 },
      { id: 'r2', op: 'relu' },
      { id: 'flat', op: 'flatten' },
      { id: 'fc', op: 'linear', inFeatures: 8, outFeatures: 3 },
      { id: 'r3', op: 'relu' },
    ],
  }),
  'batchNorm on a PyTorch-layout input and after conv1d': spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 3, 7] } },
    outputs: { a: 'bn1', b: 'bn2' },
    nodes: [
      { id: 'bn1', op: 'batchNorm', input: 'x', numFeatures: 3 },
      { id: 'c', op: 'conv1d', input: 'x', inChannels: 3, outChannels: 4, kernelSize: 3 },
      { id: 'bn2', op: 'batchNorm', input: 'c', numFeatures: 4, affine: false },
    ],
  }),
  'concat of two conv outputs along channels, then a pool': graph(image(2, 6, 6), [
    { id: 'a', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 2, kernelSize: 1 },
    { id: 'b', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1 },
    { id: 'cat', op: 'concat', input: ['a', 'b'], dim: 1 },
    { id: 'p', op: 'maxPool2d', kernelSize: 2 },
  ]),
  'recurrence h_n and c_n ports with a multi-layer bidirectional lstm': spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
    outputs: { y: 'l', h: 'l:h_n', c: 'l:c_n' },
    nodes: [
      { id: 'l', op: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
    ],
  }),
  'gru h_n feeding a linear': spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
    outputs: { y: 'head' },
    nodes: [
      { id: 'g', op: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 3, bias: false },
      { id: 'last', op: 'select', input: 'g:h_n', dim: 0, index: -1 },
      { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 2 },
    ],
  }),
  'node ids that are Object.prototype names': spec({
    inputs: { valueOf: { dtype: 'float32' as const, shape: ['batch', 3] } },
    outputs: { toString: '__proto__' },
    nodes: [
      { id: 'hasOwnProperty', op: 'linear', input: 'valueOf', inFeatures: 3, outFeatures: 2 },
      { id: '__proto__', op: 'tanh' },
    ],
  }),
};

describe.each(variants)('tfjs:%s', (variant) => {
  for (const [name, model] of Object.entries(cases)) {
    test(name, () => expectMatchesReference(variant, model, { bindings: { batch: 2, time: 5 } }));
  }
});

/** The kernels tfjs runs for one forward pass of `model`. */
async function kernelNames(model: ModelSpec, bindings: Record<string, number>): Promise<string[]> {
  await createBackend({ variant: 'cpu' });
  const weights = initWeights(model, 1);
  const inputs = randomInputs(model, defaultBindings(model, bindings), 2);
  const raw = new Map([...weights].map(([k, t]) => [k, tf.tensor(t.data, t.shape)]));
  const prepared = prepareWeights(model, raw);
  const feeds = Object.fromEntries(
    Object.entries(inputs).map(([k, t]) => [
      k,
      tf.tensor(t.data, t.shape, t.dtype as 'float32' | 'int32'),
    ]),
  );
  const info = await tf.profile(() =>
    tf.tidy(() => Object.values(forward(model, prepared, feeds))),
  );
  tf.dispose([...raw.values(), ...prepared.values(), ...Object.values(feeds)]);
  return info.kernels.map((k) => k.name);
}

describe('where the work happens', () => {
  test('a conv/bn/relu/pool/add/mul stack transposes only at its two boundaries', async () => {
    const model = graph(image(3, 8, 8), [
      {
        id: 'c1',
        op: 'conv2d',
        input: 'x',
        inChannels: 3,
        outChannels: 4,
        kernelSize: 3,
        padding: 1,
      },
      { id: 'bn1', op: 'batchNorm', numFeatures: 4 },
      { id: 'r1', op: 'relu' },
      { id: 'c2', op: 'conv2d', inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1 },
      { id: 'sum', op: 'add', input: ['c2', 'r1'] },
      { id: 'g', op: 'globalAvgPool', input: 'sum' },
      { id: 'gate', op: 'sigmoid' },
      { id: 'scaled', op: 'mul', input: ['sum', 'gate'] },
      { id: 'p', op: 'maxPool2d', kernelSize: 2 },
      { id: 'a', op: 'avgPool2d', kernelSize: 2 },
      { id: 'f', op: 'flatten' },
    ]);
    const names = await kernelNames(model, { batch: 2 });
    expect(names.filter((n) => n === 'Transpose')).toHaveLength(2);
  });

  test('a relu after a conv or linear that nothing else reads runs inside its fused kernel', async () => {
    const model = graph(image(2, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r1', op: 'relu' },
      { id: 'f', op: 'flatten' },
      { id: 'fc', op: 'linear', inFeatures: 48, outFeatures: 4 },
      { id: 'r2', op: 'relu' },
    ]);
    expect(await kernelNames(model, { batch: 2 })).not.toContain('Relu');
    // Read twice, the conv's output must stay as it is: the relu runs on its own.
    const shared = graph(image(2, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r', op: 'relu' },
      { id: 's', op: 'add', input: ['r', 'c'] },
    ]);
    expect((await kernelNames(shared, { batch: 2 })).filter((n) => n === 'Relu')).toHaveLength(1);
  });

  test('moving a channel axis of size 1 is a reshape, not a transpose', async () => {
    const model = graph(image(1, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 1, outChannels: 1, kernelSize: 3 },
      { id: 'f', op: 'flatten' },
    ]);
    expect(await kernelNames(model, { batch: 2 })).not.toContain('Transpose');
  });

  test('a recurrence projects its inputs in one matMul per CHUNK steps, per layer and direction', async () => {
    const t = CHUNK + 3;
    const model = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
      outputs: { y: 'l' },
      nodes: [
        { id: 'l', op: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
      ],
    });
    const names = await kernelNames(model, { batch: 2, time: t });
    const matMuls = names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul');
    // Per layer, direction and gate (4 for lstm): 2 input projections (CHUNK steps, then 3)
    // and T − 1 recurrent matMuls (step 0 starts from h = 0).
    expect(matMuls).toHaveLength(2 * 2 * 4 * (2 + (t - 1)));
  });
});
