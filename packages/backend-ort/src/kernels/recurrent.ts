// nn.RNN / nn.LSTM / nn.GRU (batch_first) as one ONNX RNN / LSTM / GRU node per layer.
// ORT runs these time-major only (layout=1 is rejected), so the input is transposed to [T, B, I]
// once, layers chain in time-major, and the last layer's Y [T, D, B, H] becomes [B, T, D·H].
// Gate rows are reordered from PyTorch's to ONNX's: LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h.
// B = concat(bias_ih, bias_hh) per direction; GRU needs linear_before_reset=1 for PyTorch's
// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). h_n / c_n stack every layer's Y_h / Y_c on
// axis 0, which is PyTorch's [layer0 fwd, layer0 bwd, layer1 fwd, ...] order. The optional
// initial state h_0 (and c_0) [layers·dirs, B, H] is laid out the same way: layer l's initial_h
// (ONNX's [dirs, B, H], forward then reverse) is rows [l·dirs, (l+1)·dirs) of it.
import { type NodeOf, recurrentWeightNames } from '@tessera/spec';
import { type Attr, int, str, strs } from '../graph-builder.js';
import { concatArrays, reorderBlocks } from './layout.js';
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

    const [input, h0, c0] = ctx.inputs;
    let x = b.op1('Transpose', [input], `${hint}_time_major`, { perm: { ints: [1, 0, 2] } });
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
      // ONNX's optional inputs after B: sequence_lens (left out), initial_h, initial_c.
      if (h0 !== undefined) args.push('', initial(h0, layer, 'h0'));
      if (c0 !== undefined) args.push(initial(c0, layer, 'c0'));
      const wantH = usedPorts.has('h_n');
      const wantC = kind === 'lstm' && usedPorts.has('c_n');
      const outs: (string | { name: string })[] = ['Y', wantH || wantC ? 'Y_h' : { name: '' }];
      if (wantC) outs.push('Y_c');
      const [yl, yh, yc] = b.op(onnxOp[kind], args, l, attrs, { outputs: outs });
      if (wantH) states.h.push(yh);
      if (wantC) states.c.push(yc);
      y = yl;
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
