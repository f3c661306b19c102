// LLaMA's attention (the spec's ops/attention.ts) through com.microsoft GroupQueryAttention on the
// com.microsoft paths ('ms-attention', 'ms-mha'):
//   qkv = x [W_q; W_k; W_v]ᵀ (+ [b_q; b_k; b_v])       one MatMul, [B, T, (h + 2·kv)·d]
//   a   = GroupQueryAttention(qkv)                      heads, rope, causal softmax(q kᵀ / √d) v,
//                                                       query head i reads kv head floor(i / (h/kv))
//   y   = a W_oᵀ (+ b_o)
// GroupQueryAttention is made for decoding: it reads the keys' lengths as `seqlens_k` (the last
// index per sequence, here T − 1 for every row: one full prompt, no padding) and
// `total_sequence_length` (T), and it is causal over them, so a prompt's pass is the spec's causal
// attention. Rope is its `do_rotary`, from cos/sin caches [rows ≥ T, rotaryDim/2] (cos(p·f_i),
// sin(p·f_i), f_i the spec's invFreq) and `rotary_interleaved` for GPT-J's pairing; the features
// from rotaryDim on pass through, as the spec's partial rotary does. ORT's CPU kernel takes only
// head sizes that are multiples of 8, and 16 with rotary (rotaryDim a multiple of 16 too): a node
// it cannot express (gqaRefusal says why) is decomposed instead, by lowerFor in ../compile.ts, as
// are decoder graphs (`cache: true`), which keep the decomposition's past/present keys and values.
// The portable paths ('matmul', 'onnx-attention') always decompose. Conformance holds this
// against the decomposition, which the reference runs.

import { type NodeOf, ropeFrequencies } from '@tessera/spec';
import { elemType, type GraphBuilder, int } from '../graph-builder.js';
import { transpose2d } from './layout.js';
import type { AttentionPath, Emitter, KernelEntryOf } from './types.js';

const MS = 'com.microsoft';

type AttentionNode = NodeOf<'attention'>;

/** The node's head geometry, its defaults resolved as the spec's op resolves them. */
function geometry(node: AttentionNode) {
  const kvHeads = node.numKeyValueHeads ?? node.numHeads;
  const headDim = node.headDim ?? node.hiddenSize / node.numHeads;
  const rope =
    node.rope === false
      ? undefined
      : {
          theta: node.rope.theta,
          dim: node.rope.dim ?? headDim,
          interleaved: node.rope.interleaved,
        };
  return { kvHeads, headDim, rope };
}

/**
 * Why GroupQueryAttention cannot compute this node (then it is decomposed), or undefined. The
 * head-size rules are those of ORT 1.30's GroupQueryAttention input check
 * (group_query_attention_helper.h): head_size % 8, and with rotary head_size % 16 and
 * cos_cache's width (rotaryDim / 2) a multiple of 8.
 */
export function gqaRefusal(node: AttentionNode): string | undefined {
  const { headDim, rope } = geometry(node);
  if (node.cache === true) return 'a decoder graph (cache: true) keeps past and present keys';
  if (node.input.length > 1) return 'it reads a position input';
  // Key padding is the decomposition's mask (seqlens_k could carry right-padded lengths; not
  // proven here).
  if ('lengths' in node && node.lengths !== undefined) return 'it masks padded keys (lengths)';
  if (!node.causal) return 'GroupQueryAttention is causal only';
  if (headDim % 8 !== 0) return `head size ${headDim} is not a multiple of 8`;
  if (rope !== undefined && headDim % 16 !== 0)
    return `head size ${headDim} with rotary is not a multiple of 16`;
  if (rope !== undefined && rope.dim % 16 !== 0)
    return `rotary dim ${rope.dim} is not a multiple of 16`;
  return undefined;
}

function concatenated(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Values built once per graph and shared by every attention node that needs the same: the
 * lengths for each (batch, time) pair of dims, the rotary caches for each (theta, dim, time).
 */
const sharedByGraph = new WeakMap<GraphBuilder, Map<string, string[]>>();

function shared(b: GraphBuilder, key: string, make: () => string[]): string[] {
  let known = sharedByGraph.get(b);
  if (known === undefined) {
    known = new Map();
    sharedByGraph.set(b, known);
  }
  let made = known.get(key);
  if (made === undefined) {
    made = make();
    known.set(key, made);
  }
  return made;
}

/** seqlens_k (int32 [B], T − 1 each) and total_sequence_length (int32 scalar, T) of x [B, T, ...]. */
function lengths(b: GraphBuilder, x: string, dims: (number | string)[], hint: string) {
  const [seqlens, total] = shared(b, `lengths ${JSON.stringify(dims.slice(0, 2))}`, () => {
    const int32 = { to: int(elemType('int32')) };
    const shape = b.op1('Shape', [x], `${hint}_shape`, { end: int(2) });
    const time = b.op1('Gather', [shape, b.i64([1], true)], `${hint}_time`);
    const totalLength = b.op1('Cast', [time], `${hint}_total_sequence_length`, int32);
    const lastIndex = b.op1('Sub', [time, b.i64([1], true)], `${hint}_last`);
    const last = b.op1('Cast', [lastIndex], `${hint}_last_i32`, int32);
    const batch = b.op1('Slice', [shape, b.i64([0]), b.i64([1])], `${hint}_batch`);
    return [b.op1('Expand', [last, batch], `${hint}_seqlens_k`), totalLength];
  });
  return { seqlens, total };
}

/**
 * The cos and sin caches [rows, dim/2] for positions 0..rows−1: initializers (float64 on the host)
 * when the time is known, else computed in the graph from Range(T) (whole positions are exact in
 * float32, and the angle p·f_i is one float32 product, as ./rope.ts computes it).
 */
function rotaryCaches(
  b: GraphBuilder,
  x: string,
  time: number | string,
  rope: { theta: number; dim: number },
  hint: string,
): string[] {
  const key = `rotary ${rope.theta} ${rope.dim} ${JSON.stringify(time)}`;
  return shared(b, key, () => buildRotaryCaches(b, x, time, rope, hint));
}

function buildRotaryCaches(
  b: GraphBuilder,
  x: string,
  time: number | string,
  rope: { theta: number; dim: number },
  hint: string,
): string[] {
  const freq = ropeFrequencies(rope);
  const half = freq.length;
  if (typeof time === 'number') {
    const cos = new Float32Array(time * half);
    const sin = new Float32Array(time * half);
    for (let p = 0; p < time; p++)
      for (let i = 0; i < half; i++) {
        cos[p * half + i] = Math.cos(p * freq[i]);
        sin[p * half + i] = Math.sin(p * freq[i]);
      }
    return [
      b.floatInit(`${hint}_cos_cache`, [time, half], cos),
      b.floatInit(`${hint}_sin_cache`, [time, half], sin),
    ];
  }
  const limit = b.dimScalar(x, 1, `${hint}_rows_scalar`);
  const range = b.op1('Range', [b.i64([0], true), limit, b.i64([1], true)], `${hint}_range`);
  const steps = b.op1('Cast', [range], `${hint}_range_f`, { to: int(elemType('float32')) });
  const positions = b.op1('Unsqueeze', [steps, b.i64([1])], `${hint}_positions`);
  const f = b.floatInit(`${hint}_inv_freq`, [half], Float32Array.from(freq));
  const angles = b.op1('Mul', [positions, f], `${hint}_angles`);
  return [b.op1('Cos', [angles], `${hint}_cos_cache`), b.op1('Sin', [angles], `${hint}_sin_cache`)];
}

const groupQueryAttention: Emitter<'attention'> = ({
  b,
  node,
  hint,
  inputs: [x],
  inShapes,
  weight,
}) => {
  const { kvHeads, headDim, rope } = geometry(node);
  const h = node.numHeads;
  const hidden = node.hiddenSize;
  const inner = h * headDim;
  const kvInner = kvHeads * headDim;
  const projections = ['q_proj', 'k_proj', 'v_proj'];
  const w = b.floatInit(
    `${hint}_qkv_proj_t`,
    [hidden, inner + 2 * kvInner],
    // [out, in] PyTorch weights stacked along out, then transposed: [in, Σ out].
    transpose2d(
      concatenated(projections.map((p) => weight(`${p}.weight`).data as Float32Array)),
      inner + 2 * kvInner,
      hidden,
    ),
  );
  let qkv = b.op1('MatMul', [x, w], `${hint}_qkv`);
  if (node.bias) {
    const bias = b.floatInit(
      `${hint}_qkv_bias`,
      [inner + 2 * kvInner],
      concatenated(projections.map((p) => weight(`${p}.bias`).data as Float32Array)),
    );
    qkv = b.op1('Add', [qkv, bias], `${hint}_qkv_biased`);
  }
  const shape = inShapes[0].shape;
  const { seqlens, total } = lengths(b, x, shape, hint);
  const rotary = rope === undefined ? [] : rotaryCaches(b, x, shape[1], rope, hint);
  const [attended] = b.op(
    'GroupQueryAttention',
    [qkv, '', '', '', '', seqlens, total, ...rotary],
    `${hint}_attention`,
    {
      num_heads: int(h),
      kv_num_heads: int(kvHeads),
      ...(rope === undefined
        ? {}
        : { do_rotary: int(1), rotary_interleaved: int(rope.interleaved ? 1 : 0) }),
    },
    // The present keys and values are required outputs; nothing reads them.
    { domain: MS, outputs: ['out', 'present_key', 'present_value'] },
  );
  const wo = b.floatInit(
    `${hint}_o_proj_t`,
    [inner, hidden],
    transpose2d(weight('o_proj.weight').data as Float32Array, hidden, inner),
  );
  if (!node.outputBias) return b.op1('MatMul', [attended, wo], hint);
  const y = b.op1('MatMul', [attended, wo], `${hint}_o_proj`);
  return b.op1('Add', [y, b.tensorInit(`${hint}_o_proj_bias`, weight('o_proj.bias'))], hint);
};

/** The kernel table's attention entry on each attention path. */
export const attention: { [P in AttentionPath]: KernelEntryOf<'attention'> } = {
  matmul: 'decompose',
  'ms-attention': groupQueryAttention,
  'ms-mha': groupQueryAttention,
  'onnx-attention': 'decompose',
};
