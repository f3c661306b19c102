// nn.RNN / nn.LSTM / nn.GRU (batch_first) as one ONNX RNN / LSTM / GRU node per layer.
// ORT runs these time-major only (layout=1 is rejected), so the input is transposed to [T, B, I]
// once, layers chain in time-major, and the last layer's Y [T, D, B, H] becomes [B, T, D·H].
// Gate rows are reordered from PyTorch's to ONNX's: LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h.
// B = concat(bias_ih, bias_hh) per direction; GRU needs linear_before_reset=1 for PyTorch's
// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). h_n / c_n stack every layer's Y_h / Y_c on
// axis 0, which is PyTorch's [layer0 fwd, layer0 bwd, layer1 fwd, ...] order. The optional
// initial state h_0 (and c_0) [layers·dirs, B, H] is laid out the same way: layer l's initial_h
// (ONNX's [dirs, B, H], forward then reverse) is rows [l·dirs, (l+1)·dirs) of it.
// With lengths (packed sequences, §6.3) they are ONNX's sequence_lens, whose semantics are
// PyTorch's pack_padded_sequence: Y is 0 past a row's length, Y_h its state after its last valid
// step, the reverse direction starts at length − 1; every layer reads them.
import { type NodeOf, recurrentWeightNames, splitLengths } from '@tessera/spec';
import { type Attr, int, str, strs } from '../graph-builder.js';
import { concatArrays, reorderBlocks, transpose2d } from './layout.js';
import { reduce } from './reduce.js';
import type { EmitContext, Emitter } from './types.js';

type RecurrentOp = 'rnn' | 'lstm' | 'gru';

const onnxOp = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;
/** Block k of the ONNX layout is block order[k] of PyTorch's. */
const gateOrder = { rnn: [0], lstm: [0, 3, 1, 2], gru: [1, 0, 2] } as const;

export function recurrentKernel(kind: RecurrentOp): Emitter<RecurrentOp> {
  return (ctx) => {
    const { b, hint, node, weight, usedPorts } = ctx;
    const h = node.hiddenSize;
    const dirs = node.bidirectional ? 2 : 1;
    const g = gateOrder[kind].length;
    const order = gateOrder[kind];
    const attrs: Record<string, Attr> = {
      hidden_size: int(h),
      direction: str(node.bidirectional ? 'bidirectional' : 'forward'),
    };
    if (kind === 'gru') attrs.linear_before_reset = int(1);
    if (node.op === 'rnn')
      attrs.activations = strs(
        new Array(dirs).fill(node.nonlinearity === 'relu' ? 'Relu' : 'Tanh'),
      );

    const {
      inputs: [input, h0, c0],
      lengths,
    } = splitLengths(node, ctx.inputs);
    let x = b.op1('Transpose', [input], `${hint}_time_major`, { perm: { ints: [1, 0, 2] } });
    // [T, B]: true at the valid steps t < lengths[b] (time-major, as x).
    const valid = lengths === undefined ? undefined : validSteps(ctx, x, lengths);
    /** Layer `layer`'s rows of an initial state. */
    const initial = (state: string, layer: number, name: string) =>
      node.numLayers === 1
        ? state
        : b.op1(
            'Slice',
            [state, b.i64([layer * dirs]), b.i64([(layer + 1) * dirs]), b.i64([0])],
            `${hint}_l${layer}_${name}`,
          );
    const states: { h: string[]; c: string[] } = { h: [], c: [] };
    let y = '';
    for (let layer = 0; layer < node.numLayers; layer++) {
      const inSize = layer === 0 ? node.inputSize : h * dirs;
      const w: Float32Array[] = [];
      const r: Float32Array[] = [];
      const bias: Float32Array[] = [];
      for (let d = 0; d < dirs; d++) {
        const names = recurrentWeightNames(layer, d === 1);
        w.push(reorderBlocks(weight(names.wIh).data as Float32Array, order, h * inSize));
        r.push(reorderBlocks(weight(names.wHh).data as Float32Array, order, h * h));
        if (node.bias) {
          bias.push(reorderBlocks(weight(names.bIh).data as Float32Array, order, h));
          bias.push(reorderBlocks(weight(names.bHh).data as Float32Array, order, h));
        } else bias.push(new Float32Array(2 * g * h));
      }
      const l = `${hint}_l${layer}`;
      const args = [
        x,
        b.floatInit(`${l}_W`, [dirs, g * h, inSize], concatArrays(w)),
        b.floatInit(`${l}_R`, [dirs, g * h, h], concatArrays(r)),
        b.floatInit(`${l}_B`, [dirs, 2 * g * h], concatArrays(bias)),
      ];
      // ONNX's optional inputs after B: sequence_lens, initial_h, initial_c.
      if (lengths !== undefined || h0 !== undefined) args.push(lengths ?? '');
      if (h0 !== undefined) args.push(initial(h0, layer, 'h0'));
      if (c0 !== undefined) args.push(initial(c0, layer, 'c0'));
      const wantH = usedPorts.has('h_n');
      const wantC = kind === 'lstm' && usedPorts.has('c_n');
      const outs: (string | { name: string })[] = ['Y', wantH || wantC ? 'Y_h' : { name: '' }];
      if (wantC) outs.push('Y_c');
      const [yRaw, yhRaw, ycRaw] = b.op(onnxOp[kind], args, l, attrs, { outputs: outs });
      // NaN put back where PyTorch has it, which ORT's kernels lose (see nanMasks and reluNaN).
      const h0l = h0 === undefined ? undefined : initial(h0, layer, 'h0');
      const c0l = c0 === undefined ? undefined : initial(c0, layer, 'c0');
      // With lengths, the relu RNN's own inf − inf NaN is not recomputed (reluNaN reads whole
      // sequences): its NaN inputs are put back as the other recurrences' are.
      if (node.op === 'rnn' && node.nonlinearity === 'relu' && valid === undefined) {
        const fixed = reluNaN(
          ctx,
          { x, y: yRaw, w, r, bias: concatArrays(bias), h0: h0l, inSize },
          l,
        );
        if (wantH) states.h.push(fixed.state);
        y = fixed.sequence;
      } else {
        const initials = [h0l, c0l].filter((v): v is string => v !== undefined);
        const nan = nanMasks(ctx, x, dirs, initials, l, valid);
        if (wantH) states.h.push(b.op1('Add', [yhRaw, nan.state], `${l}_Y_h_nan`));
        if (wantC) states.c.push(b.op1('Add', [ycRaw, nan.state], `${l}_Y_c_nan`));
        y = b.op1('Add', [yRaw, nan.sequence], `${l}_Y_nan`);
        // The mask runs on past a row's end; its padding stays 0, as pad_packed_sequence pads.
        if (valid !== undefined) {
          const at = b.op1('Unsqueeze', [valid, b.i64([1, 3])], `${l}_valid_y`); // [T, 1, B, 1]
          const zero = b.floatInit(`${l}_pad_zero`, [], Float32Array.of(0));
          y = b.op1('Where', [at, y, zero], `${l}_Y_padded`);
        }
      }
      if (layer + 1 < node.numLayers) x = timeMajorFeatures(ctx, y, dirs, `${l}_out`);
    }
    // Y [T, D, B, H] → [B, T, D·H].
    let out: string;
    if (dirs === 1) {
      const squeezed = b.op1('Squeeze', [y, b.i64([1])], `${hint}_y`);
      out = b.op1('Transpose', [squeezed], hint, { perm: { ints: [1, 0, 2] } });
    } else {
      const bt = b.op1('Transpose', [y], `${hint}_batch_major`, { perm: { ints: [2, 0, 1, 3] } });
      out = b.op1('Reshape', [bt, b.i64([0, 0, -1])], hint);
    }
    const ports: Record<string, string> = {};
    const stack = (parts: string[], port: string) =>
      parts.length === 1 ? parts[0] : b.op1('Concat', parts, `${hint}_${port}`, { axis: int(0) });
    if (states.h.length > 0) ports.h_n = stack(states.h, 'h_n');
    if (states.c.length > 0) ports.c_n = stack(states.c, 'c_n');
    return { out, ports };
  };
}

/** [T, B] bool, true where t < lengths[b], for x [T, B, I] (time-major). */
function validSteps(ctx: EmitContext<NodeOf<RecurrentOp>>, x: string, lengths: string): string {
  const { b, hint } = ctx;
  const time = b.op1(
    'Squeeze',
    [b.op1('Shape', [x], `${hint}_time_1`, { start: int(0), end: int(1) })],
    `${hint}_time`,
  );
  const steps = b.op1('Range', [b.i64([0], true), time, b.i64([1], true)], `${hint}_steps`);
  const column = b.op1('Unsqueeze', [steps, b.i64([1])], `${hint}_steps_col`); // [T, 1]
  const long = b.op1('Cast', [lengths], `${hint}_lengths_i64`, { to: int(7) }); // INT64
  const row = b.op1('Unsqueeze', [long, b.i64([0])], `${hint}_lengths_row`); // [1, B]
  return b.op1('Less', [column, row], `${hint}_valid`);
}

/** Y [T, D, B, H] → the next layer's input [T, B, D·H]. */
function timeMajorFeatures(
  ctx: EmitContext<NodeOf<RecurrentOp>>,
  y: string,
  dirs: number,
  hint: string,
): string {
  const { b } = ctx;
  if (dirs === 1) return b.op1('Squeeze', [y, b.i64([1])], hint);
  const t = b.op1('Transpose', [y], `${hint}_tbdh`, { perm: { ints: [0, 2, 1, 3] } });
  return b.op1('Reshape', [t, b.i64([0, 0, -1])], hint);
}

/**
 * NaN as PyTorch propagates it, to add to a layer's outputs (0 where finite, NaN where PyTorch's
 * output is NaN). ORT's RNN, LSTM and GRU kernels lose NaN: their activations clamp or compare
 * (Relu's max(0, NaN) is 0), so a NaN input gives finite outputs. In PyTorch a NaN anywhere in
 * x_t makes every gate of step t NaN (W_ih x_t sums it into every unit, and 0·NaN is NaN), hence
 * h_t and c_t, and through W_hh every later step: the forward direction is NaN from the first
 * NaN step of a sequence on, the reverse one up to its last NaN step, and h_n/c_n of both where
 * the sequence holds any. A NaN in a direction's initial h or c makes all of it NaN.
 *   z[t, b]  = NaN if x[t, b, :] holds a NaN, else 0    (IsNaN, ReduceMax, Where)
 *   sequence = [CumSum_t z, reverse CumSum_t z] [T, D, B, 1] (+ the initial states' [D, B, 1])
 *   state    = Σ_t z [1, B, 1] (+ the initial states')
 * Adding 0 leaves every finite value as it is. Not covered: NaN that the recurrence makes itself
 * from infinities (inf − inf in a relu RNN's W_hh·h), which ORT's Relu turns into 0.
 */
function nanMasks(
  ctx: EmitContext<NodeOf<RecurrentOp>>,
  x: string,
  dirs: number,
  initialStates: string[],
  hint: string,
  valid?: string,
): { sequence: string; state: string } {
  const { b } = ctx;
  const nanConst = b.floatInit(`${hint}_nan`, [], Float32Array.of(Number.NaN));
  const zero = b.floatInit(`${hint}_zero`, [], Float32Array.of(0));
  /** [..., F] → [..., 1]: NaN where the row holds a NaN, else 0. */
  const rowNaN = (v: string, name: string) => {
    const flags = b.op1('Cast', [b.op1('IsNaN', [v], `${name}_isnan`)], `${name}_flags`, {
      to: int(1), // FLOAT
    });
    const any = reduce(b, ctx.options.opset, 'ReduceMax', flags, [-1], true, `${name}_any`);
    const hit = b.op1('Cast', [any], `${name}_hit`, { to: int(9) }); // BOOL
    return b.op1('Where', [hit, nanConst, zero], name);
  };
  let z = rowNaN(x, `${hint}_x_nan`); // [T, B, 1]
  // A packed sequence never reads its padding: a NaN there reaches nothing.
  if (valid !== undefined)
    z = b.op1(
      'Where',
      [b.op1('Unsqueeze', [valid, b.i64([2])], `${hint}_valid_z`), z, zero],
      `${hint}_x_nan_valid`,
    );
  const time = b.i64([0], true);
  const forward = b.op1('CumSum', [z, time], `${hint}_nan_forward`);
  const perDir = [forward];
  if (dirs === 2)
    perDir.push(b.op1('CumSum', [z, time], `${hint}_nan_reverse`, { reverse: int(1) }));
  const dirAxis = b.i64([1]);
  const steps = perDir.map((m, d) => b.op1('Unsqueeze', [m, dirAxis], `${hint}_nan_dir${d}`));
  let sequence =
    steps.length === 1 ? steps[0] : b.op1('Concat', steps, `${hint}_nan_dirs`, { axis: int(1) });
  let state = reduce(b, ctx.options.opset, 'ReduceSum', z, [0], true, `${hint}_nan_any`);
  // Initial states [D, B, H] → [D, B, 1]: broadcast over time for Y, added as they are for Y_h.
  initialStates.forEach((s, k) => {
    const m = rowNaN(s, `${hint}_initial${k}_nan`);
    sequence = b.op1('Add', [sequence, m], `${hint}_nan_with_initial${k}`);
    state = b.op1('Add', [state, m], `${hint}_nan_state_with_initial${k}`);
  });
  return { sequence, state };
}

/**
 * A relu RNN's outputs with PyTorch's NaN. Besides NaN inputs, a relu RNN makes NaN itself: +inf
 * survives relu, and W_hh·h then sums +inf and −inf (or multiplies inf by 0). ORT computes the
 * same sums but its Relu turns the NaN into 0. So the pre-activations are recomputed from ORT's
 * own outputs, in two MatMuls over the whole sequence (no recurrence), for each direction:
 *   a_t = W_ih x_t + b_ih + b_hh + W_hh h_{t−1}     (h_{t−1}: ORT's y at the step before, or h_0)
 * ORT's y is PyTorch's up to the first step of a sequence where some a_t is NaN; there PyTorch's
 * y is NaN where a_t is, and from the next step on NaN everywhere (W_hh spreads one NaN unit to
 * all). Reverse direction: the same from the last step backwards. h_n is the masked y's last
 * step of each direction (the reverse one's first).
 */
function reluNaN(
  ctx: EmitContext<NodeOf<RecurrentOp>>,
  p: {
    x: string;
    y: string;
    w: Float32Array[];
    r: Float32Array[];
    /** ONNX's B [dirs, 2H]: per direction b_ih then b_hh. */
    bias: Float32Array;
    h0: string | undefined;
    inSize: number;
  },
  hint: string,
): { sequence: string; state: string } {
  const { b, node } = ctx;
  const h = node.hiddenSize;
  const dirs = p.w.length;
  const float32 = { to: int(1) }; // FLOAT
  const time = b.i64([0]);
  const slice = (v: string, from: number, to: number, name: string) =>
    b.op1('Slice', [v, b.i64([from]), b.i64([to]), time], name);
  const nanConst = b.floatInit(`${hint}_nan`, [], Float32Array.of(Number.NaN));
  const sequences: string[] = [];
  const states: string[] = [];
  for (let d = 0; d < dirs; d++) {
    const n = `${hint}_d${d}`;
    const reverse = d === 1;
    // y_d [T, B, H]; W_ihᵀ [I, H], W_hhᵀ [H, H]; b = b_ih + b_hh.
    const yd =
      dirs === 1
        ? b.op1('Squeeze', [p.y, b.i64([1])], `${n}_y`)
        : b.op1('Gather', [p.y, b.i64([d], true)], `${n}_y`, { axis: int(1) });
    const wt = b.floatInit(`${n}_W_ih_t`, [p.inSize, h], transpose2d(p.w[d], h, p.inSize));
    const rt = b.floatInit(`${n}_W_hh_t`, [h, h], transpose2d(p.r[d], h, h));
    const summed = new Float32Array(h);
    for (let k = 0; k < h; k++) summed[k] = p.bias[2 * d * h + k] + p.bias[(2 * d + 1) * h + k];
    const input = b.op1(
      'Add',
      [b.op1('MatMul', [p.x, wt], `${n}_wx`), b.floatInit(`${n}_bias`, [h], summed)],
      `${n}_wx_b`,
    );
    const recurrent = b.op1('MatMul', [yd, rt], `${n}_ry`); // W_hh y_t, read at t ± 1
    // The step that starts the direction reads h_0 (none: zeros, so only W_ih x_t + b).
    const startAt = reverse ? [-1, Number.MAX_SAFE_INTEGER] : [0, 1];
    let start = slice(input, startAt[0], startAt[1], `${n}_a_first`);
    if (p.h0 !== undefined) {
      const h0d = b.op1('Gather', [p.h0, b.i64([d], true)], `${n}_h0`, { axis: int(0) });
      start = b.op1('Add', [start, b.op1('MatMul', [h0d, rt], `${n}_rh0`)], `${n}_a_first_h0`);
    }
    const rest = reverse
      ? b.op1(
          'Add',
          [
            slice(input, 0, -1, `${n}_wx_rest`),
            slice(recurrent, 1, Number.MAX_SAFE_INTEGER, `${n}_ry_next`),
          ],
          `${n}_a_rest`,
        )
      : b.op1(
          'Add',
          [
            slice(input, 1, Number.MAX_SAFE_INTEGER, `${n}_wx_rest`),
            slice(recurrent, 0, -1, `${n}_ry_prev`),
          ],
          `${n}_a_rest`,
        );
    const a = b.op1('Concat', reverse ? [rest, start] : [start, rest], `${n}_a`, { axis: int(0) });
    const nanUnits = b.op1('Cast', [b.op1('IsNaN', [a], `${n}_a_isnan`)], `${n}_a_nan`, float32);
    const anyUnit = reduce(b, ctx.options.opset, 'ReduceMax', nanUnits, [-1], true, `${n}_a_any`);
    // Steps after (before, reversed) the first NaN one: exclusive CumSum > 0.
    const later = b.op1('CumSum', [anyUnit, b.i64([0], true)], `${n}_after_nan`, {
      exclusive: int(1),
      reverse: int(reverse ? 1 : 0),
    });
    const marked = b.op1('Add', [nanUnits, later], `${n}_marked`); // > 0 where PyTorch has NaN
    const hit = b.op1('Cast', [marked], `${n}_hit`, { to: int(9) }); // BOOL
    const fixed = b.op1('Where', [hit, nanConst, yd], `${n}_y_nan`);
    sequences.push(b.op1('Unsqueeze', [fixed, b.i64([1])], `${n}_y_dir`));
    states.push(
      reverse
        ? slice(fixed, 0, 1, `${n}_h_n`)
        : slice(fixed, -1, Number.MAX_SAFE_INTEGER, `${n}_h_n`),
    );
  }
  const sequence =
    dirs === 1 ? sequences[0] : b.op1('Concat', sequences, `${hint}_Y_nan`, { axis: int(1) });
  const state =
    dirs === 1 ? states[0] : b.op1('Concat', states, `${hint}_Y_h_nan`, { axis: int(0) });
  return { sequence, state };
}
