// The three recurrences share their variants: every option that changes the arithmetic, and the
// final-state ports as outputs.
import type { ConformanceCase } from '../case.js';
import { defineCase, seq, seqBindings } from './define.js';

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
}

export function recurrentCase(cell: Cell, v: Variant): ConformanceCase {
  const { name, description, inputSize, time = 5, batch = 2, ...attrs } = v;
  const ports: Record<string, string> =
    cell === 'lstm' ? { y: 'rec', h_n: 'rec:h_n', c_n: 'rec:c_n' } : { y: 'rec', h_n: 'rec:h_n' };
  return defineCase(`${cell}/${name}`, {
    ...(description !== undefined ? { description } : {}),
    inputs: { x: { shape: seq(inputSize) } },
    nodes: [{ id: 'rec', op: cell, inputSize, ...attrs }],
    outputs: ports,
    bindings: seqBindings(time, batch),
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
