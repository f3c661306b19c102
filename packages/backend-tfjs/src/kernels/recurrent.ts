// nn.RNN / nn.LSTM / nn.GRU (batch_first=True), multi-layer and bidirectional; the initial state is
// zero, or the optional inputs h_0 (and c_0) [D·numLayers, B, H] in h_n's layout (a decoder's step).
// Gates (PyTorch's rows: lstm i, f, g, o; gru r, z, n; rnn one) are re-sliced once at prepare
// time into one [in, H] and one [H, H] kernel per gate, with biases folded where the maths allows:
//   rnn:  h = act(G_t + h W_hhᵀ),                                   b = b_ih + b_hh
//   lstm: c = σ(f)·c + σ(i)·tanh(g),  h = σ(o)·tanh(c),             b_k = b_ih,k + b_hh,k
//   gru:  r, z = σ(G_r,z + h W_hh,r,zᵀ),  n = tanh(G_n + r·(h W_hnᵀ + b_hn)),  h = (1 − z)·n + z·h,
//         b_r,z = b_ih + b_hh, b_n = b_ih,n, and b_hn stays separate because r multiplies it.
// The input projections G = X W_ihᵀ + b are computed ahead of the time loop, CHUNK steps per
// matMul (see CHUNK), so only the recurrent part h W_hhᵀ runs in the loop. Per-gate kernels mean
// no tensor is ever cut along its last axis: tfjs-backend-cpu slices those element by element.
// Output [B, T, D·H] (directions concatenated); h_n, c_n [D·numLayers, B, H], layer-major.
// Without h_0, step 0 starts from h = c = 0, so its recurrent matMuls are skipped.
// With lengths (packed sequences: row b runs over t < L_b only), read on the host, the loop stays
// the same and a few cheap corrections make it PyTorch's pack_padded_sequence /
// pad_packed_sequence (L = the longest length, l = the shortest):
// - steps t ≥ L, padding in every row, are not run: their outputs are 0 and the state stays;
// - forward direction: runs on past a row's L_b unmasked (a forward step's output depends only on
//   earlier steps, so every valid output is already right); h_n (and c_n) are gathered from each
//   row's step L_b − 1 afterwards, one gather per layer instead of a select per step;
// - reverse direction: must start at L_b − 1 from the initial state, so the steps l ≤ t < L keep
//   the previous state where t ≥ L_b (h = where(t < L_b, h_new, h_old), and c alike): padded
//   steps hold h_0 (or 0) until the row's first valid step;
// - the last layer's output is zeroed at t ≥ L_b with one select. A deeper layer reads a lower
//   one's values at padded steps, but only into steps that are themselves padded (continued or
//   held as above), so no padded value reaches a valid result.
// With every length equal, none of this costs anything but the steps it skips.
import * as tf from '@tensorflow/tfjs';
import { type NodeOf, recurrentWeightNames, splitLengths } from '@tessera/spec';
import { hostLengths, validMask } from './length-mask.js';
import { reluKeepingNaN } from './relu.js';
import type { Kernel, WeightReader } from './types.js';

type RecurrentOp = 'rnn' | 'lstm' | 'gru';

/** Gate names in PyTorch's row order. */
const gates = { rnn: ['h'], lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] } as const;

interface State {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** One direction at one time step: each gate's input projection and recurrent kernel. */
interface StepInputs {
  /** G_t per gate, [B, H]. */
  projected: Record<string, tf.Tensor2D>;
  /** W_hh,kᵀ per gate, [H, H]. */
  kernelHh: Record<string, tf.Tensor2D>;
  /** gru: b_hh of the n gate. */
  biasHn?: tf.Tensor;
}

type Step = (node: NodeOf<RecurrentOp>, x: StepInputs, prev: State | null) => State;

/** G_t,k + h W_hh,kᵀ (just G_t,k at step 0, where h = 0). */
function preActivation(x: StepInputs, prev: State | null, gate: string): tf.Tensor2D {
  const g = x.projected[gate];
  return prev === null ? g : tf.add(g, tf.matMul(prev.h, x.kernelHh[gate]));
}

const steps: { [O in RecurrentOp]: Step } = {
  rnn(node, x, prev) {
    const pre = preActivation(x, prev, 'h');
    const relu = (node as NodeOf<'rnn'>).nonlinearity === 'relu';
    return { h: relu ? reluKeepingNaN(pre) : tf.tanh(pre) };
  },
  lstm(_node, x, prev) {
    const i = tf.sigmoid(preActivation(x, prev, 'i'));
    const g = tf.tanh(preActivation(x, prev, 'g'));
    const o = tf.sigmoid(preActivation(x, prev, 'o'));
    const ig = tf.mul(i, g);
    const c =
      prev === null ? ig : tf.add(tf.mul(tf.sigmoid(preActivation(x, prev, 'f')), prev.c!), ig);
    return { h: tf.mul(o, tf.tanh(c)), c: c as tf.Tensor2D };
  },
  gru(_node, x, prev) {
    const r = tf.sigmoid(preActivation(x, prev, 'r'));
    const z = tf.sigmoid(preActivation(x, prev, 'z'));
    // h W_hnᵀ + b_hn: just b_hn (or nothing) at step 0.
    let hn: tf.Tensor | undefined = x.biasHn;
    if (prev !== null) {
      const product = tf.matMul(prev.h, x.kernelHh.n);
      hn = hn === undefined ? product : tf.add(product, hn);
    }
    const gn = x.projected.n;
    const n = tf.tanh(hn === undefined ? gn : tf.add(gn, tf.mul(r, hn)));
    // (1 − z)·n + z·h = n + z·(h − n); with h = 0 it is n − z·n.
    const h = prev === null ? tf.sub(n, tf.mul(z, n)) : tf.add(n, tf.mul(z, tf.sub(prev.h, n)));
    return { h: h as tf.Tensor2D };
  },
};

/**
 * Time steps per input-projection matMul. One matMul for all T steps would leave a [T·B, H]
 * tensor per gate to cut into steps, and tfjs-backend-wasm's Slice copies its whole input on
 * every call (O(T²·B·H) for the cuts); chunks of CHUNK steps cut only chunk-sized tensors
 * (O(CHUNK·T·B·H)) at the price of ⌈T / CHUNK⌉ matMuls instead of one.
 */
export const CHUNK = 4;

/** Consecutive steps concatenated into [c·B, in] blocks of up to CHUNK steps. */
function chunkSteps(xs: tf.Tensor2D[]): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  for (let start = 0; start < xs.length; start += CHUNK) {
    const part = xs.slice(start, start + CHUNK);
    out.push(part.length === 1 ? part[0] : tf.concat(part, 0));
  }
  return out;
}

/** x_t · kernel + bias for every step t, one matMul per chunk, cut back into steps. */
function projectSteps(
  chunks: tf.Tensor2D[],
  batch: number,
  kernel: tf.Tensor2D,
  bias: tf.Tensor | undefined,
): tf.Tensor2D[] {
  return chunks.flatMap((a): tf.Tensor2D[] => {
    const g = tf.fused.matMul({ a, b: kernel, bias });
    const count = a.shape[0] / batch;
    return count === 1 ? [g as tf.Tensor2D] : tf.split(g, count, 0);
  });
}

/**
 * tf.unstack along axis 0, in two levels: as Slice copies its whole input (see CHUNK),
 * unstacking n steps directly copies n·size; √n chunks of √n steps copy 2·√n·size.
 */
export function unstackSteps(x: tf.Tensor): tf.Tensor[] {
  const n = x.shape[0];
  // A one-way tf.unstack has no working gradient in tfjs 4.22 (nor has a one-way tf.split).
  if (n === 1) return [tf.reshape(x, x.shape.slice(1))];
  const chunk = Math.ceil(Math.sqrt(n));
  if (chunk >= n) return tf.unstack(x);
  const sizes: number[] = [];
  for (let start = 0; start < n; start += chunk) sizes.push(Math.min(chunk, n - start));
  // A last piece of one step is reshaped, not unstacked, for the same gradient reason.
  return tf
    .split(x, sizes, 0)
    .flatMap((piece) =>
      piece.shape[0] === 1 ? [tf.reshape(piece, piece.shape.slice(1))] : tf.unstack(piece),
    );
}

/** One layer and direction: per gate k, `ih_k` [in, H], `hh_k` [H, H], `b_k`; gru also `bhn`. */
function prepareDirection(
  node: NodeOf<RecurrentOp>,
  w: WeightReader,
  names: ReturnType<typeof recurrentWeightNames>,
): Record<string, tf.Tensor> {
  const gateNames = gates[node.op];
  // Rows per gate. (A one-way tf.split has no working gradient in tfjs 4.22, so rnn skips it.)
  const perGate = (t: tf.Tensor) =>
    gateNames.length === 1 ? [t] : tf.split(t, gateNames.length, 0);
  const wIh = perGate(w.get(names.wIh));
  const wHh = perGate(w.get(names.wHh));
  const bIh = w.optional(names.bIh);
  const bHh = w.optional(names.bHh);
  const bI = bIh === undefined ? undefined : perGate(bIh);
  const bH = bHh === undefined ? undefined : perGate(bHh);
  const out: Record<string, tf.Tensor> = {};
  gateNames.forEach((gate, k) => {
    out[`ih_${gate}`] = tf.transpose(wIh[k]);
    out[`hh_${gate}`] = tf.transpose(wHh[k]);
    if (bI === undefined || bH === undefined) return;
    if (node.op === 'gru' && gate === 'n') {
      out.b_n = bI[k];
      out.bhn = bH[k];
    } else out[`b_${gate}`] = tf.add(bI[k], bH[k]);
  });
  return out;
}

/** `_l0_reverse`: PyTorch's layer/direction suffix, appended to our prepared names. */
function suffix(layer: number, reverse: boolean): string {
  return recurrentWeightNames(layer, reverse).wIh.slice('weight_ih'.length);
}

export function recurrentKernel(): Kernel<RecurrentOp> {
  return {
    prepare(node, w) {
      const out: Record<string, tf.Tensor> = {};
      for (let layer = 0; layer < node.numLayers; layer++) {
        for (const reverse of node.bidirectional ? [false, true] : [false]) {
          const dir = prepareDirection(node, w, recurrentWeightNames(layer, reverse));
          for (const [name, t] of Object.entries(dir)) out[name + suffix(layer, reverse)] = t;
        }
      }
      return out;
    },
    apply(node, ins, w) {
      const {
        inputs: [input, h0, c0],
        lengths,
      } = splitLengths(node, ins);
      const x = input.logical; // [B, T, in]
      const [batch, time] = x.shape as [number, number, number];
      const step = steps[node.op];
      const packed = lengths === undefined ? undefined : packing(hostLengths(lengths), node);
      // [D·numLayers, B, H] → one [B, H] per layer and direction, in h_n's (layer-major) order.
      const initial = (v: typeof h0) =>
        v === undefined ? undefined : (unstackSteps(v.logical) as tf.Tensor2D[]);
      const hs = initial(h0);
      const cs = initial(c0);
      let xs = unstackSteps(tf.transpose(x, [1, 0, 2])) as tf.Tensor2D[]; // T × [B, in]
      const hN: tf.Tensor[] = [];
      const cN: tf.Tensor[] = [];
      for (let layer = 0; layer < node.numLayers; layer++) {
        const chunks = chunkSteps(xs);
        const dirs: tf.Tensor2D[][] = [];
        for (const reverse of node.bidirectional ? [false, true] : [false]) {
          const s = suffix(layer, reverse);
          const projected: Record<string, tf.Tensor2D[]> = {};
          const kernelHh: Record<string, tf.Tensor2D> = {};
          for (const gate of gates[node.op]) {
            const kernelIh = w.get(`ih_${gate}${s}`) as tf.Tensor2D;
            projected[gate] = projectSteps(chunks, batch, kernelIh, w.optional(`b_${gate}${s}`));
            kernelHh[gate] = w.get(`hh_${gate}${s}`) as tf.Tensor2D;
          }
          const biasHn = w.optional(`bhn${s}`);
          const outputs: tf.Tensor2D[] = new Array(time);
          const cells: tf.Tensor2D[] = new Array(time); // c_t, read only by packed forward runs
          const at0 = hN.length; // this layer and direction's row of h_0 and h_n
          let state: State | null = hs === undefined ? null : { h: hs[at0], c: cs?.[at0] };
          for (let k = 0; k < time; k++) {
            const t = reverse ? time - 1 - k : k;
            if (packed !== undefined && t >= packed.longest) {
              outputs[t] = packed.zeros; // padding in every row
              continue;
            }
            const at = Object.fromEntries(Object.entries(projected).map(([g, p]) => [g, p[t]]));
            const next = step(node, { projected: at, kernelHh, biasHn }, state);
            state = packed !== undefined && reverse ? packed.hold(t, next, state) : next;
            outputs[t] = state.h;
            if (state.c !== undefined) cells[t] = state.c;
          }
          dirs.push(outputs);
          if (packed !== undefined && !reverse && packed.ragged) {
            hN.push(packed.last(outputs));
            if (node.op === 'lstm') cN.push(packed.last(cells));
          } else {
            hN.push(state!.h);
            if (state!.c !== undefined) cN.push(state!.c);
          }
        }
        xs = dirs.length === 1 ? dirs[0] : dirs[0].map((h, t) => tf.concat([h, dirs[1][t]], 1));
      }
      const ports: Record<string, tf.Tensor> = { h_n: tf.stack(hN) };
      if (node.op === 'lstm') ports.c_n = tf.stack(cN);
      // Stacking on axis 1 copies whole rows; stacking on 0 and transposing moves every element.
      const out = tf.stack(xs, 1);
      return { out: packed?.ragged ? packed.zeroPadding(out) : out, ports };
    },
  };
}

/** What a packed run adds to the loop (see the file's opening), from the lengths on the host. */
interface Packing {
  /** The longest length: steps from there on are padding in every row. */
  longest: number;
  /** Whether the lengths differ (with equal lengths no row needs a mask). */
  ragged: boolean;
  /** [B, H] of 0: the output at a step no row has. */
  zeros: tf.Tensor2D;
  /** The reverse direction's step t: `next` where t < L_b, the previous state (0 at first) elsewhere. */
  hold(t: number, next: State, prev: State | null): State;
  /** Each row's value at its last valid step L_b − 1, from the per-step [B, H] tensors. */
  last(perStep: tf.Tensor2D[]): tf.Tensor2D;
  /** out [B, T, F] with 0 at t ≥ L_b. */
  zeroPadding(out: tf.Tensor): tf.Tensor;
}

function packing(lengths: Int32Array, node: NodeOf<RecurrentOp>): Packing {
  const batch = lengths.length;
  const hidden = node.hiddenSize;
  const longest = Math.max(...lengths);
  const shortest = Math.min(...lengths);
  // Row (L_b − 1)·B + b of the steps concatenated along the batch axis.
  const lastRows = tf.tensor1d(
    Array.from(lengths, (l, b) => (l - 1) * batch + b),
    'int32',
  );
  // Step t's bool [B, H], of the state's own shape (tf.where would tile a [B, 1] one), made once
  // per node for the steps l ≤ t < L, where some rows are valid and some are not.
  const masks = new Map<number, tf.Tensor2D>();
  const maskAt = (t: number) => {
    let m = masks.get(t);
    if (m === undefined) {
      const data = new Uint8Array(batch * hidden);
      lengths.forEach((l, b) => {
        if (t < l) data.fill(1, b * hidden, (b + 1) * hidden);
      });
      m = tf.tensor2d(data, [batch, hidden], 'bool');
      masks.set(t, m);
    }
    return m;
  };
  const zeros = tf.zeros([batch, hidden]) as tf.Tensor2D;
  return {
    longest,
    ragged: shortest < longest,
    zeros,
    hold(t, next, prev) {
      if (t < shortest) return next; // every row is valid at t
      const keep = (a: tf.Tensor2D, b: tf.Tensor2D | undefined) =>
        tf.where(maskAt(t), a, b ?? zeros) as tf.Tensor2D;
      return next.c === undefined
        ? { h: keep(next.h, prev?.h) }
        : { h: keep(next.h, prev?.h), c: keep(next.c, prev?.c) };
    },
    last: (perStep) => tf.gather(tf.concat(perStep.slice(0, longest), 0), lastRows) as tf.Tensor2D,
    zeroPadding: (out) => tf.where(validMask(lengths, out.shape), out, tf.zerosLike(out)),
  };
}
