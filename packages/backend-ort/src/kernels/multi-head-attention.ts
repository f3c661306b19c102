// nn.MultiheadAttention(batch_first) self-attention on x [B, T, E], E = h·d:
//   [Q K V] = x W_inᵀ + b_in;  per head softmax(Q Kᵀ / √d + mask) V;  y = concat(heads) W_outᵀ + b_out
// where the causal mask is -inf for keys after the query. One entry per lowering
// (EmitOptions.attention; the compiler picks the table of its path):
//   matmul          'decompose': the spec's own decomposition, op by op (MatMul, Softmax, ...);
//   ms-attention    com.microsoft Attention: the QKV projection, heads and mask in one node;
//   ms-mha          MatMul for QKV, then com.microsoft MultiHeadAttention (bias added inside);
//   onnx-attention  MatMul + Add for QKV, then the opset-23 Attention operator.
// The fused ones are followed by the output projection; conformance holds them against the
// decomposition.

import type { NodeOf } from '@tessera/spec';
import { int } from '../graph-builder.js';
import { transpose2d } from './layout.js';
import type { AttentionPath, EmitContext, Emitter, KernelEntryOf } from './types.js';

const MS = 'com.microsoft';

type Ctx = EmitContext<NodeOf<'multiHeadAttention'>>;

/** An attention core: the heads' output, merged [B, T, E], before the output projection. */
type Core = (ctx: Ctx, wIn: Float32Array, bIn: Float32Array) => string;

/** The core, then y = attended W_outᵀ (+ b_out). */
function fused(core: Core): Emitter<'multiHeadAttention'> {
  return (ctx) => {
    const { b, hint, node, weight } = ctx;
    const e = node.embedDim;
    const wIn = weight('in_proj_weight').data as Float32Array;
    const bIn = node.bias ? (weight('in_proj_bias').data as Float32Array) : new Float32Array(3 * e);
    const attended = core(ctx, wIn, bIn);
    const wOut = b.floatInit(
      `${hint}_out_proj_t`,
      [e, e],
      transpose2d(weight('out_proj.weight').data as Float32Array, e, e),
    );
    if (!node.bias) return b.op1('MatMul', [attended, wOut], hint);
    const y = b.op1('MatMul', [attended, wOut], `${hint}_out_proj`);
    return b.op1('Add', [y, b.tensorInit(`${hint}_out_proj_bias`, weight('out_proj.bias'))], hint);
  };
}

const msAttention: Core = ({ b, hint, node, inputs }, wIn, bIn) => {
  const e = node.embedDim;
  const w = b.floatInit(`${hint}_in_proj_t`, [e, 3 * e], transpose2d(wIn, 3 * e, e));
  const bias = b.floatInit(`${hint}_in_proj_bias`, [3 * e], bIn);
  return b.op1(
    'Attention',
    [inputs[0], w, bias],
    `${hint}_attention`,
    { num_heads: int(node.numHeads), unidirectional: int(node.causal ? 1 : 0) },
    MS,
  );
};

const msMha: Core = (ctx, wIn, bIn) => {
  const { b, hint, node } = ctx;
  const [q, k, v] = qkv(ctx, wIn, null);
  const bias = b.floatInit(`${hint}_in_proj_bias`, [3 * node.embedDim], bIn);
  return b.op1(
    'MultiHeadAttention',
    [q, k, v, bias],
    `${hint}_attention`,
    { num_heads: int(node.numHeads), unidirectional: int(node.causal ? 1 : 0) },
    MS,
  );
};

const onnxAttention: Core = (ctx, wIn, bIn) => {
  const { b, hint, node } = ctx;
  const [q, k, v] = qkv(ctx, wIn, bIn);
  return b.op1('Attention', [q, k, v], `${hint}_attention`, {
    q_num_heads: int(node.numHeads),
    kv_num_heads: int(node.numHeads),
    is_causal: int(node.causal ? 1 : 0),
  });
};

/** Q, K, V [B, T, E] from one MatMul against W_inᵀ [E, 3E] (+ b_in), split on the features. */
function qkv(ctx: Ctx, wIn: Float32Array, bIn: Float32Array | null): string[] {
  const { b, hint } = ctx;
  const e = ctx.node.embedDim;
  let proj = b.op1(
    'MatMul',
    [ctx.inputs[0], b.floatInit(`${hint}_in_proj_t`, [e, 3 * e], transpose2d(wIn, 3 * e, e))],
    `${hint}_qkv`,
  );
  if (bIn !== null)
    proj = b.op1(
      'Add',
      [proj, b.floatInit(`${hint}_in_proj_bias`, [3 * e], bIn)],
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

/** The kernel table's multiHeadAttention entry on each attention path. */
export const multiHeadAttention: { [P in AttentionPath]: KernelEntryOf<'multiHeadAttention'> } = {
  matmul: 'decompose',
  'ms-attention': fused(msAttention),
  'ms-mha': fused(msMha),
  'onnx-attention': fused(onnxAttention),
};
