// nn.MultiheadAttention(batch_first=True) as self-attention on one input [B, T, E]:
// [Q K V] = x W_inᵀ + b_in, per head softmax(Q Kᵀ / √d_k + mask) V, then the output projection.
// `causal` masks key positions after the query position (PyTorch's upper-triangular -inf mask).
// `cache: true` (what a decoder's step spec sets, §6.5) adds the ports `key` and `value`, the
// keys and values of every position so far [B, h, past + T, d], and takes the past ones as
// further inputs [x, pastKey, pastValue] (as Hugging Face's past_key_values): the T new queries
// are the last T positions.
// Two inputs [query, memory] (cache off) are cross-attention, mha(query, memory, memory): the
// queries from the first, keys and values from the second, of any length; `causal` needs one input.
// In a decoder (§6.5) the memory stays fixed: with `cache: true` a cross-attention (the prefill)
// returns the memory's keys and values [B, h, S, d] as its ports, and with `memoryCached: true`
// too (every later step) it reads them back as [query, key, value]: computed once.
// `lengths` (an int32 [B] model input) masks the keys at t ≥ length, PyTorch's key_padding_mask:
// the input's keys, or the memory's with two inputs. Padded query rows attend to the valid keys.
import { z } from 'zod';
import { dimSum } from '../dims.js';
import {
  type DecomposedNode,
  defineOp,
  divisors,
  fail,
  float,
  lengthsRef,
  nodeBase,
  positiveInt,
  prefixOf,
  probability,
  requireDim,
  requirePosition,
  requireRank,
  type TensorInfo,
  uniform,
  type WeightDecl,
  weightPrefix,
  zeros,
} from './common.js';

export interface AttentionAttrs {
  embedDim: number;
  numHeads: number;
  bias: boolean;
}

export function attentionWeights(a: AttentionAttrs, prefix = ''): WeightDecl[] {
  const e = a.embedDim;
  // in_proj_weight: xavier_uniform on [3E, E]: bound √(6 / (fan_in + fan_out)) = √(6 / 4E).
  const w: WeightDecl[] = [
    { name: `${prefix}in_proj_weight`, shape: [3 * e, e], init: uniform(Math.sqrt(6 / (4 * e))) },
  ];
  if (a.bias) w.push({ name: `${prefix}in_proj_bias`, shape: [3 * e], init: zeros });
  w.push({ name: `${prefix}out_proj.weight`, shape: [e, e], init: uniform(1 / Math.sqrt(e)) });
  if (a.bias) w.push({ name: `${prefix}out_proj.bias`, shape: [e], init: zeros });
  return w;
}

export function checkHeads(embedDim: number, numHeads: number, attr: string): void {
  if (embedDim % numHeads !== 0)
    fail(`${numHeads} does not divide the embedding size ${embedDim}`, attr);
}

export const multiHeadAttention = defineOp({
  op: 'multiHeadAttention',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('multiHeadAttention')
      .describe(
        'nn.MultiheadAttention(batch_first=True): self-attention on [batch, time, embedDim], or cross-attention on two inputs [query, memory]',
      ),
    embedDim: positiveInt.describe(
      '`embed_dim` of nn.MultiheadAttention: the width of the queries, keys, values and output',
    ),
    numHeads: positiveInt.describe(
      '`num_heads` of nn.MultiheadAttention: heads of embedDim / numHeads features each; it divides embedDim',
    ),
    bias: z
      .boolean()
      .default(true)
      .describe('`bias` of nn.MultiheadAttention: biases on in_proj and out_proj'),
    dropout: probability
      .default(0)
      .describe(
        '`dropout` of nn.MultiheadAttention: on the attention weights in training; accepted, unused at inference',
      ),
    causal: z
      .boolean()
      .default(false)
      .describe(
        "masks the keys after each query's position (PyTorch's is_causal, the upper-triangular −inf mask); self-attention only",
      ),
    cache: z
      .boolean()
      .optional()
      .describe(
        "a decoding step keeping its keys and values (the step spec sets it): ports `key` and `value` [batch, numHeads, past + time, headDim], inputs [x, pastKey, pastValue] (Hugging Face's past_key_values); a cross-attention's are the memory's",
      ),
    memoryCached: z
      .boolean()
      .optional()
      .describe(
        "with cache, a decoder's later step of a cross-attention: the inputs are [query, key, value], the memory's keys and values [batch, numHeads, memoryTime, headDim] as the prefill's ports gave them",
      ),
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each sequence's true length: keys at t ≥ length are masked (PyTorch's key_padding_mask), the memory's with two inputs",
    ),
  }),
  arity: [1, 3],
  // A decoder step's cross-attention counts the memory's cached keys [batch, heads, time, d].
  lengthsOf: (a, inputs) => ({
    lengths: a.memoryCached === true ? ([1, 2] as const) : inputs === 2 ? 1 : 0,
  }),
  ports: (a) => (a.cache === true && a.memoryCached !== true ? [...CACHE_PORTS] : []),
  infer(a, inputs) {
    checkHeads(a.embedDim, a.numHeads, 'numHeads');
    const headDim = a.embedDim / a.numHeads;
    if (a.memoryCached === true) {
      const [query, key, value] = inputs;
      if (a.cache !== true || inputs.length !== 3)
        fail(
          'reads [query, key, value] with cache: true (a decoder step of a cross-attention)',
          'memoryCached',
        );
      requireRank(query, [3], 'query [batch, time, embedDim]');
      requireDim(query.shape[2], a.embedDim, 'embedDim', 'query width');
      for (const [name, t] of Object.entries({ key, value }))
        if (t.shape.length !== 4 || t.shape[1] !== a.numHeads || t.shape[3] !== headDim)
          fail(
            `the memory's ${name} is [${t.shape.join(', ')}], expected [batch, ${a.numHeads}, memoryTime, ${headDim}]`,
          );
      return { out: float([...query.shape]) };
    }
    if (inputs.length === 2) {
      const [query, memory] = inputs;
      if (a.causal)
        fail(
          'masks a self-attention; with two inputs [query, memory] it cannot be causal',
          'causal',
        );
      requireRank(query, [3], 'query [batch, time, embedDim]');
      requireRank(memory, [3], 'memory [batch, memoryTime, embedDim]');
      requireDim(query.shape[2], a.embedDim, 'embedDim', 'query width');
      requireDim(memory.shape[2], a.embedDim, 'embedDim', 'memory width');
      const [bq, bm] = [query.shape[0], memory.shape[0]];
      if (typeof bq === 'number' && typeof bm === 'number' && bq !== bm)
        fail(`has a query of batch ${bq} and a memory of batch ${bm}`);
      const out = float([...query.shape]);
      if (a.cache !== true) return { out };
      // A decoder's prefill: the memory's keys and values, kept for every later step.
      const kv = float([memory.shape[0], a.numHeads, memory.shape[1], headDim]);
      return { out, ports: { key: kv, value: float([...kv.shape]) } };
    }
    const { x, past } = cacheInputs(a, inputs, false);
    requireRank(x, [3], 'input [batch, time, embedDim]');
    requireDim(x.shape[2], a.embedDim, 'embedDim', 'width');
    const out = float([...x.shape]);
    if (a.cache !== true) return { out };
    return { out, ports: cachePorts(x, past, a.numHeads, headDim) };
  },
  // A self-attention's lengths count the decoded time, which decodePlan refuses for every op; a
  // cross-attention's count the memory, and are fed to every step with the memory's keys.
  decode: (a, inputs) =>
    inputs.length === 2
      ? // Each query position attends to the whole memory, which stays as it is: its keys
        // and values are computed once, by the prefill, and read by every step.
        {
          state: CACHE_PORTS,
          stepAttrs: { cache: true },
          memory: { inputs: [1], ports: CACHE_PORTS, stepAttrs: { memoryCached: true } },
        }
      : a.causal
        ? { state: CACHE_PORTS, stepAttrs: { cache: true } }
        : 'is not causal: every position attends to later ones',
  weights: (a) => attentionWeights(a),
  // No flops: a composite counts its decomposition's.
  fuzz(d, x) {
    if (x.length !== 3) return undefined;
    const e = x[2];
    return {
      attrs: { embedDim: e, numHeads: d.pick(divisors(e)), bias: d.bool(), causal: d.bool() },
    };
  },
  examples: [
    {
      input: { shape: ['b', 't', 8] },
      node: { embedDim: 8, numHeads: 2, causal: true },
      shape: ['b', 't', 8],
      weights: {
        'n.in_proj_weight': [24, 8],
        'n.in_proj_bias': [24],
        'n.out_proj.weight': [8, 8],
        'n.out_proj.bias': [8],
      },
    },
    {
      input: { shape: ['b', 't', 4] },
      node: { embedDim: 4, numHeads: 1, bias: false, weightPrefix: 'model.layers.3.self_attn' },
      shape: ['b', 't', 4],
      weights: {
        'model.layers.3.self_attn.in_proj_weight': [12, 4],
        'model.layers.3.self_attn.out_proj.weight': [4, 4],
      },
    },
  ],
  decompose(a, id, inputs) {
    const [x, second, third] = inputs;
    const cross = inputs.length === 2;
    const cached = a.memoryCached === true;
    const past =
      cross || cached || second === undefined ? undefined : { key: second, value: third };
    const { nodes, key, value } = attentionNodes(a, id, prefixOf(a), x, {
      ...(past === undefined ? {} : { past }),
      ...(cross ? { memory: second } : {}),
      ...(cached ? { memoryKeys: { key: second, value: third } } : {}),
    });
    return {
      nodes,
      output: `${id}.out_proj`,
      ...(a.cache === true && !cached ? { ports: { key, value } } : {}),
    };
  },
});

/** The ports of an attention with `cache: true`. */
export const CACHE_PORTS = ['key', 'value'] as const;

/**
 * Splits an attention's inputs: x, then (with `cache`) the position when the op reads one
 * (`positioned`), then the past keys and values, which come together or not at all.
 */
export function cacheInputs(a: { cache?: boolean }, inputs: TensorInfo[], positioned: boolean) {
  const [x, ...rest] = inputs;
  if (a.cache !== true) {
    if (rest.length > 0) fail(`takes one input unless cache is true, got ${inputs.length}`);
    return { x, position: undefined, past: undefined };
  }
  const position = positioned ? rest.shift() : undefined;
  requirePosition(position, 'first');
  if (rest.length !== 0 && rest.length !== 2)
    fail(
      `with cache takes [x${positioned ? ', position' : ''}] or [x${positioned ? ', position' : ''}, pastKey, pastValue], got ${inputs.length} inputs`,
    );
  const past = rest.length === 2 ? { key: rest[0], value: rest[1] } : undefined;
  if (past !== undefined && position === undefined && positioned)
    fail('with past keys and values needs the position of its first query');
  return { x, position, past };
}

/** The key and value ports [B, heads, past + T, headDim], checking the past ones given. */
export function cachePorts(
  x: TensorInfo,
  past: { key: TensorInfo; value: TensorInfo } | undefined,
  heads: number,
  headDim: number,
): Record<string, TensorInfo> {
  let time = x.shape[1];
  if (past !== undefined) {
    for (const [name, t] of Object.entries(past)) {
      const [b, h, , d] = t.shape;
      if (
        t.shape.length !== 4 ||
        h !== heads ||
        d !== headDim ||
        (typeof b === 'number' && typeof x.shape[0] === 'number' && b !== x.shape[0])
      )
        fail(
          `past ${name} is [${t.shape.join(', ')}], expected [batch, ${heads}, past, ${headDim}]`,
        );
    }
    const p = past.key.shape[2];
    if (past.value.shape[2] !== p)
      fail(`past key has ${p} positions, past value ${past.value.shape[2]}`);
    time = dimSum(p, time);
  }
  const info = float([x.shape[0], heads, time, headDim]);
  return { key: info, value: float([...info.shape]) };
}

/** The sub-node whose output is an attention's softmax weights [batch, heads, tq, tk]. */
export const ATTENTION_WEIGHTS = 'attn_weights';

/**
 * Self-attention as primitives, the sub-nodes `<id>.<sub>` named after PyTorch's attributes, with
 * weights under the composite's prefix (`<prefix>.in_proj_weight`, `<prefix>.out_proj.weight`):
 *   in_proj = x W_inᵀ + b_in          [B, T, 3E]   (q, k, v side by side)
 *   q, k, v = heads [B, h, T, d]       (in_proj split into [3, h, d], moved to the front and
 *                                        selected: contiguous slices; k transposed to [B, h, d, T])
 *   attn_weights = softmax(mask((q · 1/√d) kᵀ))     [B, h, T, T]  (q scaled, as PyTorch does)
 *   out_proj(merge heads(attn_weights · v))        [B, T, E]
 * With a `memory` (cross-attention), q comes from x's projection and k, v from the memory's
 * (each projected with the whole packed in_proj and the unused third or two thirds left: the
 * kernels read whole weights, so the split of in_proj_weight is done on the outputs).
 */
export function attentionNodes(
  a: AttentionAttrs & { causal: boolean; lengths?: string },
  id: string,
  prefix: string,
  x: string,
  from: {
    /** A decoder's past keys and values, before the new ones. */
    past?: { key: string; value: string };
    /** Cross-attention: keys and values from this memory. */
    memory?: string;
    /** Cross-attention in a decoder's step: the memory's keys and values as the prefill made them. */
    memoryKeys?: { key: string; value: string };
  } = {},
): { nodes: DecomposedNode[]; key: string; value: string } {
  const { past, memory, memoryKeys } = from;
  const e = a.embedDim;
  const h = a.numHeads;
  const d = e / h;
  const n = (sub: string) => `${id}.${sub}`;
  const part = (name: 'q' | 'k' | 'v', index: number): DecomposedNode => ({
    id: n(name),
    op: 'select',
    input: [n(name !== 'q' && memory !== undefined ? 'memory_qkv' : 'qkv')],
    dim: 0,
    index,
  });
  // in_proj of `input` split into heads [3, B, h, T, d] under the sub-node names `<name>...`.
  const project = (input: string, proj: string, heads: string, qkv: string): DecomposedNode[] => [
    {
      id: n(proj),
      op: 'linear',
      input: [input],
      inFeatures: e,
      outFeatures: 3 * e,
      bias: a.bias,
      weights: { weight: `${prefix}.in_proj_weight`, bias: `${prefix}.in_proj_bias` },
    },
    { id: n(heads), op: 'unflatten', input: [n(proj)], dim: -1, sizes: [3, h, d] },
    { id: n(qkv), op: 'permute', input: [n(heads)], dims: [2, 0, 3, 1, 4] },
  ];
  const all =
    memoryKeys === undefined
      ? appendPast(n, past, n('k'), n('v'))
      : { nodes: [], key: memoryKeys.key, value: memoryKeys.value };
  const nodes: DecomposedNode[] = [
    ...project(x, 'in_proj', 'qkv_heads', 'qkv'),
    ...(memory === undefined
      ? []
      : project(memory, 'memory_in_proj', 'memory_qkv_heads', 'memory_qkv')),
    part('q', 0),
    ...(memoryKeys === undefined ? [part('k', 1), part('v', 2)] : []),
    ...all.nodes,
    ...scaledDotProduct(n, { q: n('q'), k: all.key, v: all.value }, d, a.causal, a.lengths),
    {
      id: n('out_proj'),
      op: 'linear',
      input: [n('merged')],
      inFeatures: e,
      outFeatures: e,
      bias: a.bias,
      weightPrefix: `${prefix}.out_proj`,
    },
  ];
  return { nodes, key: all.key, value: all.value };
}

/**
 * The keys and values of every position [B, h, past + T, d]: the past ones (a decoder's cache)
 * followed by the new (sub-nodes `k_all`, `v_all`), or without a past the new ones themselves.
 */
export function appendPast(
  n: (sub: string) => string,
  past: { key: string; value: string } | undefined,
  k: string,
  v: string,
): { nodes: DecomposedNode[]; key: string; value: string } {
  if (past === undefined) return { nodes: [], key: k, value: v };
  return {
    nodes: [
      { id: n('k_all'), op: 'concat', input: [past.key, k], dim: 2 },
      { id: n('v_all'), op: 'concat', input: [past.value, v], dim: 2 },
    ],
    key: n('k_all'),
    value: n('v_all'),
  };
}

/**
 * The attention core on heads q, k, v [B, h, T, d] (k and v already as many heads as q), the
 * sub-nodes named by `n`: softmax(mask((q · 1/√d) kᵀ)) v, heads merged back to [B, T, h·d] in
 * the sub-node `merged`; the mask is causal, and/or the key padding of `lengths` (the name of
 * an int32 [B] model input). Shared by multiHeadAttention and attention.
 */
export function scaledDotProduct(
  n: (sub: string) => string,
  heads: { q: string; k: string; v: string },
  headDim: number,
  causal: boolean,
  lengths?: string,
): DecomposedNode[] {
  const masks: DecomposedNode[] = [];
  let scores = n('scores');
  if (causal) {
    masks.push({ id: n('masked'), op: 'causalMask', input: [scores] });
    scores = n('masked');
  }
  if (lengths !== undefined) {
    // Keys at t ≥ length (PyTorch's key_padding_mask), after the causal mask when both apply.
    masks.push({ id: n('padded'), op: 'lengthMask', input: [scores, lengths] });
    scores = n('padded');
  }
  return [
    { id: n('k_t'), op: 'permute', input: [heads.k], dims: [0, 1, 3, 2] },
    { id: n('q_scaled'), op: 'scale', input: [heads.q], factor: 1 / Math.sqrt(headDim) },
    { id: n('scores'), op: 'matmul', input: [n('q_scaled'), n('k_t')] },
    ...masks,
    { id: n(ATTENTION_WEIGHTS), op: 'softmax', input: [scores], dim: -1 },
    { id: n('context'), op: 'matmul', input: [n(ATTENTION_WEIGHTS), heads.v] },
    { id: n('context_t'), op: 'permute', input: [n('context')], dims: [0, 2, 1, 3] },
    { id: n('merged'), op: 'flatten', input: [n('context_t')], startDim: 2, endDim: 3 },
  ];
}
