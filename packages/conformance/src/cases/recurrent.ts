// The three recurrences share their variants: every option that changes the arithmetic, and the
// final-state ports as outputs.
import type { ConformanceCase, SpecialValue } from '../case.js';
import { at, defineCase, inf, nan, seq, seqBindings } from './define.js';

type Cell = 'rnn' | 'lstm' | 'gru';

interface Variant {
  name: string;
  description?: string;
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  nonlinearity?: 'tanh' | 'relu';
  dropout?: number;
  time?: number;
  batch?: number;
  /** NaN/±Inf written over the seeded input x. */
  special?: SpecialValue[];
}

export function recurrentCase(cell: Cell, v: Variant): ConformanceCase {
  const { name, description, inputSize, time = 5, batch = 2, special, ...attrs } = v;
  const ports: Record<string, string> =
    cell === 'lstm' ? { y: 'rec', h_n: 'rec:h_n', c_n: 'rec:c_n' } : { y: 'rec', h_n: 'rec:h_n' };
  return defineCase(`${cell}/${name}`, {
    ...(description !== undefined ? { description } : {}),
    inputs: { x: { shape: seq(inputSize) } },
    nodes: [{ id: 'rec', op: cell, inputSize, ...attrs }],
    outputs: ports,
    bindings: seqBindings(time, batch),
    ...(special !== undefined ? { special: { x: special } } : {}),
  });
}

/**
 * A bidirectional 2-layer recurrence without bias whose h_n is read by a node: the last layer's
 * final state (its reverse direction) and the last step of the output, joined (relu for rnn).
 */
export function statesReadCase(cell: Cell): ConformanceCase {
  return defineCase(`${cell}/states-read-by-nodes`, {
    inputs: { x: { shape: seq(4) } },
    nodes: [
      {
        id: 'rec',
        op: cell,
        inputSize: 4,
        hiddenSize: 5,
        numLayers: 2,
        bidirectional: true,
        bias: false,
        ...(cell === 'rnn' ? { nonlinearity: 'relu' as const } : {}),
      },
      { id: 'last', op: 'select', input: 'rec:h_n', dim: 0, index: -1 },
      { id: 'last_step', op: 'select', input: 'rec', dim: 1, index: -1 },
      { id: 'both', op: 'concat', input: ['last', 'last_step'], dim: 1 },
    ],
    bindings: seqBindings(5),
  });
}

/** The variants every recurrence runs. */
export function recurrentVariants(cell: Cell): ConformanceCase[] {
  return [
    recurrentCase(cell, { name: 'basic', inputSize: 7, hiddenSize: 5 }),
    // dropout between layers applies in training only: at inference it must be ignored.
    recurrentCase(cell, {
      name: '2layer',
      inputSize: 4,
      hiddenSize: 6,
      numLayers: 2,
      dropout: 0.5,
    }),
    recurrentCase(cell, {
      name: 'bidirectional',
      inputSize: 5,
      hiddenSize: 3,
      bidirectional: true,
    }),
    recurrentCase(cell, {
      name: 'bidirectional-2layer',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
    }),
    recurrentCase(cell, { name: 'no-bias', inputSize: 6, hiddenSize: 5, bias: false }),
    recurrentCase(cell, {
      name: 'time1',
      description: 'a single time step',
      inputSize: 7,
      hiddenSize: 13,
      time: 1,
      batch: 3,
    }),
    recurrentCase(cell, { name: 'batch1', inputSize: 2, hiddenSize: 7, time: 6, batch: 1 }),
  ];
}

/**
 * NaN and ±Inf in the input. PyTorch's recurrences are plain IEEE arithmetic: a NaN at step t of
 * a sequence makes every unit of every layer NaN from step t on (steps ≤ t in a reverse
 * direction), h_n and c_n too; the other sequences of the batch stay finite. An infinite input
 * saturates tanh and σ (tanh(±inf) = ±1, σ(+inf) = 1, σ(−inf) = 0), so tanh cells stay finite; a
 * relu cell carries the inf into h, and W_hh·h then meets +inf and −inf: NaN. `prefix` names the
 * cell's variant (`relu-` for rnn's relu).
 */
export function nonFiniteVariants(
  cell: Cell,
  prefix = '',
  attrs: Pick<Variant, 'nonlinearity'> = {},
): ConformanceCase[] {
  return [
    recurrentCase(cell, {
      name: `${prefix}nan-input`,
      description: 'NaN at batch 0, step 2: NaN from step 2 on in that sequence, both layers',
      inputSize: 4,
      hiddenSize: 5,
      numLayers: 2,
      time: 6,
      special: at([[0, 2, 1], nan]),
      ...attrs,
    }),
    recurrentCase(cell, {
      name: `${prefix}inf-input`,
      description: '+inf at batch 0 step 1, −inf at batch 1 step 3',
      inputSize: 4,
      hiddenSize: 5,
      time: 6,
      special: at([[0, 1, 2], inf], [[1, 3, 0], -inf]),
      ...attrs,
    }),
    recurrentCase(cell, {
      name: `${prefix}non-finite-bidirectional`,
      description:
        'NaN in batch 0 at step 3 (the reverse direction is NaN up to it), +inf in batch 1',
      inputSize: 3,
      hiddenSize: 4,
      bidirectional: true,
      special: at([[0, 3, 0], nan], [[1, 1, 2], inf]),
      ...attrs,
    }),
  ];
}
