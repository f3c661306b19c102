// The reference has no attention or encoder-layer kernel: both run as their decompositions (in
// the spec's op files). These cases, worked by hand, check the decompositions end to end.
import { initWeights, parseSpec, randomInputs, type Weights, weightManifest } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';
import { compileReference } from '../compile.js';
import type { F64Tensor } from '../tensor.js';

// E = 2, one head, q = k = v = x (in_proj = [I; I; I]), out_proj = I, zero biases.
// Tokens x0 = [1, 0], x1 = [0, 1]; scores q·k/√2: s(0,0) = s(1,1) = 1/√2, s(0,1) = s(1,0) = 0.
// softmax([0, 1/√2]) = [1/(1 + e^(1/√2)), e^(1/√2)/(1 + e^(1/√2))] = [p, 1 - p],
// p = 1/(1 + 2.0281149816474726) = 0.3302384506733431.
const p = 0.3302384506733431;
const identity = {
  'a.in_proj_weight': [1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1],
  'a.in_proj_bias': [0, 0, 0, 0, 0, 0],
  'a.out_proj.weight': [1, 0, 0, 1],
  'a.out_proj.bias': [0, 0],
};
const tokens = f32([1, 2, 2], [1, 0, 0, 1]);

describe('multiHeadAttention', () => {
  it('a 2-token causal case worked by hand', () => {
    // Causal: token 0 sees only itself → y0 = v0 = [1, 0]; token 1 sees both with weights
    // softmax([s(1,0), s(1,1)]) = [p, 1 - p] → y1 = p·[1, 0] + (1 - p)·[0, 1].
    const probs: F64Tensor[] = [];
    const out = evaluate(
      [{ id: 'a', op: 'multiHeadAttention', embedDim: 2, numHeads: 1, causal: true }],
      { x: tokens },
      identity,
      undefined,
      {
        observeAttention: (id, pr) => {
          expect(id).toBe('a');
          probs.push(pr);
        },
      },
    );
    expectClose(out.out.data, [1, 0, p, 1 - p], 1e-15);
    expect(probs[0].shape).toEqual([1, 1, 2, 2]);
    expectClose(probs[0].data, [1, 0, p, 1 - p], 1e-15);
  });

  it('bias: false reads only the two projection weights', () => {
    // The same causal case: the zero biases above changed nothing.
    const { 'a.in_proj_weight': inProj, 'a.out_proj.weight': outProj } = identity;
    const out = evaluate(
      [{ id: 'a', op: 'multiHeadAttention', embedDim: 2, numHeads: 1, causal: true, bias: false }],
      { x: tokens },
      { 'a.in_proj_weight': inProj, 'a.out_proj.weight': outProj },
    );
    expectClose(out.out.data, [1, 0, p, 1 - p], 1e-15);
  });

  it('without the mask token 0 also attends to token 1', () => {
    // Token 0: softmax([1/√2, 0]) = [1 - p, p] → y0 = [1 - p, p]; token 1 as above.
    const out = evaluate(
      [{ id: 'a', op: 'multiHeadAttention', embedDim: 2, numHeads: 1 }],
      { x: tokens },
      identity,
    );
    expectClose(out.out.data, [1 - p, p, p, 1 - p], 1e-15);
  });

  it('splits features into heads, scales by 1/√head_dim, adds the biases', () => {
    // Two heads of size 1: head h attends with scores x_i[h]·x_j[h]/√1. With x0 = [1, 0],
    // x1 = [0, 1]: head 0 scores for query 0 are [1, 0], for query 1 [0, 0]; head 1 the mirror.
    // Let s = σ(1) = e/(1 + e) = 0.7310585786300049. Head 0 outputs v[·, 0] = [1, 0] weighted:
    //   query 0: s·1 + (1 - s)·0 = s; query 1: 0.5. Head 1 (v[·, 1] = [0, 1]): query 0: 0.5; query 1: s.
    // out_proj = I, out_proj.bias = [1, -1] (in_proj_bias adds 0.5 to v, which shifts each head's
    // output by 0.5 since the weights sum to 1; q and k biases are 0).
    const s = 0.7310585786300049;
    const out = evaluate(
      [{ id: 'a', op: 'multiHeadAttention', embedDim: 2, numHeads: 2 }],
      { x: tokens },
      {
        ...identity,
        'a.in_proj_bias': [0, 0, 0, 0, 0.5, 0.5],
        'a.out_proj.bias': [1, -1],
      },
    );
    expectClose(out.out.data, [s + 0.5 + 1, 0.5 + 0.5 - 1, 0.5 + 0.5 + 1, s + 0.5 - 1], 1e-15);
  });
});

describe('transformerEncoderLayer', () => {
  // With out_proj.weight = 0 the attention gives its bias b_o and with linear2.weight = 0 the
  // feed-forward gives linear2.bias b_2, whatever reaches them; so:
  //   normFirst: y = (x + b_o) + b_2;  post-norm: y = norm2(norm1(x + b_o) + b_2).
  const block = (normFirst: boolean) =>
    parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [1, 1, 2] } },
      outputs: { y: 'block' },
      nodes: [
        {
          id: 'block',
          op: 'transformerEncoderLayer',
          dModel: 2,
          nhead: 1,
          dimFeedforward: 3,
          normFirst,
          layerNormEps: 0.25,
        },
      ],
    });
  const values = (normFirst: boolean): Weights => {
    const spec = block(normFirst);
    const given: Record<string, number[]> = {
      'block.self_attn.out_proj.bias': [1, 2],
      'block.linear2.bias': [0.5, -0.5],
    };
    const weights: Weights = initWeights(spec, 3);
    for (const w of weightManifest(spec)) {
      if (w.name === 'block.self_attn.out_proj.weight' || w.name === 'block.linear2.weight')
        weights.set(w.name, f32(w.shape, new Array(w.shape[0] * w.shape[1]).fill(0)));
      else if (Object.hasOwn(given, w.name)) weights.set(w.name, f32(w.shape, given[w.name]));
    }
    return weights;
  };
  const x = f32([1, 1, 2], [0, 1]);

  it('normFirst: y = x + b_o + b_2', () => {
    // [0, 1] + [1, 2] + [0.5, -0.5] = [1.5, 2.5]
    const out = compileReference(block(true), values(true)).runFloat64({ x });
    expectClose(out.y.data, [1.5, 2.5], 1e-15);
  });

  it('post-norm: y = norm2(norm1(x + b_o) + b_2), the norms unit-scaled', () => {
    // x + b_o = [1, 3]: mean 2, variance 1 → norm1 = [-1, 1]/√(1 + 0.25) = [-a, a], a = 2/√5.
    // + b_2 = [-a + 0.5, a - 0.5]: mean 0, variance (a - 0.5)² → norm2 = ±(a - 0.5)/√((a - 0.5)² + 0.25).
    const a = 2 / Math.sqrt(5);
    const v = (a - 0.5) / Math.sqrt((a - 0.5) ** 2 + 0.25);
    const out = compileReference(block(false), values(false)).runFloat64({ x });
    expectClose(out.y.data, [-v, v], 1e-15);
  });

  for (const normFirst of [false, true]) {
    for (const activation of ['relu', 'gelu'] as const) {
      it(`reports its attention as <id>.self_attn and only its own output (normFirst ${normFirst}, ${activation})`, () => {
        const spec = parseSpec({
          format: 'tessera.model/v1',
          inputs: { x: { dtype: 'float32', shape: [2, 5, 8] } },
          outputs: { y: 'block' },
          nodes: [
            {
              id: 'block',
              op: 'transformerEncoderLayer',
              dModel: 8,
              nhead: 2,
              dimFeedforward: 12,
              normFirst,
              activation,
              causal: normFirst,
            },
          ],
        });
        const weights = initWeights(spec, 5, { randomizeConstants: true });
        const inputs = randomInputs(spec, {}, 9);
        const attention: string[] = [];
        const observed: [string, F64Tensor][] = [];
        const out = compileReference(spec, weights).runFloat64(inputs, {
          observe: (ref, value) => observed.push([ref, value]),
          observeAttention: (id, probs) => {
            attention.push(id);
            expect(probs.shape).toEqual([2, 2, 5, 5]);
            // Each query's weights sum to 1.
            for (let r = 0; r < 2 * 2 * 5; r++) {
              const row = probs.data.subarray(r * 5, (r + 1) * 5);
              expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 14);
            }
            // Causal: no weight on keys after the query (query 1, key 3).
            if (normFirst) expect(probs.data[(0 * 5 + 1) * 5 + 3]).toBe(0);
          },
        });
        expect(attention).toEqual(['block.self_attn']);
        // Sub-nodes of the decomposition are not observed; the layer's output is, under its id.
        expect(observed.map(([ref]) => ref)).toEqual(['block']);
        expect(observed[0][1].data).toEqual(out.y.data);
      });
    }
  }
});
