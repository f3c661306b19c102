// nn.MultiheadAttention(batch_first) self-attention on x [B, T, E], E = h·d:
//   [Q K V] = x W_inᵀ + b_in;  per head softmax(Q Kᵀ / √d + mask) V;  y = concat(heads) W_outᵀ + b_out
// where the causal mask is -inf for keys after the query. Four lowerings (EmitOptions.attention):
//   matmul          plain MatMul / Softmax / MatMul, the scale folded into the Q rows of W_in;
//   ms-attention    com.microsoft Attention: the QKV projection, heads and mask in one node;
//   ms-mha          MatMul for QKV, then com.microsoft MultiHeadAttention (bias added inside);
//   onnx-attention  MatMul + Add for QKV, then the opset-23 Attention operator.

import type { NodeOf } from '@tessera/spec';
import { int } from '../graph-builder.js';
import { transpose2d } from './layout.js';
import type { EmitContext, Emitter } from './types.js';

const MS = 'com.microsoft';

export const multiHeadAttention: Emitter<'multiHeadAttention'> = (ctx) => {
  const { b, hint, node, weight, options } = ctx;
  const e = node.embedDim;
  const heads = node.numHeads;
  const x = ctx.inputs[0];
  const wIn = weight('in_proj_weight').data as Float32Array;
  const bIn = node.bias ? (weight('in_proj_bias').data as Float32Array) : new Float32Array(3 * e);
  const causal = int(node.causal ? 1 : 0);
  let attended: string;
  switch (options.attention) {
    case 'ms-attention': {
      const w = b.floatInit(`${hint}_in_proj_t`, [e, 3 * e], transpose2d(wIn, 3 * e, e));
      const bias = b.floatInit(`${hint}_in_proj_bias`, [3 * e], bIn);
      attended = b.op1(
        'Attention',
        [x, w, bias],
        `${hint}_attention`,
        { num_heads: int(heads), unidirectional: causal },
        MS,
      );
      break;
    }
    case 'ms-mha': {
      const [q, k, v] = qkv(ctx, wIn, null, 1);
      const bias = b.floatInit(`${hint}_in_proj_bias`, [3 * e], bIn);
      attended = b.op1(
        'MultiHeadAttention',
        [q, k, v, bias],
        `${hint}_attention`,
        { num_heads: int(heads), unidirectional: causal },
        MS,
      );
      break;
    }
    case 'onnx-attention': {
      const [q, k, v] = qkv(ctx, wIn, bIn, 1);
      attended = b.op1('Attention', [q, k, v], `${hint}_attention`, {
        q_num_heads: int(heads),
        kv_num_heads: int(heads),
        is_causal: causal,
      });
      break;
    }
    case 'matmul':
      attended = plainAttention(ctx, wIn, bIn);
      break;
  }
  const wOut = b.floatInit(
    `${hint}_out_proj_t`,
    [e, e],
    transpose2d(weight('out_proj.weight').data as Float32Array, e, e),
  );
  if (!node.bias) return b.op1('MatMul', [attended, wOut], hint);
  const y = b.op1('MatMul', [attended, wOut], `${hint}_out_proj`);
  return b.op1('Add', [y, b.tensorInit(`${hint}_out_proj_bias`, weight('out_proj.bias'))], hint);
};

/** Q, K, V [B, T, E] from one MatMul against W_inᵀ [E, 3E] (Q's rows scaled by `qScale`). */
function qkv(
  ctx: EmitContext<NodeOf<'multiHeadAttention'>>,
  wIn: Float32Array,
  bIn: Float32Array | null,
  qScale: number,
): string[] {
  const { b, hint } = ctx;
  const e = ctx.node.embedDim;
  const w = wIn.slice();
  const bias = bIn?.slice() ?? null;
  if (qScale !== 1) {
    for (let i = 0; i < e * e; i++) w[i] *= qScale;
    if (bias !== null) for (let i = 0; i < e; i++) bias[i] *= qScale;
  }
  let proj = b.op1(
    'MatMul',
    [ctx.inputs[0], b.floatInit(`${hint}_in_proj_t`, [e, 3 * e], transpose2d(w, 3 * e, e))],
    `${hint}_qkv`,
  );
  if (bias !== null)
    proj = b.op1(
      'Add',
      [proj, b.floatInit(`${hint}_in_proj_bias`, [3 * e], bias)],
      `${hint}_qkv_bias`,
    );
  return b.op(
    'Split',
    [proj, b.i64([e, e, e])],
    `${hint}_split`,
    { axis: int(-1) },
    { outputs: ['q', 'k', 'v'] },
  );
}

function plainAttention(
  ctx: EmitContext<NodeOf<'multiHeadAttention'>>,
  wIn: Float32Array,
  bIn: Float32Array,
): string {
  const { b, hint, node } = ctx;
  const e = node.embedDim;
  const heads = node.numHeads;
  const d = e / heads;
  const [q, k, v] = qkv(ctx, wIn, bIn, 1 / Math.sqrt(d));
  const split = b.i64([0, 0, heads, d]);
  const perHead = (t: string, name: string, perm: number[]) =>
    b.op1(
      'Transpose',
      [b.op1('Reshape', [t, split], `${hint}_${name}_heads`)],
      `${hint}_${name}_t`,
      { perm: { ints: perm } },
    );
  const qh = perHead(q, 'q', [0, 2, 1, 3]); // [B, h, T, d]
  const kh = perHead(k, 'k', [0, 2, 3, 1]); // [B, h, d, T]
  const vh = perHead(v, 'v', [0, 2, 1, 3]); // [B, h, T, d]
  let scores = b.op1('MatMul', [qh, kh], `${hint}_scores`);
  if (node.causal) scores = b.op1('Add', [scores, causalMask(ctx)], `${hint}_masked`);
  const p = b.op1('Softmax', [scores], `${hint}_probs`, { axis: int(-1) });
  const ctxh = b.op1('MatMul', [p, vh], `${hint}_context`);
  const merged = b.op1('Transpose', [ctxh], `${hint}_context_t`, { perm: { ints: [0, 2, 1, 3] } });
  return b.op1('Reshape', [merged, b.i64([0, 0, e])], `${hint}_heads`);
}

/** [T, T] with -inf strictly above the diagonal (key after query) and 0 elsewhere. */
function causalMask(ctx: EmitContext<NodeOf<'multiHeadAttention'>>): string {
  const { b, hint } = ctx;
  const t = ctx.inShapes[0].shape[1];
  if (typeof t === 'number') {
    const m = new Float32Array(t * t);
    for (let i = 0; i < t; i++)
      for (let j = i + 1; j < t; j++) m[i * t + j] = Number.NEGATIVE_INFINITY;
    return b.floatInit(`${hint}_mask`, [t, t], m);
  }
  const len = b.op1('Shape', [ctx.inputs[0]], `${hint}_time`, { start: int(1), end: int(2) });
  const square = b.op1('Concat', [len, len], `${hint}_square`, { axis: int(0) });
  // Expand -inf to [T, T], then Trilu(upper, k=1) keeps it above the diagonal and zeroes the rest.
  const negInf = b.floatInit(`${hint}_neg_inf`, [1], Float32Array.of(Number.NEGATIVE_INFINITY));
  const full = b.op1('Expand', [negInf, square], `${hint}_full`);
  return b.op1('Trilu', [full, b.i64([1], true)], `${hint}_mask`, { upper: int(1) });
}
