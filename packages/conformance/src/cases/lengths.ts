// Ragged batches (§6.3): each case fixes its lengths — unsorted, a length of 1, every sequence at
// full length — over a batch of 3 and a time of 5 (or a memory of another length). The
// reference's maths for each op with lengths equals PyTorch's (backend-reference's
// lengths-torch test: pack_padded_sequence, key_padding_mask).
import type { NodeInput } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { defineCase } from './define.js';
import { decoderLayerCase } from './transformer-decoder-layer.js';

const unsorted = [5, 2, 4];
// Rows of length 1 beside a full one (all of length 1 would never read W_hh: h₀ = 0).
const ones = [1, 5, 1];
const full = [5, 5, 5];
const batch = { batch: 3, time: 5 };
const lengthsInput = { len: { dtype: 'int32' as const, shape: ['batch'] } };

function recurrent(
  cell: 'rnn' | 'lstm' | 'gru',
  name: string,
  lengths: number[],
  attrs: Record<string, unknown>,
  initial = false,
): ConformanceCase {
  const ports: Record<string, string> =
    cell === 'lstm' ? { y: 'rec', h_n: 'rec:h_n', c_n: 'rec:c_n' } : { y: 'rec', h_n: 'rec:h_n' };
  const dirs = attrs.bidirectional === true ? 2 : 1;
  const layers = (attrs.numLayers as number | undefined) ?? 1;
  const states = initial ? (cell === 'lstm' ? ['h_0', 'c_0'] : ['h_0']) : [];
  return defineCase(`${cell}/lengths-${name}`, {
    description: `packed sequences of lengths [${lengths.join(', ')}] of 5 steps`,
    inputs: {
      x: { shape: ['batch', 'time', 3] },
      ...lengthsInput,
      ...Object.fromEntries(states.map((s) => [s, { shape: [layers * dirs, 'batch', 4] }])),
    },
    nodes: [
      {
        id: 'rec',
        op: cell,
        input: ['x', ...states],
        inputSize: 3,
        hiddenSize: 4,
        lengths: 'len',
        ...attrs,
      } as NodeInput,
    ],
    outputs: ports,
    bindings: batch,
    lengths: { len: lengths },
  });
}

export const recurrentLengthsCases = (cell: 'rnn' | 'lstm' | 'gru'): ConformanceCase[] => [
  recurrent(cell, 'unsorted-bidirectional-2layer', unsorted, { numLayers: 2, bidirectional: true }),
  recurrent(cell, 'ones', ones, { bidirectional: true }),
  recurrent(cell, 'full', full, { numLayers: 2 }),
  recurrent(cell, 'initial-state', [3, 5, 1], { bidirectional: true }, true),
  ...(cell === 'rnn'
    ? [recurrent(cell, 'relu', unsorted, { nonlinearity: 'relu', numLayers: 2 })]
    : []),
];

export const meanLengthsCases = [
  defineCase('mean/lengths', {
    description: 'the mean over each sequence’s valid steps, lengths [5, 2, 4]',
    inputs: { x: { shape: ['batch', 'time', 4] }, ...lengthsInput },
    nodes: [{ id: 'm', op: 'mean', input: 'x', dim: 1, lengths: 'len' }],
    bindings: batch,
    lengths: { len: unsorted },
  }),
  defineCase('mean/lengths-keepdim-ones', {
    inputs: { x: { shape: ['batch', 'time', 4] }, ...lengthsInput },
    nodes: [{ id: 'm', op: 'mean', input: 'x', dim: 1, keepdim: true, lengths: 'len' }],
    bindings: batch,
    lengths: { len: ones },
  }),
];

export const lengthMaskCases = [
  defineCase('lengthMask/keys', {
    description: 'scores [batch, 2, 3, 5] with keys ≥ lengths [5, 1, 3] masked, then softmax',
    inputs: { s: { shape: ['batch', 2, 3, 'time'] }, ...lengthsInput },
    nodes: [
      { id: 'm', op: 'lengthMask', input: ['s', 'len'] },
      { id: 'p', op: 'softmax', dim: -1 },
    ],
    bindings: batch,
    lengths: { len: [5, 1, 3] },
  }),
];

const mha = (name: string, attrs: Record<string, unknown>, lengths: number[], cross = false) =>
  defineCase(`multiHeadAttention/lengths-${name}`, {
    description: `key padding, lengths [${lengths.join(', ')}]${cross ? ' of a memory of 7 under a query of 5' : ''}`,
    inputs: {
      x: { shape: ['batch', 'time', 8] },
      ...(cross ? { memory: { shape: ['batch', 'memTime', 8] } } : {}),
      ...lengthsInput,
    },
    nodes: [
      {
        id: 'mha',
        op: 'multiHeadAttention',
        input: cross ? ['x', 'memory'] : 'x',
        embedDim: 8,
        numHeads: 2,
        lengths: 'len',
        ...attrs,
      } as NodeInput,
    ],
    bindings: { ...batch, memTime: 7 },
    lengths: { len: lengths },
  });

export const multiHeadAttentionLengthsCases = [
  mha('unsorted', {}, unsorted),
  mha('causal', { causal: true }, [3, 5, 1]),
  mha('cross-memory', {}, [7, 2, 4], true),
];

export const attentionLengthsCases = [
  ...[true, false].map((causal) =>
    defineCase(`attention/lengths-gqa${causal ? '-causal' : ''}`, {
      description: 'GQA with rope, key padding, lengths [5, 2, 4]',
      inputs: { x: { shape: ['batch', 'time', 8] }, ...lengthsInput },
      nodes: [
        {
          id: 'attn',
          op: 'attention',
          input: 'x',
          hiddenSize: 8,
          numHeads: 4,
          numKeyValueHeads: 2,
          causal,
          lengths: 'len',
        },
      ],
      bindings: batch,
      lengths: { len: unsorted },
    }),
  ),
];

export const transformerEncoderLayerLengthsCases = [
  ...[false, true].map((normFirst) =>
    defineCase(`transformerEncoderLayer/lengths${normFirst ? '-pre-norm' : ''}`, {
      description: 'src_key_padding_mask from lengths [5, 2, 4]',
      inputs: { x: { shape: ['batch', 'time', 8] }, ...lengthsInput },
      nodes: [
        {
          id: 'enc',
          op: 'transformerEncoderLayer',
          input: 'x',
          dModel: 8,
          nhead: 2,
          dimFeedforward: 12,
          normFirst,
          lengths: 'len',
        },
      ],
      bindings: batch,
      lengths: { len: unsorted },
    }),
  ),
];

export const transformerDecoderLayerLengthsCases = (
  [
    ['both-masks-causal', { causal: true }, 7],
    ['both-masks-pre-norm-memory-shorter', { normFirst: true }, 3],
  ] as const
).map(([name, attrs, memTime]) =>
  decoderLayerCase(
    `lengths-${name}`,
    { lengths: 'len', memoryLengths: 'memLen', ...attrs },
    {
      ...batch,
      memTime,
      description: 'tgt and memory key padding: lengths [5, 2, 4], memory lengths [1, 3, 2] or all',
      lengths: { len: unsorted, memLen: memTime === 3 ? [1, 3, 2] : [7, 7, 7] },
    },
  ),
);

/** The memory padded only: a causal layer that decodes, its memory lengths fed to every step. */
export const transformerDecoderLayerMemoryLengthsCases = [
  decoderLayerCase(
    'memory-lengths-causal',
    { causal: true, memoryLengths: 'memLen' },
    {
      ...batch,
      memTime: 7,
      description: 'memory key padding only, memory lengths [7, 2, 4]: decodes',
      lengths: { memLen: [7, 2, 4] },
    },
  ),
];
