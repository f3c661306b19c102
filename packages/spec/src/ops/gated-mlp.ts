// The gated feed-forward block of LLaMA-family models (transformers' LlamaMLP):
//   down_proj(act(gate_proj(x)) · up_proj(x))
// with act silu (SwiGLU, LLaMA's), gelu in its erf form, or gelu's tanh form (GeGLU, Gemma's).
import { z } from 'zod';
import {
  type DecomposedNode,
  defineOp,
  fail,
  float,
  nodeBase,
  pointwise,
  positiveInt,
  prefixOf,
  requireDim,
  uniform,
  type WeightDecl,
  weightPrefix,
} from './common.js';

export const gatedMlp = defineOp({
  op: 'gatedMlp',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('gatedMlp')
      .describe(
        "the gated feed-forward block of LLaMA-family models (transformers' LlamaMLP): down_proj(act(gate_proj(x)) · up_proj(x))",
      ),
    hiddenSize: positiveInt.describe(
      '`hidden_size` of the model config: the width of the input and the output',
    ),
    intermediateSize: positiveInt.describe(
      '`intermediate_size` of the model config: the width of gate_proj and up_proj',
    ),
    activation: z
      .enum(['silu', 'gelu', 'geluTanh'])
      .default('silu')
      .describe(
        "the gate's activation (`hidden_act`): 'silu' for SwiGLU (LLaMA), 'gelu' in its erf form, 'geluTanh' for GeGLU (Gemma's gelu_pytorch_tanh)",
      ),
    bias: z
      .boolean()
      .default(false)
      .describe('biases on gate_proj, up_proj and down_proj (`mlp_bias`)'),
    weightPrefix,
  }),
  arity: [1, 1],
  decode: pointwise,
  infer(a, [x]) {
    if (x.shape.length < 1) fail('expects an input of rank ≥ 1 [..., hiddenSize]');
    requireDim(x.shape[x.shape.length - 1], a.hiddenSize, 'hiddenSize', 'width');
    return { out: float([...x.shape]) };
  },
  weights(a) {
    const h = a.hiddenSize;
    const i = a.intermediateSize;
    // nn.Linear's init: kaiming_uniform(a=√5) gives U(±1/√in), the bias the same bound.
    const lin = (name: string, out: number, inp: number): WeightDecl[] => [
      { name: `${name}.weight`, shape: [out, inp], init: uniform(1 / Math.sqrt(inp)) },
      ...(a.bias
        ? [{ name: `${name}.bias`, shape: [out], init: uniform(1 / Math.sqrt(inp)) }]
        : []),
    ];
    return [...lin('gate_proj', i, h), ...lin('up_proj', i, h), ...lin('down_proj', h, i)];
  },
  // No flops: a composite counts its decomposition's.
  fuzz(d, x) {
    if (x.length < 2) return undefined;
    return {
      attrs: {
        hiddenSize: x[x.length - 1],
        intermediateSize: d.int(1, 12),
        activation: d.pick(['silu', 'gelu', 'geluTanh'] as const),
        bias: d.bool(),
      },
    };
  },
  examples: [
    {
      input: { shape: ['b', 't', 8] },
      node: { hiddenSize: 8, intermediateSize: 20 },
      shape: ['b', 't', 8],
      weights: {
        'n.gate_proj.weight': [20, 8],
        'n.up_proj.weight': [20, 8],
        'n.down_proj.weight': [8, 20],
      },
    },
    {
      input: { shape: [3, 4] },
      node: { hiddenSize: 4, intermediateSize: 6, activation: 'geluTanh', bias: true },
      shape: [3, 4],
      weights: {
        'n.gate_proj.weight': [6, 4],
        'n.gate_proj.bias': [6],
        'n.up_proj.weight': [6, 4],
        'n.up_proj.bias': [6],
        'n.down_proj.weight': [4, 6],
        'n.down_proj.bias': [4],
      },
    },
  ],
  decompose(a, id, [x]) {
    const n = (sub: string) => `${id}.${sub}`;
    const prefix = prefixOf(a);
    const proj = (sub: string, input: string, inF: number, outF: number): DecomposedNode => ({
      id: n(sub),
      op: 'linear',
      input: [input],
      inFeatures: inF,
      outFeatures: outF,
      bias: a.bias,
      weightPrefix: `${prefix}.${sub}`,
    });
    const h = a.hiddenSize;
    const i = a.intermediateSize;
    const act: DecomposedNode =
      a.activation === 'silu'
        ? { id: n('act_fn'), op: 'silu', input: [n('gate_proj')] }
        : {
            id: n('act_fn'),
            op: 'gelu',
            input: [n('gate_proj')],
            approximate: a.activation === 'gelu' ? 'none' : 'tanh',
          };
    return {
      nodes: [
        proj('gate_proj', x, h, i),
        act,
        proj('up_proj', x, h, i),
        { id: n('gated'), op: 'mul', input: [n('act_fn'), n('up_proj')] },
        proj('down_proj', n('gated'), i, h),
      ],
      output: n('down_proj'),
    };
  },
});
