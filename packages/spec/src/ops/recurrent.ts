// The three recurrences share attributes, shapes and weight layout (nn.RNN / nn.LSTM / nn.GRU,
// batch_first=True): output [B, T, D·H], final state h_n (and c_n) [D·numLayers, B, H].
// Weights per layer k and direction: weight_ih_lk [G·H, in], weight_hh_lk [G·H, H],
// bias_ih_lk [G·H], bias_hh_lk [G·H], suffixed `_reverse` for the backward direction,
// where G = 1 (rnn), 4 (lstm, gates i f g o), 3 (gru, gates r z n).
// Optional further inputs are the initial state, as nn.LSTM(x, (h_0, c_0)) takes it: h_0 (and for
// lstm c_0, both or neither) [D·numLayers, B, H]; zeros when left out.
import { z } from 'zod';
import {
  defineOp,
  type FuzzDraw,
  fail,
  float,
  lengthsRef,
  nodeBase,
  type OpExample,
  positiveInt,
  probability,
  requireDim,
  requireRank,
  uniform,
  type WeightDecl,
  weightPrefix,
} from './common.js';

/** The attributes the three share; `torchName` (nn.LSTM) names the module in the descriptions. */
export function recurrentAttrs(torchName: string) {
  return {
    inputSize: positiveInt.describe(
      `\`input_size\` of ${torchName}: the width of each step, dim 2 of [batch, time, inputSize]`,
    ),
    hiddenSize: positiveInt.describe(
      `\`hidden_size\` of ${torchName}: the width of the state h, and of the output (twice that when bidirectional)`,
    ),
    numLayers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        `\`num_layers\` of ${torchName}: recurrences stacked, each reading the outputs of the one below`,
      ),
    bias: z
      .boolean()
      .default(true)
      .describe(`\`bias\` of ${torchName}: the learned biases bias_ih and bias_hh of every layer`),
    bidirectional: z
      .boolean()
      .default(false)
      .describe(
        `\`bidirectional\` of ${torchName}: a second recurrence reads the steps backwards, its outputs concatenated after the forward ones`,
      ),
    dropout: probability
      .default(0)
      .describe(
        `\`dropout\` of ${torchName}: dropout between layers in training; accepted and unused at inference`,
      ),
    // Packed sequences: pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    // and pad_packed_sequence(..., total_length=T).
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each sequence's true length, as pack_padded_sequence gives it: outputs at t ≥ length are 0, the final state is each sequence's after its last valid step, and the reverse direction starts at length − 1",
    ),
  };
}

export interface RecurrentAttrs {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  bidirectional: boolean;
}

/**
 * Gates per recurrent cell: the factor on hiddenSize in its weights' first dim (rnn 1, lstm 4, gru
 * 3).
 */
export const gateCount = { rnn: 1, lstm: 4, gru: 3 } as const;

/** The weight names of one layer and direction, e.g. `weight_ih_l1_reverse`. */
export function recurrentWeightNames(layer: number, reverse: boolean) {
  const s = `_l${layer}${reverse ? '_reverse' : ''}`;
  return { wIh: `weight_ih${s}`, wHh: `weight_hh${s}`, bIh: `bias_ih${s}`, bHh: `bias_hh${s}` };
}

export function recurrentWeights(a: RecurrentAttrs, gates: number): WeightDecl[] {
  const h = a.hiddenSize;
  const dirs = a.bidirectional ? 2 : 1;
  const init = uniform(1 / Math.sqrt(h));
  const out: WeightDecl[] = [];
  for (let layer = 0; layer < a.numLayers; layer++) {
    const inSize = layer === 0 ? a.inputSize : h * dirs;
    for (let d = 0; d < dirs; d++) {
      const n = recurrentWeightNames(layer, d === 1);
      out.push(
        { name: n.wIh, shape: [gates * h, inSize], init },
        { name: n.wHh, shape: [gates * h, h], init },
      );
      if (a.bias)
        out.push(
          { name: n.bIh, shape: [gates * h], init },
          { name: n.bHh, shape: [gates * h], init },
        );
    }
  }
  return out;
}

/**
 * FLOPs of one step of one direction of one layer: the two matmuls, the biases, and the
 * pointwise work per hidden unit (`pointwise`).
 */
function stepFlops(
  gates: number,
  pointwise: number,
  input: number,
  h: number,
  batch: number,
  bias: boolean,
) {
  const matmuls = 2 * batch * gates * h * (input + h);
  const biases = bias ? 2 * batch * gates * h : 0;
  return matmuls + biases + pointwise * batch * h;
}

/**
 * Pointwise FLOPs per hidden unit and step. rnn: the activation. lstm: 4 gate activations,
 * c = f·c + i·g (3), tanh(c), h = o·tanh(c). gru: 3 activations, r·(W_hn h + b_hn), n's add,
 * (1 − z)·n + z·h (4).
 */
const pointwiseFlops = { rnn: 1, lstm: 4 + 3 + 1 + 1, gru: 3 + 2 + 4 } as const;

export function recurrentOp<const Name extends 'rnn' | 'lstm' | 'gru', Extra extends z.ZodRawShape>(
  name: Name,
  extra: Extra,
  facts: {
    /** What the op computes, for the JSON Schema. */
    summary: string;
    /** Draws the attributes of `extra` (rnn's nonlinearity). */
    fuzzExtra?: (d: FuzzDraw) => Record<string, unknown>;
    examples: readonly OpExample[];
  },
) {
  const gates = gateCount[name];
  const ports = name === 'lstm' ? ['h_n', 'c_n'] : ['h_n'];
  const torchName = { rnn: 'nn.RNN', lstm: 'nn.LSTM', gru: 'nn.GRU' }[name];
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      weightPrefix,
      op: z.literal(name).describe(facts.summary),
      ...recurrentAttrs(torchName),
      ...extra,
    }),
    arity: [1, 1 + ports.length],
    ports: () => [...ports],
    infer(attrs, [x, ...initial]) {
      const a = attrs as unknown as RecurrentAttrs;
      requireRank(x, [3], 'input [batch, time, inputSize]');
      requireDim(x.shape[2], a.inputSize, 'inputSize', 'width');
      const dirs = a.bidirectional ? 2 : 1;
      const state = float([dirs * a.numLayers, x.shape[0], a.hiddenSize]);
      if (initial.length > 0 && initial.length !== ports.length)
        fail(
          `takes its initial state as ${ports.map((p) => p.replace('_n', '_0')).join(' and ')}, got ${initial.length} of them`,
        );
      initial.forEach((s, k) => {
        const known =
          s.shape.length === 3 &&
          s.shape.every(
            (d, i) =>
              typeof d !== 'number' || typeof state.shape[i] !== 'number' || d === state.shape[i],
          );
        if (!known)
          fail(
            `initial state ${ports[k].replace('_n', '_0')} is [${s.shape.join(', ')}], expected [${state.shape.join(', ')}] (directions·layers, batch, hiddenSize)`,
          );
      });
      const out: Record<string, typeof state> = { h_n: state };
      if (name === 'lstm') out.c_n = float([...state.shape]);
      return { out: float([x.shape[0], x.shape[1], dirs * a.hiddenSize]), ports: out };
    },
    lengthsOf: () => ({ lengths: 0 }),
    weights: (a) => recurrentWeights(a as unknown as RecurrentAttrs, gates),
    flops(attrs, { inputs: [[batch, time]] }) {
      const a = attrs as unknown as RecurrentAttrs;
      const dirs = a.bidirectional ? 2 : 1;
      let total = 0;
      for (let layer = 0; layer < a.numLayers; layer++) {
        const input = layer === 0 ? a.inputSize : dirs * a.hiddenSize;
        total +=
          dirs * time * stepFlops(gates, pointwiseFlops[name], input, a.hiddenSize, batch, a.bias);
      }
      return total;
    },
    fuzz(d, x) {
      if (x.length !== 3) return undefined;
      const attrs = {
        inputSize: x[2],
        hiddenSize: d.int(1, 6),
        numLayers: d.int(1, 2),
        bidirectional: d.bool(),
        bias: d.bool(),
        ...facts.fuzzExtra?.(d),
      };
      return { attrs, port: d.bool() ? d.pick(ports) : undefined };
    },
    decode: (attrs) =>
      (attrs as unknown as RecurrentAttrs).bidirectional
        ? 'is bidirectional: its backward direction reads the last time step first'
        : { state: ports },
    examples: facts.examples,
  });
}
