// The lowerings whose options the conformance catalogue does not vary: every attention path
// (causal or not, time known at compile time or bound at run time), recurrent states as outputs,
// pools with symbolic spatial sizes, the opset-dependent rmsNorm, every preset. Each is compared against the float64 reference on both Node.js variants.

import type { Backend } from '@tessera/spec';
import { buildPreset, initWeights, type PresetName, presets } from '@tessera/spec';
import { beforeAll, describe, expect, test } from 'vitest';
import { attentionPaths, createBackend } from '../src/index.js';
import { expectMatchesReference, spec } from './helpers.js';

const variants = ['node', 'wasm'] as const;

function mha(time: number | string, causal: boolean) {
  return spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', time, 16] } },
    outputs: { y: 'attn' },
    nodes: [{ id: 'attn', op: 'multiHeadAttention', embedDim: 16, numHeads: 4, causal }],
  });
}

function encoderLayer(normFirst: boolean, activation: 'relu' | 'gelu') {
  return spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 16] } },
    outputs: { y: 'block' },
    nodes: [
      {
        id: 'block',
        op: 'transformerEncoderLayer',
        dModel: 16,
        nhead: 2,
        dimFeedforward: 32,
        normFirst,
        activation,
        causal: true,
        dropout: 0,
      },
    ],
  });
}

describe.each(variants)('ort:%s', (variant) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend({ variant });
  });

  describe.each(attentionPaths)('attention %s', (attention) => {
    test.each([
      ['causal, symbolic time', 'time', true],
      ['causal, static time', 5, true],
      ['not causal, symbolic time', 'time', false],
    ] as const)('%s', async (_label, time, causal) => {
      await expectMatchesReference(backend, mha(time, causal), {
        bindings: { batch: 2, time: 6 },
        compileOptions: { attention },
      });
    });

    test.each([
      ['pre-norm, gelu', true, 'gelu'],
      ['post-norm, relu', false, 'relu'],
    ] as const)('encoder layer %s', async (_label, normFirst, activation) => {
      await expectMatchesReference(backend, encoderLayer(normFirst, activation), {
        bindings: { batch: 2, time: 5 },
        compileOptions: { attention },
      });
    });
  });

  test('bidirectional 2-layer LSTM with h_n and c_n as outputs', async () => {
    const s = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 5] } },
      outputs: { y: 'enc', h: 'enc:h_n', c: 'enc:c_n' },
      nodes: [
        { id: 'enc', op: 'lstm', inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true },
      ],
    });
    await expectMatchesReference(backend, s, { bindings: { batch: 3, time: 7 } });
  });

  test.each(['rnn', 'gru'] as const)(
    'bidirectional 2-layer %s without bias, relu where it applies, h_n read by a node',
    async (op) => {
      const s = spec({
        inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 4] } },
        outputs: { y: 'sum' },
        nodes: [
          {
            id: 'enc',
            op,
            inputSize: 4,
            hiddenSize: 3,
            numLayers: 2,
            bidirectional: true,
            bias: false,
            ...(op === 'rnn' ? { nonlinearity: 'relu' } : {}),
          },
          { id: 'last', op: 'select', input: 'enc:h_n', dim: 0, index: -1 },
          { id: 'first_step', op: 'select', input: 'enc', dim: 1, index: 0 },
          { id: 'sum', op: 'concat', input: ['last', 'first_step'], dim: 1 },
        ],
      });
      await expectMatchesReference(backend, s, { bindings: { batch: 2, time: 5 } });
    },
  );

  test('grouped, dilated conv2d with "same" padding and conv1d with stride', async () => {
    const s = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 4, 9, 8] } },
      outputs: { y: 'c1', z: 'c2' },
      nodes: [
        {
          id: 'c1',
          op: 'conv2d',
          inChannels: 4,
          outChannels: 6,
          kernelSize: [3, 2],
          dilation: [2, 3],
          groups: 2,
          padding: 'same',
        },
        { id: 'flat', op: 'reshape', input: 'x', shape: [-1, 4, 72] },
        {
          id: 'c2',
          op: 'conv1d',
          inChannels: 4,
          outChannels: 2,
          kernelSize: 4,
          stride: 3,
          padding: 2,
          dilation: 2,
          groups: 2,
        },
      ],
    });
    await expectMatchesReference(backend, s, { bindings: { batch: 2 } });
  });

  test.each([
    ['maxPool1d', { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }],
    ['maxPool1d', { kernelSize: 2, stride: 3, padding: 1, dilation: 2, ceilMode: true }],
    ['avgPool1d', { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
    ['avgPool1d', { kernelSize: 3, stride: 2, ceilMode: true }],
  ] as const)('%s %j with a symbolic length (ceil mode left to ORT)', async (op, attrs) => {
    const s = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 2, 'len'] } },
      outputs: { y: 'pool' },
      nodes: [{ id: 'pool', op, ...attrs }],
    });
    for (const len of [6, 7, 10])
      await expectMatchesReference(backend, s, { bindings: { batch: 2, len } });
  });

  test('max pool whose ceil-mode padding reaches the kernel size goes through a -inf Pad', async () => {
    // L = 10, k = 2, dilation 3 (span 4), s = 5, p = 1: out = ceil((10 + 2 - 4) / 5) + 1 = 3, the
    // last window starts at 10 < L + p, so it stays; it needs 2·5 + 4 - 12 = 2 more cells at the
    // end, i.e. an end pad of 3 ≥ k, which ORT's pads attribute refuses.
    const s = spec({
      inputs: { x: { dtype: 'float32', shape: [1, 2, 10] } },
      outputs: { y: 'pool' },
      nodes: [
        {
          id: 'pool',
          op: 'maxPool1d',
          kernelSize: 2,
          dilation: 3,
          stride: 5,
          padding: 1,
          ceilMode: true,
        },
      ],
    });
    await expectMatchesReference(backend, s);
  });

  test.each([21, 23])(
    'rmsNorm at opset %i (decomposed below 23, RMSNormalization from 23)',
    async (opset) => {
      const s = spec({
        inputs: { x: { dtype: 'float32', shape: ['batch', 3, 4, 5] } },
        outputs: { y: 'a', z: 'b' },
        nodes: [
          { id: 'a', op: 'rmsNorm', normalizedShape: [4, 5] },
          {
            id: 'b',
            op: 'rmsNorm',
            input: 'x',
            normalizedShape: 5,
            elementwiseAffine: false,
            eps: 1e-3,
          },
        ],
      });
      await expectMatchesReference(backend, s, { compileOptions: { opset } });
    },
  );

  test('positional embeddings (learned and sinusoidal), flatten with symbolic dims, mean, silu, logSoftmax', async () => {
    const s = spec({
      inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
      outputs: { y: 'logp', m: 'avg', f: 'flat' },
      nodes: [
        { id: 'embed', op: 'embedding', numEmbeddings: 11, embeddingDim: 6 },
        { id: 'learned', op: 'positionalEmbedding', maxLength: 9, embeddingDim: 6 },
        { id: 'sin', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 9, embeddingDim: 6 },
        { id: 'act', op: 'silu' },
        { id: 'logp', op: 'logSoftmax', dim: 1 },
        { id: 'avg', op: 'mean', input: 'act', dim: [0, -1], keepdim: true },
        { id: 'flat', op: 'flatten', input: 'act', startDim: 0, endDim: 1 },
      ],
    });
    await expectMatchesReference(backend, s, { bindings: { batch: 2, time: 9 } });
  });

  test('an output that is a model input keeps its dtype (int32 ids echoed back)', async () => {
    const s = spec({
      inputs: { ids: { dtype: 'int32', shape: ['batch', 3] } },
      outputs: { y: 'embed', echo: 'ids' },
      nodes: [{ id: 'embed', op: 'embedding', numEmbeddings: 7, embeddingDim: 2 }],
    });
    const model = await backend.compile(s, initWeights(s, 1));
    const ids = { dtype: 'int32' as const, shape: [2, 3], data: Int32Array.of(0, 1, 2, 6, 5, 4) };
    const out = await model.run({ ids });
    await model.dispose();
    expect(out.echo).toEqual({ dtype: 'int32', shape: [2, 3], data: ids.data });
    expect(out.y.shape).toEqual([2, 3, 2]);
  });

  test('transformerLM with the time fixed in the spec (static mask and positional slice)', async () => {
    const { format: _format, ...lm } = buildPreset('transformerLM');
    const fixed = spec({ ...lm, inputs: { tokens: { dtype: 'int32', shape: ['batch', 7] } } });
    await expectMatchesReference(backend, fixed, { bindings: { batch: 2 } });
  });

  test.each(Object.keys(presets) as PresetName[])('preset %s', async (name) => {
    await expectMatchesReference(backend, buildPreset(name), {
      bindings: { batch: 2, time: 6, frames: 7 },
    });
  });
});
