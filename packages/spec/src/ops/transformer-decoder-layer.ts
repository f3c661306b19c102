// nn.TransformerDecoderLayer(batch_first=True) on [tgt, memory], eval mode:
//   normFirst:  x = x + SA(norm1(x));  x = x + MHA(norm2(x), memory);  x = x + FF(norm3(x))
//   otherwise:  x = norm1(x + SA(x));  x = norm2(x + MHA(x, memory));  x = norm3(x + FF(x))
// SA is the self-attention (`causal` is its mask, PyTorch's tgt_is_causal), MHA the
// cross-attention over the memory (any length), FF(x) = linear2(activation(linear1(x))).
// Weights as PyTorch names them: self_attn.*, multihead_attn.*, linear1.*, linear2.*, norm1-3.*.
// In a decoder (§6.5, causal layers): `cache: true` on [tgt, memory] (the prefill) adds the ports
// `key`, `value` (the self-attention's cache [B, h, T, d]) and `memory_key`, `memory_value` (the
// cross-attention's keys and values of the memory [B, h, S, d]); with `memoryCached: true` too
// (every later step) the inputs are [tgt, pastKey, pastValue, memoryKey, memoryValue] and the
// ports `key`, `value` only: the memory's projections are computed once.
import { z } from 'zod';
import {
  type DecomposedNode,
  defineOp,
  divisors,
  fail,
  float,
  lengthsRef,
  nodeBase,
  requireDim,
  requireRank,
  weightPrefix,
} from './common.js';
import { attentionWeights, CACHE_PORTS, cachePorts, checkHeads } from './multi-head-attention.js';
import { layerAttrs, layerParts, layerWeights } from './transformer-encoder-layer.js';

export const transformerDecoderLayer = defineOp({
  op: 'transformerDecoderLayer',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('transformerDecoderLayer')
      .describe(
        'nn.TransformerDecoderLayer(batch_first=True) in eval mode on [tgt, memory]: self-attention, cross-attention over the memory, a feed-forward block, each with a residual and a layer norm',
      ),
    ...layerAttrs('nn.TransformerDecoderLayer'),
    causal: z
      .boolean()
      .default(false)
      .describe(
        "the self-attention's mask: keys after each query's position (PyTorch's tgt_is_causal with the square subsequent mask)",
      ),
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each target's true length: the self-attention masks keys at t ≥ length (PyTorch's tgt_key_padding_mask)",
    ),
    memoryLengths: lengthsRef.describe(
      "the name of an int32 [batch] model input of each memory's true length: the cross-attention masks memory keys at t ≥ length (PyTorch's memory_key_padding_mask)",
    ),
    cache: z
      .boolean()
      .optional()
      .describe(
        "a decoding step keeping keys and values (the step spec sets it): on [tgt, memory] (the prefill) ports `key`, `value` (the self-attention's) and `memory_key`, `memory_value` (the memory's)",
      ),
    memoryCached: z
      .boolean()
      .optional()
      .describe(
        "with cache, a decoder's later step: inputs [tgt, pastKey, pastValue, memoryKey, memoryValue], the memory's keys and values as the prefill's ports gave them; ports `key`, `value` only",
      ),
  }),
  arity: [2, 5],
  // A decoder step counts the memory's cached keys [batch, heads, time, d], its input 3.
  lengthsOf: (a) => ({
    lengths: 0,
    memoryLengths: a.memoryCached === true ? ([3, 2] as const) : 1,
  }),
  ports: (a) =>
    a.cache !== true ? [] : a.memoryCached === true ? [...CACHE_PORTS] : [...DECODER_PORTS],
  infer(a, inputs) {
    checkHeads(a.dModel, a.nhead, 'nhead');
    const [tgt] = inputs;
    requireRank(tgt, [3], 'target [batch, time, dModel]');
    requireDim(tgt.shape[2], a.dModel, 'dModel', 'target width');
    const out = float([...tgt.shape]);
    const headDim = a.dModel / a.nhead;
    if (a.memoryCached === true) {
      if (a.cache !== true || inputs.length !== 5)
        fail(
          'reads [tgt, pastKey, pastValue, memoryKey, memoryValue] with cache: true (a decoder step)',
          'memoryCached',
        );
      const [, key, value, memoryKey, memoryValue] = inputs;
      for (const [name, t] of Object.entries({ memoryKey, memoryValue }))
        if (t.shape.length !== 4 || t.shape[1] !== a.nhead || t.shape[3] !== headDim)
          fail(
            `${name} is [${t.shape.join(', ')}], expected [batch, ${a.nhead}, memoryTime, ${headDim}]`,
          );
      return { out, ports: cachePorts(tgt, { key, value }, a.nhead, headDim) };
    }
    if (inputs.length !== 2) fail(`takes [tgt, memory], got ${inputs.length} inputs`);
    const memory = inputs[1];
    requireRank(memory, [3], 'memory [batch, memoryTime, dModel]');
    requireDim(memory.shape[2], a.dModel, 'dModel', 'memory width');
    const [bt, bm] = [tgt.shape[0], memory.shape[0]];
    if (typeof bt === 'number' && typeof bm === 'number' && bt !== bm)
      fail(`has a target of batch ${bt} and a memory of batch ${bm}`);
    if (a.cache !== true) return { out };
    const kv = float([memory.shape[0], a.nhead, memory.shape[1], headDim]);
    return {
      out,
      ports: {
        ...cachePorts(tgt, undefined, a.nhead, headDim),
        memory_key: kv,
        memory_value: float([...kv.shape]),
      },
    };
  },
  // `lengths` count the decoded time, which decodePlan refuses for every op; `memoryLengths`
  // count the memory, and are fed to every step with the memory's keys.
  decode: (a) =>
    !a.causal
      ? 'is not causal: every target position attends to later ones'
      : {
          state: DECODER_PORTS,
          stepAttrs: { cache: true },
          memory: {
            inputs: [1],
            ports: ['memory_key', 'memory_value'],
            stepAttrs: { memoryCached: true },
          },
        },
  weights(a) {
    const { lin, norm } = layerWeights(a);
    const attn = { embedDim: a.dModel, numHeads: a.nhead, bias: a.bias };
    return [
      ...attentionWeights(attn, 'self_attn.'),
      ...attentionWeights(attn, 'multihead_attn.'),
      ...lin('linear1', a.dimFeedforward, a.dModel),
      ...lin('linear2', a.dModel, a.dimFeedforward),
      ...norm('norm1'),
      ...norm('norm2'),
      ...norm('norm3'),
    ];
  },
  // No flops: a composite counts its decomposition's.
  fuzz(d, x, pool) {
    if (x.length !== 3) return undefined;
    const e = x[2];
    // A memory of the same batch and width, of any length.
    const partners = pool.flatMap((p, i) =>
      p.length === 3 && p[2] === e && p[0] === x[0] ? [i] : [],
    );
    if (partners.length === 0) return undefined;
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
      partner: d.pick(partners),
    };
  },
  examples: [
    {
      // A target of 5 positions over a memory of 7.
      input: { shape: ['b', 5, 8] },
      extraInputs: [{ shape: ['b', 7, 8] }],
      node: { dModel: 8, nhead: 2, dimFeedforward: 16, causal: true },
      shape: ['b', 5, 8],
      weights: {
        'n.self_attn.in_proj_weight': [24, 8],
        'n.self_attn.in_proj_bias': [24],
        'n.self_attn.out_proj.weight': [8, 8],
        'n.self_attn.out_proj.bias': [8],
        'n.multihead_attn.in_proj_weight': [24, 8],
        'n.multihead_attn.in_proj_bias': [24],
        'n.multihead_attn.out_proj.weight': [8, 8],
        'n.multihead_attn.out_proj.bias': [8],
        'n.linear1.weight': [16, 8],
        'n.linear1.bias': [16],
        'n.linear2.weight': [8, 16],
        'n.linear2.bias': [8],
        'n.norm1.weight': [8],
        'n.norm1.bias': [8],
        'n.norm2.weight': [8],
        'n.norm2.bias': [8],
        'n.norm3.weight': [8],
        'n.norm3.bias': [8],
      },
    },
    {
      input: { shape: ['b', 't', 4] },
      extraInputs: [{ shape: ['b', 's', 4] }],
      node: {
        dModel: 4,
        nhead: 1,
        dimFeedforward: 2,
        bias: false,
        weightPrefix: 'decoder.layers.0',
      },
      shape: ['b', 't', 4],
      weights: {
        'decoder.layers.0.self_attn.in_proj_weight': [12, 4],
        'decoder.layers.0.self_attn.out_proj.weight': [4, 4],
        'decoder.layers.0.multihead_attn.in_proj_weight': [12, 4],
        'decoder.layers.0.multihead_attn.out_proj.weight': [4, 4],
        'decoder.layers.0.linear1.weight': [2, 4],
        'decoder.layers.0.linear2.weight': [4, 2],
        'decoder.layers.0.norm1.weight': [4],
        'decoder.layers.0.norm2.weight': [4],
        'decoder.layers.0.norm3.weight': [4],
      },
    },
  ],
  decompose(a, id, inputs) {
    const [tgt] = inputs;
    const cached = a.memoryCached === true;
    // The self-attention's past (a step), the memory or, in a step, its keys and values.
    const past = cached ? [inputs[1], inputs[2]] : [];
    const memory = cached ? [inputs[3], inputs[4]] : [inputs[1]];
    const { n, p, norm, ff, add } = layerParts(a, id);
    const attention = (
      sub: string,
      input: string[],
      causal: boolean,
      lengths: string | undefined,
    ): DecomposedNode => ({
      id: n(sub),
      op: 'multiHeadAttention',
      input,
      embedDim: a.dModel,
      numHeads: a.nhead,
      bias: a.bias,
      dropout: 0,
      causal,
      ...(lengths === undefined ? {} : { lengths }),
      ...(a.cache === true ? { cache: true } : {}),
      ...(cached && sub === 'multihead_attn' ? { memoryCached: true } : {}),
      ...p(sub),
    });
    const sa = (input: string) => attention('self_attn', [input, ...past], a.causal, a.lengths);
    const ca = (input: string) =>
      attention('multihead_attn', [input, ...memory], false, a.memoryLengths);
    const ports =
      a.cache !== true
        ? {}
        : {
            ports: {
              key: `${n('self_attn')}:key`,
              value: `${n('self_attn')}:value`,
              ...(cached
                ? {}
                : {
                    memory_key: `${n('multihead_attn')}:key`,
                    memory_value: `${n('multihead_attn')}:value`,
                  }),
            },
          };
    if (a.normFirst) {
      return {
        nodes: [
          norm('norm1', tgt),
          sa(n('norm1')),
          add('add1', tgt, n('self_attn')),
          norm('norm2', n('add1')),
          ca(n('norm2')),
          add('add2', n('add1'), n('multihead_attn')),
          norm('norm3', n('add2')),
          ...ff(n('norm3')),
          add('add3', n('add2'), n('linear2')),
        ],
        output: n('add3'),
        ...ports,
      };
    }
    return {
      nodes: [
        sa(tgt),
        add('add1', tgt, n('self_attn')),
        norm('norm1', n('add1')),
        ca(n('norm1')),
        add('add2', n('norm1'), n('multihead_attn')),
        norm('norm2', n('add2')),
        ...ff(n('norm2')),
        add('add3', n('norm2'), n('linear2')),
        norm('norm3', n('add3')),
      ],
      output: n('norm3'),
      ...ports,
    };
  },
});

/** The ports of a cached decoder layer's prefill: its self-attention's cache, then its memory's. */
export const DECODER_PORTS = ['key', 'value', 'memory_key', 'memory_value'] as const;
