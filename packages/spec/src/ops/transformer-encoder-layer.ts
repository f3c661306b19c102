// nn.TransformerEncoderLayer(batch_first=True), eval mode:
//   normFirst:  x = x + SA(norm1(x));  x = x + FF(norm2(x))
//   otherwise:  x = norm1(x + SA(x));  x = norm2(x + FF(x))
// with FF(x) = linear2(activation(linear1(x))) and SA the self-attention block.
// `cache: true` is its self-attention's (multiHeadAttention): ports `key` and `value`, inputs
// [x, pastKey, pastValue].
import { z } from 'zod';
import {
  type DecomposedNode,
  defineOp,
  divisors,
  epsilon,
  float,
  lengthsRef,
  nodeBase,
  ones,
  positiveInt,
  prefixOf,
  probability,
  requireDim,
  requireRank,
  uniform,
  type WeightDecl,
  weightPrefix,
  zeros,
} from './common.js';
import {
  attentionWeights,
  CACHE_PORTS,
  cacheInputs,
  cachePorts,
  checkHeads,
} from './multi-head-attention.js';

export const transformerEncoderLayer = defineOp({
  op: 'transformerEncoderLayer',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('transformerEncoderLayer')
      .describe(
        'nn.TransformerEncoderLayer(batch_first=True) in eval mode: self-attention then a feed-forward block, each with a residual and a layer norm',
      ),
    ...layerAttrs('nn.TransformerEncoderLayer'),
    causal: z
      .boolean()
      .default(false)
      .describe(
        "masks the keys after each query's position (PyTorch's is_causal with the square subsequent mask)",
      ),
    cache: z
      .boolean()
      .optional()
      .describe(
        "a decoding step keeping its self-attention's keys and values (the step spec sets it): ports `key` and `value`, inputs [x, pastKey, pastValue]",
      ),
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each sequence's true length: keys at t ≥ length are masked (PyTorch's src_key_padding_mask)",
    ),
  }),
  arity: [1, 3],
  lengthsOf: () => ({ lengths: 0 }),
  ports: (a) => (a.cache === true ? [...CACHE_PORTS] : []),
  infer(a, inputs) {
    checkHeads(a.dModel, a.nhead, 'nhead');
    const { x, past } = cacheInputs(a, inputs, false);
    requireRank(x, [3], 'input [batch, time, dModel]');
    requireDim(x.shape[2], a.dModel, 'dModel', 'width');
    const out = float([...x.shape]);
    if (a.cache !== true) return { out };
    return { out, ports: cachePorts(x, past, a.nhead, a.dModel / a.nhead) };
  },
  // Lengths here count the decoded time, which decodePlan refuses for every op.
  decode: (a) =>
    a.causal
      ? { state: CACHE_PORTS, stepAttrs: { cache: true } }
      : 'is not causal: every position attends to later ones',
  weights(a) {
    const { lin, norm } = layerWeights(a);
    return [
      ...attentionWeights({ embedDim: a.dModel, numHeads: a.nhead, bias: a.bias }, 'self_attn.'),
      ...lin('linear1', a.dimFeedforward, a.dModel),
      ...lin('linear2', a.dModel, a.dimFeedforward),
      ...norm('norm1'),
      ...norm('norm2'),
    ];
  },
  // No flops: a composite counts its decomposition's.
  fuzz(d, x) {
    if (x.length !== 3) return undefined;
    const e = x[2];
    return {
      attrs: {
        dModel: e,
        nhead: d.pick(divisors(e)),
        dimFeedforward: d.int(1, 12),
        activation: d.pick(['relu', 'gelu'] as const),
        normFirst: d.bool(),
        causal: d.bool(),
        bias: d.bool(),
      },
    };
  },
  examples: [
    {
      input: { shape: ['b', 't', 8] },
      node: { dModel: 8, nhead: 2, dimFeedforward: 16 },
      shape: ['b', 't', 8],
      weights: {
        'n.self_attn.in_proj_weight': [24, 8],
        'n.self_attn.in_proj_bias': [24],
        'n.self_attn.out_proj.weight': [8, 8],
        'n.self_attn.out_proj.bias': [8],
        'n.linear1.weight': [16, 8],
        'n.linear1.bias': [16],
        'n.linear2.weight': [8, 16],
        'n.linear2.bias': [8],
        'n.norm1.weight': [8],
        'n.norm1.bias': [8],
        'n.norm2.weight': [8],
        'n.norm2.bias': [8],
      },
    },
    {
      input: { shape: ['b', 't', 4] },
      node: {
        dModel: 4,
        nhead: 1,
        dimFeedforward: 2,
        bias: false,
        weightPrefix: 'encoder.layers.0',
      },
      shape: ['b', 't', 4],
      weights: {
        'encoder.layers.0.self_attn.in_proj_weight': [12, 4],
        'encoder.layers.0.self_attn.out_proj.weight': [4, 4],
        'encoder.layers.0.linear1.weight': [2, 4],
        'encoder.layers.0.linear2.weight': [4, 2],
        'encoder.layers.0.norm1.weight': [4],
        'encoder.layers.0.norm2.weight': [4],
      },
    },
  ],
  decompose(a, id, [x, ...past]) {
    const { n, norm, ff, add, p } = layerParts(a, id);
    const sa = (input: string): DecomposedNode => ({
      id: n('self_attn'),
      op: 'multiHeadAttention',
      input: [input, ...past],
      ...(a.cache === true ? { cache: true } : {}),
      embedDim: a.dModel,
      numHeads: a.nhead,
      bias: a.bias,
      dropout: 0,
      causal: a.causal,
      ...(a.lengths === undefined ? {} : { lengths: a.lengths }),
      ...p('self_attn'),
    });
    const ports =
      a.cache === true
        ? { ports: { key: `${n('self_attn')}:key`, value: `${n('self_attn')}:value` } }
        : {};
    if (a.normFirst) {
      return {
        nodes: [
          norm('norm1', x),
          sa(n('norm1')),
          add('add1', x, n('self_attn')),
          norm('norm2', n('add1')),
          ...ff(n('norm2')),
          add('add2', n('add1'), n('linear2')),
        ],
        output: n('add2'),
        ...ports,
      };
    }
    return {
      nodes: [
        sa(x),
        add('add1', x, n('self_attn')),
        norm('norm1', n('add1')),
        ...ff(n('norm1')),
        add('add2', n('norm1'), n('linear2')),
        norm('norm2', n('add2')),
      ],
      output: n('norm2'),
      ...ports,
    };
  },
});

/** The attributes both transformer layers share; `torchName` names the module in the descriptions. */
export function layerAttrs(torchName: string) {
  return {
    dModel: positiveInt.describe(`\`d_model\` of ${torchName}: the width of the input and output`),
    nhead: positiveInt.describe(
      `\`nhead\` of ${torchName}: the attention heads, of dModel / nhead features each; it divides dModel`,
    ),
    dimFeedforward: positiveInt
      .default(2048)
      .describe(
        `\`dim_feedforward\` of ${torchName}: the width of the feed-forward block's hidden layer (linear1)`,
      ),
    dropout: probability
      .default(0.1)
      .describe(`\`dropout\` of ${torchName}: accepted, unused at inference`),
    activation: z
      .enum(['relu', 'gelu'])
      .default('relu')
      .describe(`\`activation\` of ${torchName}: the feed-forward block's, 'relu' or 'gelu'`),
    layerNormEps: epsilon
      .default(1e-5)
      .describe(`\`layer_norm_eps\` of ${torchName}: the layer norms' eps`),
    normFirst: z
      .boolean()
      .default(false)
      .describe(
        `\`norm_first\` of ${torchName}: a layer norm before each block (pre-norm) instead of after its residual (post-norm)`,
      ),
    bias: z
      .boolean()
      .default(true)
      .describe(`\`bias\` of ${torchName}: biases on its linears and layer norms`),
  };
}

/** The sizes and switches both transformer layers share (nn.TransformerEncoderLayer's). */
export interface LayerAttrs {
  id: string;
  weightPrefix?: string;
  dModel: number;
  dimFeedforward: number;
  activation: 'relu' | 'gelu';
  layerNormEps: number;
  bias: boolean;
}

/** A layer's linear and norm weights (PyTorch's init: kaiming-uniform linears, unit norms). */
export function layerWeights(a: Pick<LayerAttrs, 'dModel' | 'bias'>) {
  const lin = (name: string, o: number, i: number): WeightDecl[] => [
    { name: `${name}.weight`, shape: [o, i], init: uniform(1 / Math.sqrt(i)) },
    ...(a.bias ? [{ name: `${name}.bias`, shape: [o], init: uniform(1 / Math.sqrt(i)) }] : []),
  ];
  const norm = (name: string): WeightDecl[] => [
    { name: `${name}.weight`, shape: [a.dModel], init: ones },
    ...(a.bias ? [{ name: `${name}.bias`, shape: [a.dModel], init: zeros }] : []),
  ];
  return { lin, norm };
}

/**
 * The sub-nodes both layers are built of. Sub-node ids are `<id>.<submodule>`; their weights are
 * read under `<prefix>.<submodule>` (`p`), so they keep PyTorch's names whatever the layer's
 * weightPrefix: `norm(sub, x)`, the feed-forward block `ff(x)` (linear1, activation, linear2)
 * and the residual `add(sub, a, b)`.
 */
export function layerParts(a: LayerAttrs, id: string) {
  const n = (sub: string) => `${id}.${sub}`;
  const prefix = prefixOf(a);
  const p = (sub: string) => ({ weightPrefix: `${prefix}.${sub}` });
  const norm = (sub: string, input: string): DecomposedNode => ({
    id: n(sub),
    op: 'layerNorm',
    input: [input],
    normalizedShape: [a.dModel],
    eps: a.layerNormEps,
    elementwiseAffine: true,
    bias: a.bias,
    ...p(sub),
  });
  const ff = (input: string): DecomposedNode[] => [
    {
      id: n('linear1'),
      op: 'linear',
      input: [input],
      inFeatures: a.dModel,
      outFeatures: a.dimFeedforward,
      bias: a.bias,
      ...p('linear1'),
    },
    a.activation === 'gelu'
      ? { id: n('activation'), op: 'gelu', input: [n('linear1')], approximate: 'none' }
      : { id: n('activation'), op: 'relu', input: [n('linear1')] },
    {
      id: n('linear2'),
      op: 'linear',
      input: [n('activation')],
      inFeatures: a.dimFeedforward,
      outFeatures: a.dModel,
      bias: a.bias,
      ...p('linear2'),
    },
  ];
  const add = (sub: string, l: string, r: string): DecomposedNode => ({
    id: n(sub),
    op: 'add',
    input: [l, r],
  });
  return { n, p, norm, ff, add };
}
