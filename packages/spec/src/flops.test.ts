// FLOP counts against values worked out by hand (a multiply-add is 2; see flops.ts).
import { describe, expect, test } from 'vitest';
import { countFlops } from './flops.js';
import { parseSpec } from './graph.js';
import { compositeOps, opDef, opNames } from './ops/registry.js';
import { cnnClassifier } from './presets/index.js';

type Shape = (number | string)[];

/** One node `n` reading model inputs x (and x1, x2, ... when given more shapes). */
const spec = (
  shapes: Shape[],
  node: Record<string, unknown>,
  dtype: string | string[] = 'float32',
) =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: Object.fromEntries(
      shapes.map((shape, i) => [
        i === 0 ? 'x' : `x${i}`,
        { dtype: typeof dtype === 'string' ? dtype : dtype[i], shape },
      ]),
    ),
    outputs: { y: 'n' },
    nodes: [
      {
        id: 'n',
        ...node,
        ...(shapes.length > 1 ? { input: shapes.map((_, i) => (i === 0 ? 'x' : `x${i}`)) } : {}),
      },
    ],
  });

const flops = (s: ReturnType<typeof spec>, bindings: Record<string, number> = {}) =>
  countFlops(s, bindings).total;

// [op, input shapes, attributes, FLOPs worked out by hand]; one or more per non-composite op.
const cases: [string, Shape[], Record<string, unknown>, number][] = [
  // 3 rows × (2·4·5) = 120, bias 3·5 = 15
  ['linear', [[3, 4]], { inFeatures: 4, outFeatures: 5 }, 135],
  // a gather
  ['embedding', [[2, 3]], { numEmbeddings: 10, embeddingDim: 4 }, 0],
  // one addition per element of [2, 3, 4]
  ['positionalEmbedding', [[2, 3, 4]], { maxLength: 5, embeddingDim: 4 }, 24],
  // 1 per element of [2, 3]; silu 2; gelu 5 (erf form) or 8 (tanh form)
  ['relu', [[2, 3]], {}, 6],
  ['tanh', [[2, 3]], {}, 6],
  ['sigmoid', [[2, 3]], {}, 6],
  ['silu', [[2, 3]], {}, 12],
  ['gelu', [[2, 3]], {}, 30],
  ['gelu', [[2, 3]], { approximate: 'tanh' }, 48],
  // 4 per element: max, subtract + exp, sum, divide (or log + subtract)
  ['softmax', [[2, 3]], {}, 24],
  ['logSoftmax', [[2, 3]], {}, 24],
  ['dropout', [[2, 3]], {}, 0],
  // 7 per element of [2, 3, 4]: 168
  ['layerNorm', [[2, 3, 4]], { normalizedShape: 4 }, 168],
  // 4 per element of [2, 3, 5] with stored statistics: 120
  ['batchNorm', [[2, 3, 5]], { numFeatures: 3 }, 120],
  // 5 per element of [2, 4]: 40
  ['rmsNorm', [[2, 4]], { normalizedShape: 4 }, 40],
  // B=1, T=2, H=2, no bias, 2 layers, both directions; per step 2·B·H·(in+H) + 1·B·H:
  // layer 0 (in 3): 20 + 2 = 22, × 2 dirs × 2 steps = 88; layer 1 (in 2H = 4): 24 + 2 = 26 → 104
  [
    'rnn',
    [[1, 2, 3]],
    { inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, bias: false },
    192,
  ],
  // B=2, T=3, I=4, H=5: 2·2·20·9 = 720, biases 2·2·20 = 80, pointwise 9·2·5 = 90 → 890 per step
  ['lstm', [[2, 3, 4]], { inputSize: 4, hiddenSize: 5 }, 2670],
  // B=1, T=2, I=3, H=2: 2·1·6·5 = 60, biases 2·1·6 = 12, pointwise 9·1·2 = 18 → 90 per step
  ['gru', [[1, 2, 3]], { inputSize: 3, hiddenSize: 2 }, 180],
  // out [1, 3, 4] = 12 elements, Cin/groups = 2, k = 3: 2·12·2·3 = 144, bias 12
  ['conv1d', [[1, 2, 6]], { inChannels: 2, outChannels: 3, kernelSize: 3 }, 156],
  // out [1, 4, 3, 3] = 36 elements, Cin/groups = 1, k = 9: 2·36·9 = 648, bias 36
  ['conv2d', [[1, 2, 5, 5]], { inChannels: 2, outChannels: 4, kernelSize: 3, groups: 2 }, 684],
  // out [1, 2, 3] × kernel 2 = 12
  ['maxPool1d', [[1, 2, 6]], { kernelSize: 2 }, 12],
  // out [1, 1, 2, 2] × kernel 2·2 = 16
  ['maxPool2d', [[1, 1, 4, 4]], { kernelSize: 2 }, 16],
  // out [1, 2, 4] × kernel 3 = 24
  ['avgPool1d', [[1, 2, 6]], { kernelSize: 3, stride: 1 }, 24],
  // out [1, 1, 2, 2] × kernel 3·3 = 36
  ['avgPool2d', [[1, 1, 4, 4]], { kernelSize: 3, stride: 1 }, 36],
  // one addition per input element of [1, 2, 3, 3]
  ['globalAvgPool', [[1, 2, 3, 3]], {}, 18],
  ['flatten', [[2, 3, 4]], {}, 0],
  ['reshape', [[2, 3, 4]], { shape: [6, 4] }, 0],
  ['permute', [[2, 3, 4]], { dims: [0, 2, 1] }, 0],
  ['select', [[2, 3, 4]], { dim: 1, index: 0 }, 0],
  // one per element reduced: [2, 3, 4] has 24
  ['mean', [[2, 3, 4]], { dim: 1 }, 24],
  // one per output element of [2, 3]
  [
    'add',
    [
      [2, 3],
      [2, 3],
    ],
    {},
    6,
  ],
  [
    'mul',
    [
      [2, 3],
      [1, 3],
    ],
    {},
    6,
  ],
  [
    'concat',
    [
      [2, 3],
      [2, 3],
    ],
    { dim: 1 },
    0,
  ],
  // [2, 3, 4] · [4, 5] → [2, 3, 5] = 30 elements, 4 multiply-adds each: 240
  [
    'matmul',
    [
      [2, 3, 4],
      [4, 5],
    ],
    {},
    240,
  ],
  ['slice', [[2, 6]], { dim: 1, start: 1, end: 4 }, 0],
  ['unflatten', [[2, 6]], { dim: 1, sizes: [2, 3] }, 0],
  // one product per element of [2, 3]
  ['scale', [[2, 3]], { factor: 0.5 }, 6],
  // a select per element, counted as a copy
  ['causalMask', [[1, 2, 3, 3]], {}, 0],
  // a select per element, counted as a copy
  ['lengthMask', [[1, 2, 3, 3], [1]], {}, 0],
  // 3 per rotated element (x·cos + partner·sin): [1, 2, 3, 4] has 24, all turned at dim 4: 72;
  // dim 2 turns half of them: 36
  ['rope', [[1, 2, 3, 4]], { dim: 4 }, 72],
  ['rope', [[1, 2, 3, 4]], { dim: 2, interleaved: true }, 36],
  // a copy
  ['repeatInterleave', [[1, 2, 3, 4]], { repeats: 2, dim: 1 }, 0],
];

test.each(cases)('%s %j %j: %i FLOPs', (op, shapes, attrs, expected) => {
  const dtype =
    op === 'embedding' ? 'int32' : op === 'lengthMask' ? ['float32', 'int32'] : 'float32';
  const s = spec(shapes, { op, ...attrs }, dtype);
  expect(flops(s)).toBe(expected);
});

test('every op but the composites counts its FLOPs, and has a case above', () => {
  const primitives = opNames.filter((op) => !(compositeOps as readonly string[]).includes(op));
  expect(primitives.filter((op) => opDef(op)!.flops === undefined)).toEqual([]);
  expect(compositeOps.filter((op) => opDef(op)!.flops !== undefined)).toEqual([]);
  const covered = new Set(cases.map(([op]) => op));
  expect(primitives.filter((op) => !covered.has(op))).toEqual([]);
});

describe('a composite counts the sum over its decomposition', () => {
  test('multiHeadAttention', () => {
    // B=1, T=4, E=8, 2 heads (d=4), with biases:
    //   in_proj linear 2·(4·24)·8 = 1536 + bias 96       1632
    //   unflatten, permutes, selects                        0
    //   q scaled by 1/√d: [1,2,4,4] = 32                   32
    //   scores matmul [1,2,4,4]: 32 outputs × 2·4         256
    //   softmax 4·32                                      128
    //   context matmul [1,2,4,4]: 32 outputs × 2·4        256
    //   permute, flatten                                    0
    //   out_proj linear 2·(4·8)·8 = 512 + bias 32         544
    // = 2848. (The old hand formula, 2816, left out the scale's B·T·E = 32.)
    const s = spec([[1, 4, 8]], { op: 'multiHeadAttention', embedDim: 8, numHeads: 2 });
    const r = countFlops(s, {});
    expect(r.total).toBe(2848);
    expect(r.nodes).toEqual([{ id: 'n', op: 'multiHeadAttention', flops: 2848 }]);
    // The causal mask is a copy: the same count.
    const causal = spec([[1, 4, 8]], {
      op: 'multiHeadAttention',
      embedDim: 8,
      numHeads: 2,
      causal: true,
    });
    expect(flops(causal)).toBe(2848);
  });

  test('transformerEncoderLayer, post-norm with relu', () => {
    // B=1, T=4 (4 tokens), dModel 8, 2 heads, dimFeedforward 16, biases:
    //   self_attn (as above)                             2848
    //   add1 4·8                                           32
    //   norm1 7·32                                        224
    //   linear1 2·(4·16)·8 = 1024 + bias 64              1088
    //   relu 4·16                                          64
    //   linear2 2·(4·8)·16 = 1024 + bias 32              1056
    //   add2                                               32
    //   norm2                                             224
    // = 5568 (old hand formula 5536: +32, the scale of q).
    const s = spec([['b', 't', 8]], {
      op: 'transformerEncoderLayer',
      dModel: 8,
      nhead: 2,
      dimFeedforward: 16,
    });
    expect(flops(s, { b: 1, t: 4 })).toBe(5568);
  });

  test('transformerEncoderLayer, pre-norm, gelu, causal, no biases', () => {
    // B=2, T=3 (6 tokens), dModel 4, 2 heads (d=2), dimFeedforward 6:
    //   norm1 7·24                                        168
    //   self_attn: in_proj 2·(6·12)·4 = 576; q scaled [2,2,3,2] = 24;
    //     scores [2,2,3,3] = 36 outputs × 2·2 = 144; mask 0; softmax 144;
    //     context [2,2,3,2] = 24 outputs × 2·3 = 144; out_proj 2·(6·4)·4 = 192   1224
    //   add1 24, norm2 168                                192
    //   linear1 2·(6·6)·4 = 288, gelu 5·36 = 180,
    //   linear2 2·(6·4)·6 = 288                           756
    //   add2                                               24
    // = 2364 (old hand formula 2340: +24 = B·T·E, the scale of q).
    const s = spec([['b', 't', 4]], {
      op: 'transformerEncoderLayer',
      dModel: 4,
      nhead: 2,
      dimFeedforward: 6,
      activation: 'gelu',
      normFirst: true,
      causal: true,
      bias: false,
    });
    expect(flops(s, { b: 2, t: 3 })).toBe(2364);
  });
});

describe('the LLaMA-family composites count their decompositions', () => {
  test('attention, grouped-query with rotary positions', () => {
    // B=1, T=3, hiddenSize 8, 4 heads over 2 kv heads, headDim 2, rope on all 2 features,
    // no biases, causal:
    //   q_proj [1,3,8] = 24 outputs × 2·8                 384
    //   k_proj, v_proj [1,3,4] = 12 outputs × 2·8     2 × 192
    //   rope q [1,4,3,2]: 3 per element                    72
    //   rope k [1,2,3,2]                                   36
    //   repeatInterleave k, v; unflattens, permutes         0
    //   q scaled [1,4,3,2]                                 24
    //   scores [1,4,3,3] = 36 outputs × 2·2               144
    //   causal mask 0; softmax 4·36                       144
    //   context [1,4,3,2] = 24 outputs × 2·3              144
    //   o_proj [1,3,8] = 24 outputs × 2·8                 384
    // = 1716
    const s = spec([[1, 3, 8]], {
      op: 'attention',
      hiddenSize: 8,
      numHeads: 4,
      numKeyValueHeads: 2,
    });
    const r = countFlops(s, {});
    expect(r.total).toBe(1716);
    expect(r.nodes).toEqual([{ id: 'n', op: 'attention', flops: 1716 }]);
  });

  test('attention, multi-query, headDim 3, biases, no rope, not causal', () => {
    // B=1, T=2, hiddenSize 4, 2 heads over 1 kv head, headDim 3:
    //   q_proj [1,2,6] = 12 outputs × 2·4 = 96 + bias 12  108
    //   k_proj, v_proj [1,2,3] = 6 × 8 = 48 + 6       2 × 54
    //   q scaled [1,2,2,3]                                 12
    //   scores [1,2,2,2] = 8 outputs × 2·3                 48
    //   softmax 4·8                                        32
    //   context [1,2,2,3] = 12 outputs × 2·2               48
    //   o_proj [1,2,4] = 8 outputs × 2·6 = 96 + bias 8    104
    // = 460
    const s = spec([[1, 2, 4]], {
      op: 'attention',
      hiddenSize: 4,
      numHeads: 2,
      numKeyValueHeads: 1,
      headDim: 3,
      bias: true,
      outputBias: true,
      causal: false,
      rope: false,
    });
    expect(flops(s)).toBe(460);
  });

  test('gatedMlp', () => {
    // [2, 4] rows, hiddenSize 4, intermediateSize 6:
    //   silu, no bias: gate_proj 12 outputs × 2·4 = 96, silu 2·12 = 24, up_proj 96,
    //     mul 12, down_proj 8 outputs × 2·6 = 96                         = 324
    //   geluTanh, biases: gate_proj 96 + 12, gelu 8·12 = 96, up_proj 108,
    //     mul 12, down_proj 96 + 8                                        = 428
    const base = { op: 'gatedMlp', hiddenSize: 4, intermediateSize: 6 };
    expect(flops(spec([[2, 4]], base))).toBe(324);
    expect(flops(spec([[2, 4]], { ...base, activation: 'geluTanh', bias: true }))).toBe(428);
  });
});

test('a preset adds up its nodes', () => {
  const r = countFlops(cnnClassifier(), { batch: 1 });
  // conv1: 2·(6·28·28)·25 + 6·28·28 = 235200 + 4704
  expect(r.nodes.find((n) => n.id === 'conv1')!.flops).toBe(239904);
  expect(r.total).toBe(r.nodes.reduce((s, n) => s + n.flops, 0));
});
