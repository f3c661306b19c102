// Grouped-query self-attention with rotary positions on [B, T, hiddenSize], as Hugging Face's
// LlamaAttention (and Mistral's, Qwen2's) computes it:
//   q = q_proj(x), k = k_proj(x), v = v_proj(x), split into heads [B, h, T, headDim]
//   q, k = rope(q), rope(k)                     (unless rope is false)
//   k, v = repeat_kv(k), repeat_kv(v)           (query head h reads kv head floor(h / groups))
//   o_proj(merge heads(softmax(mask(q kᵀ / √headDim)) v))
// numKeyValueHeads = numHeads is multi-head attention, 1 is multi-query attention.
// `cache: true` (a decoder's step spec, §6.5) adds the ports `key` (after rope) and `value`
// [B, numKeyValueHeads, past + T, headDim] and takes [x, position, pastKey, pastValue] (the
// position, int32 [1], read by rope, taken without it too so that the inputs' order is one):
// the T new tokens sit at position, position + 1...
import { z } from 'zod';
import {
  type DecomposedNode,
  defineOp,
  divisors,
  type FuzzDraw,
  fail,
  float,
  lengthsRef,
  nodeBase,
  positiveInt,
  prefixOf,
  probability,
  requireDim,
  requireRank,
  uniform,
  type WeightDecl,
  weightPrefix,
} from './common.js';
import {
  appendPast,
  CACHE_PORTS,
  cacheInputs,
  cachePorts,
  scaledDotProduct,
} from './multi-head-attention.js';
import { ropeInterleaved, ropeTheta } from './rope.js';

const ropeSchema = z.strictObject({
  theta: ropeTheta,
  dim: positiveInt
    .optional()
    .describe(
      'the features turned at the start of each head (partial rotary: partial_rotary_factor · headDim): even, at most headDim; headDim when left out',
    ),
  interleaved: ropeInterleaved,
});

export const attention = defineOp({
  op: 'attention',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('attention')
      .describe(
        "grouped-query self-attention with rotary positions on [batch, time, hiddenSize], as Hugging Face's LlamaAttention (Mistral's, Qwen2's): q_proj, k_proj, v_proj, o_proj",
      ),
    hiddenSize: positiveInt.describe(
      '`hidden_size` of the model config: the width of the input and the output',
    ),
    numHeads: positiveInt.describe('`num_attention_heads` of the model config: the query heads'),
    numKeyValueHeads: positiveInt
      .optional()
      .describe(
        '`num_key_value_heads`: the key/value heads, each read by numHeads / numKeyValueHeads query heads (1 is multi-query attention); it divides numHeads, and is numHeads when left out',
      ),
    headDim: positiveInt
      .optional()
      .describe('`head_dim`: the width of each head; hiddenSize / numHeads when left out'),
    bias: z
      .boolean()
      .default(false)
      .describe('biases on q_proj, k_proj and v_proj (Qwen2 has them)'),
    outputBias: z.boolean().default(false).describe('a bias on o_proj'),
    causal: z
      .boolean()
      .default(true)
      .describe("masks the keys after each query's position, as a causal language model does"),
    rope: z
      .union([z.literal(false), ropeSchema])
      .prefault({ theta: 10000 })
      .describe('the rotary positions on q and k, or false for none; theta 10000 when left out'),
    dropout: probability
      .default(0)
      .describe("transformers' attention_dropout: accepted, unused at inference"),
    weightPrefix,
    cache: z
      .boolean()
      .optional()
      .describe(
        'a decoding step keeping its keys and values (the step spec sets it): ports `key` (after rope) and `value` [batch, numKeyValueHeads, past + time, headDim], inputs [x, position, pastKey, pastValue]',
      ),
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each sequence's true length: keys at t ≥ length are masked (Hugging Face's attention_mask of a right-padded batch)",
    ),
  }),
  arity: [1, 4],
  lengthsOf: () => ({ lengths: 0 }),
  inputDtype: ['float32', 'int32', 'float32', 'float32'],
  ports: (a) => (a.cache === true ? [...CACHE_PORTS] : []),
  infer(a, inputs) {
    const g = geometry(a);
    const { x, past } = cacheInputs(a, inputs, true);
    requireRank(x, [3], 'input [batch, time, hiddenSize]');
    requireDim(x.shape[2], a.hiddenSize, 'hiddenSize', 'width');
    if (g.rope !== undefined) {
      if (g.rope.dim % 2 !== 0)
        fail(`dim ${g.rope.dim} is odd; rotary features turn in pairs`, 'rope');
      if (g.rope.dim > g.headDim)
        fail(`dim ${g.rope.dim} is more than the head size ${g.headDim}`, 'rope');
    }
    const out = float([...x.shape]);
    if (a.cache !== true) return { out };
    return { out, ports: cachePorts(x, past, g.kvHeads, g.headDim) };
  },
  // Lengths here count the decoded time, which decodePlan refuses for every op.
  decode: (a) =>
    a.causal
      ? { position: true, state: CACHE_PORTS, stepAttrs: { cache: true } }
      : 'is not causal: every position attends to later ones',
  weights(a) {
    const { headDim, kvHeads } = geometry(a);
    const h = a.hiddenSize;
    const inner = a.numHeads * headDim;
    return [
      ...linearWeights('q_proj', inner, h, a.bias),
      ...linearWeights('k_proj', kvHeads * headDim, h, a.bias),
      ...linearWeights('v_proj', kvHeads * headDim, h, a.bias),
      ...linearWeights('o_proj', h, inner, a.outputBias),
    ];
  },
  // No flops: a composite counts its decomposition's.
  fuzz(d, x) {
    if (x.length !== 3) return undefined;
    const hiddenSize = x[2];
    const numHeads = d.int(1, 4);
    const numKeyValueHeads = d.pick(divisors(numHeads));
    const headDim = hiddenSize % numHeads === 0 && d.bool() ? undefined : d.int(1, 6);
    return {
      attrs: {
        hiddenSize,
        numHeads,
        numKeyValueHeads,
        ...(headDim === undefined ? {} : { headDim }),
        bias: d.bool(),
        outputBias: d.bool(),
        causal: d.bool(),
        rope: fuzzRope(d, headDim ?? hiddenSize / numHeads),
      },
    };
  },
  examples: [
    {
      // LLaMA's layout: 4 query heads of 2 over 2 key/value heads, no biases.
      input: { shape: ['b', 't', 8] },
      node: { hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2 },
      shape: ['b', 't', 8],
      weights: {
        'n.q_proj.weight': [8, 8],
        'n.k_proj.weight': [4, 8],
        'n.v_proj.weight': [4, 8],
        'n.o_proj.weight': [8, 8],
      },
    },
    {
      // Qwen2's q/k/v biases, a head size that is not hiddenSize / numHeads, partial rotary.
      input: { shape: [2, 3, 6] },
      node: {
        hiddenSize: 6,
        numHeads: 2,
        numKeyValueHeads: 1,
        headDim: 4,
        bias: true,
        outputBias: true,
        rope: { theta: 500000, dim: 2, interleaved: true },
      },
      shape: [2, 3, 6],
      weights: {
        'n.q_proj.weight': [8, 6],
        'n.q_proj.bias': [8],
        'n.k_proj.weight': [4, 6],
        'n.k_proj.bias': [4],
        'n.v_proj.weight': [4, 6],
        'n.v_proj.bias': [4],
        'n.o_proj.weight': [6, 8],
        'n.o_proj.bias': [6],
      },
    },
  ],
  decompose(a, id, [x, ...rest]) {
    // [position] or [position, pastKey, pastValue] with cache (a prefill may leave them out).
    const position = rest.length % 2 === 1 ? rest.shift() : undefined;
    const past = rest.length === 2 ? { key: rest[0], value: rest[1] } : undefined;
    const { nodes, key, value } = attentionNodes(a, id, prefixOf(a), x, {
      ...(a.rope === false ? {} : { position }),
      past,
    });
    return {
      nodes,
      output: `${id}.o_proj`,
      ...(a.cache === true ? { ports: { key, value } } : {}),
    };
  },
});

interface AttentionSizes {
  hiddenSize: number;
  numHeads: number;
  numKeyValueHeads?: number;
  headDim?: number;
  rope: false | { theta: number; dim?: number; interleaved: boolean };
}

/** The defaults that hang on other attributes, resolved; fails naming the attribute to blame. */
function geometry(a: AttentionSizes) {
  const kvHeads = a.numKeyValueHeads ?? a.numHeads;
  if (a.numHeads % kvHeads !== 0)
    fail(`${kvHeads} does not divide numHeads ${a.numHeads}`, 'numKeyValueHeads');
  if (a.headDim === undefined && a.hiddenSize % a.numHeads !== 0)
    fail(
      `${a.numHeads} does not divide hiddenSize ${a.hiddenSize}; give headDim to set the head size`,
      'numHeads',
    );
  const headDim = a.headDim ?? a.hiddenSize / a.numHeads;
  const rope =
    a.rope === false
      ? undefined
      : { theta: a.rope.theta, dim: a.rope.dim ?? headDim, interleaved: a.rope.interleaved };
  return { kvHeads, headDim, rope };
}

/** nn.Linear's weights under `name`: kaiming_uniform(a=√5) gives U(±1/√in), the bias the same. */
function linearWeights(name: string, out: number, inp: number, bias: boolean): WeightDecl[] {
  const init = uniform(1 / Math.sqrt(inp));
  return [
    { name: `${name}.weight`, shape: [out, inp], init },
    ...(bias ? [{ name: `${name}.bias`, shape: [out], init }] : []),
  ];
}

function fuzzRope(d: FuzzDraw, headDim: number) {
  const kind = d.pick(['none', 'default', 'partial'] as const);
  if (kind === 'none' || headDim < 2) return false;
  const theta = d.pick([10000, 500000]);
  const interleaved = d.bool();
  if (kind === 'default' && headDim % 2 === 0) return { theta, interleaved };
  return { theta, dim: 2 * d.int(1, Math.floor(headDim / 2)), interleaved };
}

/**
 * The attention as primitives, sub-nodes `<id>.<sub>` with weights under `<prefix>.<sub>`:
 *   q_proj, k_proj, v_proj = linear(x)                   [B, T, heads·d]
 *   q, k, v = heads [B, heads, T, d]                      (unflatten, permute)
 *   q_rope, k_rope = rope(q), rope(k)                     (when rope is on)
 *   k_rep, v_rep = repeatInterleave(k, v, groups, dim 1)  (when numKeyValueHeads < numHeads)
 *   attn_weights = softmax(mask((q · 1/√d) kᵀ))           [B, h, T, T]
 *   o_proj(merge heads(attn_weights · v))                 [B, T, hiddenSize]
 */
export function attentionNodes(
  a: AttentionSizes & { bias: boolean; outputBias: boolean; causal: boolean; lengths?: string },
  id: string,
  prefix: string,
  x: string,
  cache: { position?: string; past?: { key: string; value: string } } = {},
): { nodes: DecomposedNode[]; key: string; value: string } {
  const { kvHeads, headDim: d, rope } = geometry(a);
  const h = a.numHeads;
  const groups = h / kvHeads;
  const n = (sub: string) => `${id}.${sub}`;
  const proj = (sub: string, input: string, inF: number, outF: number, bias: boolean) => ({
    id: n(sub),
    op: 'linear',
    input: [input],
    inFeatures: inF,
    outFeatures: outF,
    bias,
    weightPrefix: `${prefix}.${sub}`,
  });
  // One of q, k, v: projection, heads [B, heads, T, d], then rope where it applies.
  const branch = (name: 'q' | 'k' | 'v', heads: number) => {
    const nodes: DecomposedNode[] = [
      proj(`${name}_proj`, x, a.hiddenSize, heads * d, a.bias),
      {
        id: n(`${name}_heads`),
        op: 'unflatten',
        input: [n(`${name}_proj`)],
        dim: -1,
        sizes: [heads, d],
      },
      { id: n(name), op: 'permute', input: [n(`${name}_heads`)], dims: [0, 2, 1, 3] },
    ];
    let out = n(name);
    if (rope !== undefined && name !== 'v') {
      const offset = cache.position === undefined ? [] : [cache.position];
      nodes.push({ id: n(`${name}_rope`), op: 'rope', input: [out, ...offset], ...rope });
      out = n(`${name}_rope`);
    }
    return { nodes, out };
  };
  // Keys and values repeated to one per query head (repeat_kv), after the cache.
  const repeat = (name: 'k' | 'v', input: string) => {
    const nodes: DecomposedNode[] = [];
    let out = input;
    if (groups > 1) {
      nodes.push({
        id: n(`${name}_rep`),
        op: 'repeatInterleave',
        input: [out],
        repeats: groups,
        dim: 1,
      });
      out = n(`${name}_rep`);
    }
    return { nodes, out };
  };
  const q = branch('q', h);
  const k = branch('k', kvHeads);
  const v = branch('v', kvHeads);
  const all = appendPast(n, cache.past, k.out, v.out);
  const kRep = repeat('k', all.key);
  const vRep = repeat('v', all.value);
  const nodes = [
    ...q.nodes,
    ...k.nodes,
    ...v.nodes,
    ...all.nodes,
    ...kRep.nodes,
    ...vRep.nodes,
    ...scaledDotProduct(n, { q: q.out, k: kRep.out, v: vRep.out }, d, a.causal, a.lengths),
    proj('o_proj', n('merged'), h * d, a.hiddenSize, a.outputBias),
  ];
  return { nodes, key: all.key, value: all.value };
}
