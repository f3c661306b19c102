// Edge values: large logits, long recurrences, odd (prime) sizes, length-1 sequences; names that
// mean something to JavaScript.
import { tensor } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { at, defineCase, inf, seq, seqBindings, unaryCase } from './define.js';
import { recurrentCase } from './recurrent.js';

const long = (cell: 'rnn' | 'lstm' | 'gru') => {
  const c = recurrentCase(cell, { name: 'long', inputSize: 3, hiddenSize: 5, time: 256, batch: 1 });
  return {
    ...c,
    id: `edge/${cell}-256-steps`,
    description: '256 steps: float32 error accumulates through the recurrence',
  };
};

/**
 * The `edge/*` cases: hard numbers (magnitudes of 80 and 120, saturation, NaN and ±Inf), odd
 * sizes (prime widths, time 1, batch 1), several or int32 outputs, and names that are
 * Object.prototype members (`__proto__`, `valueOf`).
 */
export const edgeCases: ConformanceCase[] = [
  unaryCase(
    'edge/softmax-magnitude-80',
    seq(13),
    { id: 'sm', op: 'softmax', dim: -1 },
    {
      description: 'logits in [-80, 80): needs the max subtracted before exp in float32',
      bindings: seqBindings(3),
      inputScale: 80,
    },
  ),
  unaryCase(
    'edge/logSoftmax-magnitude-80',
    seq(13),
    { id: 'lsm', op: 'logSoftmax', dim: -1 },
    {
      description: 'logits in [-80, 80)',
      bindings: seqBindings(3),
      inputScale: 80,
    },
  ),
  unaryCase(
    'edge/softmax-magnitude-120',
    seq(7),
    { id: 'sm', op: 'softmax', dim: -1 },
    {
      description: 'e^120 overflows float32: only a max-subtracted softmax survives',
      bindings: seqBindings(3),
      inputScale: 120,
    },
  ),
  unaryCase(
    'edge/logSoftmax-magnitude-120',
    seq(7),
    { id: 'lsm', op: 'logSoftmax', dim: -1 },
    {
      description: 'e^120 overflows float32',
      bindings: seqBindings(3),
      inputScale: 120,
    },
  ),
  unaryCase(
    'edge/sigmoid-saturated',
    seq(7),
    { id: 'act', op: 'sigmoid' },
    { description: 'inputs in [-40, 40)', bindings: seqBindings(), inputScale: 40 },
  ),
  unaryCase(
    'edge/gelu-tails',
    seq(7),
    { id: 'act', op: 'gelu' },
    { description: 'erf far out in both tails', bindings: seqBindings(), inputScale: 12 },
  ),
  long('rnn'),
  long('lstm'),
  long('gru'),
  defineCase('edge/prime-widths', {
    description:
      'widths 7 → 13 → 11 with a layer norm on 13: no size divides evenly into vector lanes',
    inputs: { x: { shape: seq(7) } },
    nodes: [
      { id: 'fc1', op: 'linear', inFeatures: 7, outFeatures: 13 },
      { id: 'ln', op: 'layerNorm', normalizedShape: [13] },
      { id: 'act', op: 'silu' },
      { id: 'fc2', op: 'linear', inFeatures: 13, outFeatures: 11 },
    ],
    bindings: seqBindings(3, 5),
  }),
  defineCase('edge/time1-stack', {
    description: 'a sequence of length 1 through attention, a recurrence and mean pooling',
    inputs: { x: { shape: seq(6) } },
    nodes: [
      { id: 'attn', op: 'multiHeadAttention', embedDim: 6, numHeads: 3, causal: true },
      { id: 'rec', op: 'gru', inputSize: 6, hiddenSize: 4, bidirectional: true },
      { id: 'pool', op: 'mean', dim: 1 },
    ],
    bindings: seqBindings(1, 2),
  }),
  defineCase('edge/batch1-conv', {
    description: 'batch 1, a length-1 output',
    inputs: { x: { shape: ['batch', 2, 5] } },
    nodes: [{ id: 'conv', op: 'conv1d', inChannels: 2, outChannels: 3, kernelSize: 5 }],
    bindings: { batch: 1 },
  }),
  defineCase('edge/multiple-outputs', {
    description: 'three outputs, one of them an intermediate node',
    inputs: { x: { shape: seq(5) } },
    nodes: [
      { id: 'fc', op: 'linear', inFeatures: 5, outFeatures: 4 },
      { id: 'act', op: 'relu' },
      { id: 'sm', op: 'softmax' },
    ],
    outputs: { hidden: 'fc', probs: 'sm', features: 'act' },
    bindings: seqBindings(),
  }),
  {
    ...defineCase('edge/special-values', {
      description:
        'each activation at 0, −0, tiny and subnormal values, ±3 and ±20 (explicit inputs)',
      inputs: { x: { shape: [1, 10] } },
      nodes: [
        { id: 'relu', op: 'relu', input: 'x' },
        { id: 'gelu', op: 'gelu', input: 'x' },
        { id: 'gelu_tanh', op: 'gelu', input: 'x', approximate: 'tanh' },
        { id: 'silu', op: 'silu', input: 'x' },
        { id: 'sigmoid', op: 'sigmoid', input: 'x' },
        { id: 'tanh', op: 'tanh', input: 'x' },
        { id: 'softmax', op: 'softmax', input: 'x' },
      ],
      outputs: {
        relu: 'relu',
        gelu: 'gelu',
        gelu_tanh: 'gelu_tanh',
        silu: 'silu',
        sigmoid: 'sigmoid',
        tanh: 'tanh',
        softmax: 'softmax',
      },
    }),
    // 1e-40 is a float32 subnormal; a backend that flushes it to zero is still within atol.
    inputs: () => ({
      x: tensor('float32', [1, 10], [0, -0, 1e-40, -1e-30, 1e-3, 3, -3, 20, -20, 0.5]),
    }),
  },
  saturating(),
  int32Output(),
  defineCase('edge/computed-nan', {
    description:
      'NaN made by the backend (inf + −inf, its sign bit set on x86 and wasm) into each activation, ' +
      'a softmax and a max pool: each keeps it, as PyTorch does',
    inputs: { a: { shape: [2, 6] }, b: { shape: [2, 6] } },
    nodes: [
      { id: 's', op: 'add', input: ['a', 'b'] },
      { id: 'relu', op: 'relu', input: 's' },
      { id: 'gelu', op: 'gelu', input: 's' },
      { id: 'geluTanh', op: 'gelu', input: 's', approximate: 'tanh' },
      { id: 'silu', op: 'silu', input: 's' },
      { id: 'sigmoid', op: 'sigmoid', input: 's' },
      { id: 'tanh', op: 'tanh', input: 's' },
      { id: 'softmax', op: 'softmax', input: 's', dim: 0 },
      { id: 'planes', op: 'reshape', input: 's', shape: [2, 1, 6] },
      { id: 'pool', op: 'maxPool1d', kernelSize: 2 },
    ],
    outputs: {
      relu: 'relu',
      gelu: 'gelu',
      geluTanh: 'geluTanh',
      silu: 'silu',
      sigmoid: 'sigmoid',
      tanh: 'tanh',
      softmax: 'softmax',
      pool: 'pool',
    },
    special: {
      a: at([[0, 2], inf], [[1, 5], -inf], [[1, 0], inf]),
      b: at([[0, 2], -inf], [[1, 5], inf], [[1, 0], -inf]),
    },
  }),
  defineCase('edge/prototype-names', {
    description: 'node, input and output names that are Object.prototype members',
    inputs: { valueOf: { shape: ['batch', 3] } },
    nodes: [
      { id: 'hasOwnProperty', op: 'linear', input: 'valueOf', inFeatures: 3, outFeatures: 2 },
      { id: '__proto__', op: 'tanh' },
    ],
    outputs: { toString: '__proto__' },
    bindings: { batch: 2 },
  }),
  // Ids allow [A-Za-z_][A-Za-z0-9_]*; the spec refuses __proto__, constructor and prototype as
  // input or output names, not as node ids.
  defineCase('edge/js-names', {
    description: 'every name a JavaScript global, keyword or Object member, `then` an output',
    inputs: {
      eval: { shape: ['batch', 4, 8] },
      Object: { dtype: 'int32', shape: ['batch', 4] },
    },
    outputs: {
      toString: 'constructor',
      valueOf: '__proto__',
      hasOwnProperty: 'Function:h_n',
      eval: 'toString',
      // biome-ignore lint/suspicious/noThenProperty: a hostile output name, on purpose (thenables)
      then: 'arguments',
      Symbol: 'Reflect',
    },
    nodes: [
      { id: 'toString', op: 'embedding', input: 'Object', numEmbeddings: 16, embeddingDim: 8 },
      { id: 'this', op: 'add', input: ['eval', 'toString'] },
      { id: 'window', op: 'multiHeadAttention', embedDim: 8, numHeads: 2, causal: true },
      { id: '__proto__', op: 'layerNorm', normalizedShape: [8] },
      { id: 'Function', op: 'lstm', inputSize: 8, hiddenSize: 4 },
      { id: 'require', op: 'select', input: 'Function', dim: 1, index: -1 },
      { id: 'constructor', op: 'linear', inFeatures: 4, outFeatures: 3 },
      {
        id: 'globalThis',
        op: 'conv1d',
        input: 'eval',
        inChannels: 4,
        outChannels: 6,
        kernelSize: 3,
        padding: 'same',
      },
      { id: 'process', op: 'batchNorm', numFeatures: 6 },
      { id: 'alert', op: 'gelu' },
      { id: 'await', op: 'avgPool1d', kernelSize: 2, padding: 1, countIncludePad: false },
      { id: 'import', op: 'maxPool1d', kernelSize: 2 },
      { id: 'prototype', op: 'permute', dims: [0, 2, 1] },
      { id: 'arguments', op: 'mean', dim: [1] },
      // The attention primitives, on the attention's output [batch, 4, 8].
      { id: 'Symbol', op: 'slice', input: 'window', dim: -1, start: 2, end: 6 },
      { id: 'setTimeout', op: 'matmul', input: ['Symbol', 'Symbol'] },
      { id: 'Proxy', op: 'scale', factor: 0.5 },
      { id: 'fetch', op: 'causalMask' },
      { id: 'module', op: 'softmax', dim: -1 },
      { id: 'Reflect', op: 'unflatten', dim: -1, sizes: [2, 2] },
    ],
    bindings: { batch: 2 },
  }),
  defineCase('edge/token-pipeline', {
    description:
      'token embeddings with learned then sinusoidal positions, silu, logSoftmax over time, ' +
      'a mean over batch and features, a flatten of batch and time',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: 11, embeddingDim: 6 },
      { id: 'learned', op: 'positionalEmbedding', maxLength: 9, embeddingDim: 6 },
      { id: 'sin', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 9, embeddingDim: 6 },
      { id: 'act', op: 'silu' },
      { id: 'logp', op: 'logSoftmax', dim: 1 },
      { id: 'avg', op: 'mean', input: 'act', dim: [0, -1], keepdim: true },
      { id: 'flat', op: 'flatten', input: 'act', startDim: 0, endDim: 1 },
    ],
    outputs: { y: 'logp', m: 'avg', f: 'flat' },
    bindings: seqBindings(9),
  }),
];

/**
 * tanh, σ, silu, gelu and the three recurrences at |x| up to 3e38, with weights of 1 (explicit),
 * so that the gate pre-activations are as large as the inputs: an e^(2x) that overflows float32
 * must not turn into NaN.
 */
function saturating(): ConformanceCase {
  // The last three, past saturation, let W_hh·h show in the recurrences' outputs.
  const xs = [
    0, -0, 1e-40, 1e-3, -1e-3, 0.5, -3, 20, -20, 44, -44, 100, -100, 1e4, -1e4, 3e38, -3e38, 0.3,
    -0.7, 1.5,
  ];
  const c = defineCase('edge/saturating-activations', {
    description: 'activations and recurrences at |x| up to 3e38, recurrent weights of 1',
    inputs: { x: { shape: [1, xs.length] } },
    nodes: [
      { id: 'tanh', op: 'tanh', input: 'x' },
      { id: 'sigmoid', op: 'sigmoid', input: 'x' },
      { id: 'silu', op: 'silu', input: 'x' },
      { id: 'geluTanh', op: 'gelu', input: 'x', approximate: 'tanh' },
      { id: 'gelu', op: 'gelu', input: 'x' },
      // Each element one time step of one feature, so every gate sees the large values too.
      { id: 'seq', op: 'reshape', input: 'x', shape: [1, xs.length, 1] },
      { id: 'rnn', op: 'rnn', input: 'seq', inputSize: 1, hiddenSize: 2 },
      { id: 'lstm', op: 'lstm', input: 'seq', inputSize: 1, hiddenSize: 2 },
      { id: 'gru', op: 'gru', input: 'seq', inputSize: 1, hiddenSize: 2 },
    ],
    outputs: {
      tanh: 'tanh',
      sigmoid: 'sigmoid',
      silu: 'silu',
      geluTanh: 'geluTanh',
      gelu: 'gelu',
      rnn: 'rnn',
      lstm: 'lstm',
      gru: 'gru',
    },
  });
  const filled = (shape: number[], value: number) =>
    tensor('float32', shape, new Float32Array(shape[0] * (shape[1] ?? 1)).fill(value));
  return {
    ...c,
    inputs: () => ({ x: tensor('float32', [1, xs.length], xs) }),
    // Gate rows: 1 for rnn, 4 for lstm, 3 for gru, each of hiddenSize 2.
    weights: () =>
      new Map(
        (
          [
            ['rnn', 2],
            ['lstm', 8],
            ['gru', 6],
          ] as const
        ).flatMap(([id, g]) => [
          [`${id}.weight_ih_l0`, filled([g, 1], 1)],
          [`${id}.weight_hh_l0`, filled([g, 2], 0.5)],
          [`${id}.bias_ih_l0`, filled([g], 0.25)],
          [`${id}.bias_hh_l0`, filled([g], -0.25)],
        ]),
      ),
  };
}

/**
 * int32 model inputs as outputs, beside an embedding that reads one of them: every backend must
 * return them as int32, exactly (ids above 2^24 have no float32 twin: 33554431 rounds to
 * 33554432 through a float32, 16777217 to 16777216). Over [batch, time], so that decoders
 * return them a step at a time too.
 */
function int32Output(): ConformanceCase {
  const ids = [
    33554431, 16777217, -16777217, 2147483647, -2147483648, 0, 1, -1, 16777216, 123456789,
  ];
  const c = defineCase('edge/int32-output', {
    description: 'int32 inputs returned as outputs: exact, and int32, above 2^24 too',
    inputs: {
      ids: { dtype: 'int32', shape: ['batch', 'time'] },
      tokens: { dtype: 'int32', shape: ['batch', 'time'] },
    },
    nodes: [{ id: 'embed', op: 'embedding', input: 'tokens', numEmbeddings: 5, embeddingDim: 3 }],
    outputs: { ids: 'ids', tokens: 'tokens', embedded: 'embed' },
    bindings: seqBindings(5),
  });
  return {
    ...c,
    inputs: () => ({
      ids: tensor('int32', [2, 5], ids),
      tokens: tensor('int32', [2, 5], [4, 0, 2, 3, 1, 1, 3, 0, 4, 2]),
    }),
  };
}
