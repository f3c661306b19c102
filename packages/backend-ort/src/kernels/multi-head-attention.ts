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
type Core = (ctx: Ctx) => string;

/** W_inᵀ [E, 3E], named `<in_proj_weight>.T`. */
function inProjT({ b, hint, node, weight }: Ctx): string {
  const e = node.embedDim;
  const w = weight('in_proj_weight');
  return b.derivedInit(
    w,
    '.T',
    `${hint}_in_proj_t`,
    [e, 3 * e],
    transpose2d(w.data as Float32Array, 3 * e, e),
  );
}

/** b_in [3E] (zeros without bias). */
function inProjBias({ b, hint, node, weight }: Ctx): string {
  return node.bias
    ? b.tensorInit(`${hint}_in_proj_bias`, weight('in_proj_bias'))
    : b.floatInit(`${hint}_in_proj_bias`, [3 * node.embedDim], new Float32Array(3 * node.embedDim));
}

/** The core, then y = attended W_outᵀ (+ b_out). */
function fused(core: Core): Emitter<'multiHeadAttention'> {
  return (ctx) => {
    const { b, hint, node, weight } = ctx;
    const e = node.embedDim;
    const attended = core(ctx);
    const out = weight('out_proj.weight');
    const wOut = b.derivedInit(
      out,
      '.T',
      `${hint}_out_proj_t`,
      [e, e],
      transpose2d(out.data as Float32Array, e, e),
    );
    if (!node.bias) return b.op1('MatMul', [attended, wOut], hint);
    const y = b.op1('MatMul', [attended, wOut], `${hint}_out_proj`);
    return b.op1('Add', [y, b.tensorInit(`${hint}_out_proj_bias`, weight('out_proj.bias'))], hint);
  };
}

const msAttention: Core = (ctx) => {
  const { b, hint, node, inputs } = ctx;
  return b.op1(
    'Attention',
    [inputs[0], inProjT(ctx), inProjBias(ctx)],
    `${hint}_attention`,
    { num_heads: int(node.numHeads), unidirectional: int(node.causal ? 1 : 0) },
    MS,
  );
};

const msMha: Core = (ctx) => {
  const { b, hint, node } = ctx;
  const [q, k, v] = qkv(ctx, false);
  return b.op1(
    'MultiHeadAttention',
    [q, k, v, inProjBias(ctx)],
    `${hint}_attention`,
    { num_heads: int(node.numHeads), unidirectional: int(node.causal ? 1 : 0) },
    MS,
  );
};

const onnxAttention: Core = (ctx) => {
  const { b, hint, node } = ctx;
  const [q, k, v] = qkv(ctx, true);
  return b.op1('Attention', [q, k, v], `${hint}_attention`, {
    q_num_heads: int(node.numHeads),
    kv_num_heads: int(node.numHeads),
    is_causal: int(node.causal ? 1 : 0),
  });
};

/** Q, K, V [B, T, E] from one MatMul against W_inᵀ [E, 3E] (+ b_in), split on the features. */
function qkv(ctx: Ctx, addBias: boolean): string[] {
  const { b, hint } = ctx;
  const e = ctx.node.embedDim;
  let proj = b.op1('MatMul', [ctx.inputs[0], inProjT(ctx)], `${hint}_qkv`);
  if (addBias) proj = b.op1('Add', [proj, inProjBias(ctx)], `${hint}_qkv_bias`);
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
