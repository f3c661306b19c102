// The three recurrences (nn.RNN, nn.LSTM, nn.GRU, batch_first) share the layer/direction loop;
// each op supplies only its cell. Layer 0 reads x [B, T, I]; layer k > 0 reads the previous layer's
// output, the concatenation [forward, backward] along features. The reverse direction walks
// t = T-1 … 0 and writes its output at the same t. Final states are stacked at index
// layer·numDirections + direction, as PyTorch's h_n / c_n. Initial states h_0 (and c_0), laid out
// the same way, are the further inputs when given, zeros otherwise. With lengths (packed
// sequences), row b runs over t < lengths[b] only (the reverse direction from lengths[b] − 1),
// its outputs after that stay 0 and its final state is the one after its last valid step.
import { type NodeOf, recurrentWeightNames, splitLengths } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import type { Kernel, KernelContext, WeightOwner } from './types.js';

/** One layer and direction's weights: W_ih [G·H, in], W_hh [G·H, H], biases [G·H] (absent if bias: false). */
export interface CellWeights {
  wIh: F64Tensor;
  wHh: F64Tensor;
  bIh: F64Tensor | undefined;
  bHh: F64Tensor | undefined;
}

/** The cell's state: h, plus c for the LSTM. */
export interface CellState {
  h: Float64Array;
  c?: Float64Array;
}

/** Computes the next state from input x_t and the previous state; H is the hidden size. */
export type Cell = (x: Float64Array, prev: CellState, w: CellWeights, hidden: number) => CellState;

/** W v + b for W [rows, cols]: the gate pre-activations of all gates at once. */
export function matVec(w: F64Tensor, v: Float64Array, b: F64Tensor | undefined): Float64Array {
  const [rows, cols] = w.shape;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b === undefined ? 0 : b.data[r];
    for (let c = 0; c < cols; c++) s += w.data[r * cols + c] * v[c];
    out[r] = s;
  }
  return out;
}

type RecurrentOp = 'rnn' | 'lstm' | 'gru';

export function recurrentKernel<O extends RecurrentOp>(
  cell: (node: NodeOf<O>) => Cell,
  hasCellState: boolean,
): Kernel<O> {
  const kernel = (node: NodeOf<RecurrentOp>, ins: F64Tensor[], ctx: KernelContext) => {
    const {
      inputs: [x, h0, c0],
      lengths,
    } = splitLengths(node, ins);
    const [batch, time] = x.shape;
    const hidden = node.hiddenSize;
    const dirs = node.bidirectional ? 2 : 1;
    const step = cell(node as NodeOf<O>);
    const hN = new Float64Array(node.numLayers * dirs * batch * hidden);
    const cN = new Float64Array(hN.length);
    let input = x;
    for (let layer = 0; layer < node.numLayers; layer++) {
      const width = input.shape[2];
      const out = new Float64Array(batch * time * dirs * hidden);
      for (let dir = 0; dir < dirs; dir++) {
        const w = cellWeights(ctx, node, layer, dir === 1);
        for (let b = 0; b < batch; b++) {
          const slot = ((layer * dirs + dir) * batch + b) * hidden;
          const initial = (s: F64Tensor | undefined) =>
            s === undefined ? new Float64Array(hidden) : s.data.slice(slot, slot + hidden);
          let state: CellState = {
            h: initial(h0),
            c: hasCellState ? initial(c0) : undefined,
          };
          // A packed sequence runs over its valid steps only; its padding stays 0.
          const valid = lengths === undefined ? time : lengths.data[b];
          for (let s = 0; s < valid; s++) {
            const t = dir === 0 ? s : valid - 1 - s;
            const xt = input.data.subarray((b * time + t) * width, (b * time + t + 1) * width);
            state = step(xt, state, w, hidden);
            out.set(state.h, ((b * time + t) * dirs + dir) * hidden);
          }
          hN.set(state.h, slot);
          if (state.c !== undefined) cN.set(state.c, slot);
        }
      }
      input = { shape: [batch, time, dirs * hidden], data: out };
    }
    const stateShape = [node.numLayers * dirs, batch, hidden];
    const ports: Record<string, F64Tensor> = { h_n: { shape: stateShape, data: hN } };
    if (hasCellState) ports.c_n = { shape: [...stateShape], data: cN };
    return { out: input, ports };
  };
  return kernel as Kernel<O>;
}

function cellWeights(
  ctx: KernelContext,
  node: WeightOwner,
  layer: number,
  reverse: boolean,
): CellWeights {
  const n = recurrentWeightNames(layer, reverse);
  return {
    wIh: ctx.weight(node, n.wIh),
    wHh: ctx.weight(node, n.wHh),
    bIh: ctx.optionalWeight(node, n.bIh),
    bHh: ctx.optionalWeight(node, n.bHh),
  };
}
