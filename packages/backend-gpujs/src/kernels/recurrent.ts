// rnn, lstm and gru (batch_first, PyTorch gate order) as kernel sequences, per layer and direction:
//   xp = x W_ihᵀ + b_ih for every step at once                     [B, T, G·H]
//   per step t: hh = h_{t-1} W_hhᵀ + b_hh                         [B, G·H]
//               state_t = update(xp[:, t], hh, state_{t-1})        [B, 1, S·H]  (S = 2 for lstm: h, c)
// then the states are joined along time (concat) and h (and c) sliced out. state_{-1} is zero, or
// the layer and direction's rows of the further inputs h_0 (and c_0) [layers·dirs, B, H]. Updates:
//   rnn:  h = act(xp + hh)
//   lstm: i, f, g, o = σ, σ, tanh, σ of (xp + hh) rows; c = f·c_{t-1} + i·g; h = o·tanh(c)
//   gru:  r = σ(xp_r + hh_r), z = σ(xp_z + hh_z), n = tanh(xp_n + r·hh_n), h = (1 - z)·n + z·h_{t-1}
// With lengths (packed sequences, §6.3) the update keeps the previous state where t ≥ L_b, so
// both directions run every step as above: forward, a row's state stops changing after its last
// valid step (h_n = state at T − 1); reverse, it stays the initial state until t = L_b − 1, where
// the row's sequence starts (h_n = state at 0). Padded steps never read xp, so a layer's padded
// outputs need no clearing; the last layer's are set to 0 once, as pad_packed_sequence pads.
import { gateCount, type NodeOf, recurrentWeightNames, splitLengths } from '@tessera/spec';
import { concatAlong } from './concat.js';
import { affine } from './linear.js';
import { sliceAlong } from './slice.js';
import { coords, lit } from './source.js';
import { sigmoidLines, tanhLines } from './stable.js';
import type { Arg, KernelContext, OpKernel, Value } from './types.js';
import { view } from './types.js';

type RecurrentName = 'rnn' | 'lstm' | 'gru';

/**
 * The update kernel body: a0 = xp, a1 = hh, a2 = previous state, a3 = t, and when `packed`
 * a4 = lengths, past whose row b's state is kept (a2[i]: the output and a2 share [B, S·H]).
 */
function updateBody(
  name: RecurrentName,
  node: NodeOf<RecurrentName>,
  time: number,
  h: number,
  packed: boolean,
): string {
  const g = gateCount[name];
  const sh = name === 'lstm' ? 2 * h : h;
  const keep = packed ? '\nif (a3 >= a4[b]) {\nreturn a2[i];\n}' : '';
  const head = `const b = Math.floor(i / ${lit(sh)});${keep}
const j = i - b * ${lit(sh)};
const xAt = (b * ${lit(time)} + a3) * ${lit(g * h)};
const hAt = b * ${lit(g * h)};`;
  const gate = (k: number, at: string) =>
    `a0[xAt + ${lit(k * h)} + ${at}] + a1[hAt + ${lit(k * h)} + ${at}]`;
  if (name === 'rnn') {
    const pre = gate(0, 'j');
    // relu as the unary kernel writes it (unary.ts): NaN kept.
    return (node as NodeOf<'rnn'>).nonlinearity === 'relu'
      ? `${head}\nconst pre = ${pre};\nreturn pre < 0 ? 0 : pre;`
      : `${head}\n${tanhLines('act', pre)}\nreturn act;`;
  }
  // σ and tanh in overflow-free forms (stable.ts), as in the unary kernels.
  if (name === 'gru') {
    return `${head}
${sigmoidLines('r', gate(0, 'j'))}
${sigmoidLines('z', gate(1, 'j'))}
${tanhLines('n', `a0[xAt + ${lit(2 * h)} + j] + r * a1[hAt + ${lit(2 * h)} + j]`)}
return (1 - z) * n + z * a2[i];`;
  }
  return `${head}
const jj = j % ${lit(h)};
${sigmoidLines('ig', gate(0, 'jj'))}
${sigmoidLines('fg', gate(1, 'jj'))}
${tanhLines('gg', gate(2, 'jj'))}
${sigmoidLines('og', gate(3, 'jj'))}
const c = fg * a2[b * ${lit(sh)} + ${lit(h)} + jj] + ig * gg;
${tanhLines('tc', 'c')}
if (j < ${lit(h)}) {
return og * tc;
}
return c;`;
}

/**
 * The initial state [B, S·H] of layer-direction `k`: rows k of h_0 (rnn, gru), or of h_0 and c_0
 * side by side per batch row (lstm, whose state holds h then c).
 */
function initialState(
  ctx: KernelContext,
  initial: Value[],
  k: number,
  batch: number,
  h: number,
): Value {
  const [h0, c0] = initial;
  if (c0 === undefined) return view(sliceAlong(ctx, h0, 0, k, 1), [batch, h]);
  const at = k * batch * h;
  const body = `const b = Math.floor(i / ${lit(2 * h)});
const j = i - b * ${lit(2 * h)};
if (j < ${lit(h)}) {
return a0[${lit(at)} + b * ${lit(h)} + j];
}
return a1[${lit(at)} + b * ${lit(h)} + j - ${lit(h)}];`;
  return ctx.run([batch, 2 * h], [h0, c0], body);
}

/** y [B, T, F] with its steps t ≥ lengths[b] set to 0 (a1 = lengths). */
function zeroPadded(ctx: KernelContext, y: Value, lengths: Value): Value {
  const [batch, time, width] = y.shape;
  const body = `${coords('c', 'i', [batch, time, width])}
if (c1 >= a1[c0]) {
return 0;
}
return a0[i];`;
  return ctx.run(y.shape, [y, lengths], body);
}

/** The last-dim slice [start, start + length) of v. */
function sliceLast(ctx: KernelContext, v: Value, start: number, length: number): Value {
  return sliceAlong(ctx, v, v.shape.length - 1, start, length);
}

export function recurrentKernel(name: RecurrentName): OpKernel<RecurrentName> {
  return (node, ins, ctx) => {
    const {
      inputs: [x, ...initial],
      lengths,
    } = splitLengths(node, ins);
    const [batch, time] = x.shape;
    const h = node.hiddenSize;
    const g = gateCount[name];
    const sh = name === 'lstm' ? 2 * h : h;
    const dirs = node.bidirectional ? 2 : 1;
    const finals: Value[] = [];
    let input = x;
    for (let layer = 0; layer < node.numLayers; layer++) {
      const inSize = input.shape[2];
      const outputs: Value[] = [];
      for (let dir = 0; dir < dirs; dir++) {
        const w = recurrentWeightNames(layer, dir === 1);
        const xp = affine(
          ctx,
          input,
          ctx.weight(w.wIh),
          node.bias ? ctx.weight(w.bIh) : null,
          inSize,
          g * h,
        );
        const wHh = ctx.weight(w.wHh);
        const bHh = node.bias ? ctx.weight(w.bHh) : null;
        const hhBody = `const b = Math.floor(i / ${lit(g * h)});
const row = i - b * ${lit(g * h)};
let s = 0;
for (let k = 0; k < ${lit(h)}; k++) {
s += a0[b * ${lit(sh)} + k] * a1[row * ${lit(h)} + k];
}
return s${bHh === null ? '' : ' + a2[row]'};`;
        const update = updateBody(name, node, time, h, lengths !== undefined);
        // Zero when h_0 (and c_0) are left out, as PyTorch's default.
        let state: Arg =
          initial.length === 0
            ? new Float32Array(batch * sh)
            : initialState(ctx, initial, layer * dirs + dir, batch, h);
        const states: Value[] = new Array(time);
        for (let step = 0; step < time; step++) {
          const t = dir === 0 ? step : time - 1 - step;
          const hh = ctx.run(
            [batch, g * h],
            bHh === null ? [state, wHh] : [state, wHh, bHh],
            hhBody,
          );
          const args: Arg[] = [xp, hh, state, t];
          if (lengths !== undefined) args.push(lengths);
          states[t] = ctx.run([batch, 1, sh], args, update);
          state = states[t];
        }
        finals.push(view(states[dir === 0 ? time - 1 : 0], [1, batch, sh]));
        const seq = concatAlong(ctx, states, 1);
        outputs.push(name === 'lstm' ? sliceLast(ctx, seq, 0, h) : seq);
      }
      input = concatAlong(ctx, outputs, 2);
    }
    if (lengths !== undefined) input = zeroPadded(ctx, input, lengths);
    const last = concatAlong(ctx, finals, 0);
    const ports: Record<string, Value> = {
      h_n: name === 'lstm' ? sliceLast(ctx, last, 0, h) : last,
    };
    if (name === 'lstm') ports.c_n = sliceLast(ctx, last, h, h);
    return { out: input, ports };
  };
}
