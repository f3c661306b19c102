import { seq, seqBindings, unaryCase } from './define.js';

// LLaMA-family self-attention: grouped-query ratios, rotary variants, biases, head sizes.
export const attentionCases = [
  unaryCase(
    'attention/mha',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 2 },
    { description: 'numKeyValueHeads = numHeads: no repeat_kv', bindings: seqBindings(5) },
  ),
  unaryCase(
    'attention/gqa-2',
    seq(16),
    { id: 'attn', op: 'attention', hiddenSize: 16, numHeads: 4, numKeyValueHeads: 2 },
    { description: 'two query heads per key/value head', bindings: seqBindings(6) },
  ),
  unaryCase(
    'attention/mqa',
    seq(16),
    { id: 'attn', op: 'attention', hiddenSize: 16, numHeads: 4, numKeyValueHeads: 1 },
    {
      description: 'multi-query: every query head reads the one key/value head',
      bindings: seqBindings(5),
    },
  ),
  unaryCase(
    'attention/rope-interleaved',
    seq(16),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 16,
      numHeads: 2,
      numKeyValueHeads: 1,
      rope: { theta: 10000, interleaved: true },
    },
    { description: "GPT-J's pairing (2i with 2i+1)", bindings: seqBindings(7) },
  ),
  unaryCase(
    'attention/partial-rotary',
    seq(16),
    { id: 'attn', op: 'attention', hiddenSize: 16, numHeads: 2, rope: { theta: 10000, dim: 4 } },
    { description: 'only the first 4 of 8 features of each head turn', bindings: seqBindings(6) },
  ),
  unaryCase(
    'attention/partial-rotary-interleaved',
    seq(12),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 12,
      numHeads: 2,
      numKeyValueHeads: 2,
      rope: { theta: 10000, dim: 2, interleaved: true },
    },
    { bindings: seqBindings(5) },
  ),
  unaryCase(
    'attention/theta-500000',
    seq(16),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 16,
      numHeads: 4,
      numKeyValueHeads: 2,
      rope: { theta: 500000 },
    },
    { description: "LLaMA 3's rope_theta", bindings: seqBindings(9) },
  ),
  unaryCase(
    'attention/no-rope',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2, rope: false },
    { bindings: seqBindings(5) },
  ),
  unaryCase(
    'attention/qkv-bias',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2, bias: true },
    { description: "Qwen2's layout: q/k/v biases, none on o_proj", bindings: seqBindings(5) },
  ),
  unaryCase(
    'attention/output-bias',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 2, outputBias: true },
    { bindings: seqBindings(4) },
  ),
  unaryCase(
    'attention/all-biases',
    seq(8),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 8,
      numHeads: 2,
      numKeyValueHeads: 1,
      bias: true,
      outputBias: true,
    },
    { bindings: seqBindings(4) },
  ),
  unaryCase(
    'attention/head-dim',
    seq(8),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 8,
      numHeads: 3,
      numKeyValueHeads: 1,
      headDim: 6,
      rope: { theta: 10000, dim: 4 },
    },
    {
      description: 'headDim 6 with 3 heads on hiddenSize 8: q_proj is [18, 8], o_proj [8, 18]',
      bindings: seqBindings(5),
    },
  ),
  unaryCase(
    'attention/not-causal',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2, causal: false },
    { bindings: seqBindings(6) },
  ),
  unaryCase(
    'attention/time1',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2 },
    { description: 'one position: rope turns by angle 0', bindings: seqBindings(1, 3) },
  ),
  unaryCase(
    'attention/long',
    seq(8),
    { id: 'attn', op: 'attention', hiddenSize: 8, numHeads: 2, numKeyValueHeads: 1 },
    { description: '32 positions: rotation angles up to 31 radians', bindings: seqBindings(32, 1) },
  ),
  unaryCase(
    'attention/static-time',
    ['batch', 5, 16],
    { id: 'attn', op: 'attention', hiddenSize: 16, numHeads: 4, numKeyValueHeads: 2 },
    {
      description: 'the time fixed in the spec: rope tables and mask known at compile time',
      bindings: { batch: 2 },
    },
  ),
  unaryCase(
    'attention/weight-prefix',
    seq(8),
    {
      id: 'attn',
      op: 'attention',
      hiddenSize: 8,
      numHeads: 2,
      weightPrefix: 'model.layers.0.self_attn',
    },
    { description: "weights under Hugging Face's module path", bindings: seqBindings(4) },
  ),
];

/**
 * Head sizes that ONNX Runtime's fused GroupQueryAttention takes (multiples of 8, of 16 with
 * rotary: the sizes real models have), so that a backend's fused path, not only its
 * decomposition, is held against the reference: every grouped-query ratio, each rope pairing,
 * partial rotary, biases, a head size other than hidden / heads, long and single positions.
 */
const wide = (
  name: string,
  features: number,
  node: Record<string, unknown>,
  bindings: Record<string, number> = { batch: 2, time: 6 },
  shape: (number | string)[] = seq(features),
) =>
  unaryCase(
    `attention/wide-${name}`,
    shape,
    { id: 'attn', op: 'attention', hiddenSize: features, ...node } as never,
    { bindings },
  );

export const wideAttentionCases = [
  wide('gqa-2', 64, { numHeads: 4, numKeyValueHeads: 2 }),
  wide('mha', 32, { numHeads: 2 }),
  wide('mqa', 64, { numHeads: 4, numKeyValueHeads: 1 }, { batch: 2, time: 5 }),
  wide('interleaved', 32, {
    numHeads: 2,
    numKeyValueHeads: 1,
    rope: { theta: 10000, interleaved: true },
  }),
  wide('partial-rotary', 64, { numHeads: 2, rope: { theta: 10000, dim: 16 } }),
  wide('partial-rotary-interleaved', 64, {
    numHeads: 2,
    numKeyValueHeads: 1,
    rope: { theta: 10000, dim: 16, interleaved: true },
  }),
  wide('no-rope-head-8', 16, { numHeads: 2, numKeyValueHeads: 1, rope: false }),
  wide('all-biases', 32, { numHeads: 2, numKeyValueHeads: 1, bias: true, outputBias: true }),
  wide('head-dim', 24, { numHeads: 2, numKeyValueHeads: 1, headDim: 16 }),
  wide('theta-500000-long', 32, { numHeads: 2, rope: { theta: 500000 } }, { batch: 1, time: 40 }),
  wide('time1', 32, { numHeads: 2, numKeyValueHeads: 1 }, { batch: 3, time: 1 }),
  wide('static-time', 32, { numHeads: 2, numKeyValueHeads: 1 }, { batch: 2 }, ['batch', 7, 32]),
];
