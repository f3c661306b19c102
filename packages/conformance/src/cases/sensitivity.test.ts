// Every case must be able to fail: a backend that gets any one weight tensor or any input slightly
// wrong has to be caught. Perturbs each weight tensor (and each float input) of every catalogue
// case by small seeded noise and checks that the float64 outputs then leave the default tolerance.
import { createBackend } from '@tessera/backend-reference';
import { Rng, type Tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { judge } from '../cell.js';
import { sharedReferenceCache } from '../reference.js';
import { defaultTolerance } from '../tolerance.js';
import { catalogue } from './index.js';

/** Adds noise uniform in ±1e-2 to every element: far outside atol 1e-5, small enough to stay in range. */
function perturbed(t: Tensor, name: string): Tensor {
  const rng = Rng.forName(99, name);
  const data = Float32Array.from(t.data, (v) => v + rng.range(-1e-2, 1e-2));
  return { ...t, data };
}

/**
 * Weights a case cannot see, by the maths rather than by a weak case: with h₀ = 0, the first step
 * of a recurrence multiplies W_hh by zero, so a length-1 sequence (and the reverse direction's
 * last step, which is its first) never uses W_hh.
 */
const mathematicallyUnused = new Set([
  'rnn/time1: weight rec.weight_hh_l0',
  'lstm/time1: weight rec.weight_hh_l0',
  'gru/time1: weight rec.weight_hh_l0',
  'edge/time1-stack: weight rec.weight_hh_l0',
  'edge/time1-stack: weight rec.weight_hh_l0_reverse',
  // The classifier reads only the last step, where the top layer's reverse direction has taken one step.
  'preset/rnnClassifier-gru-bidirectional-small: weight rnn.weight_hh_l1_reverse',
  // One position: the softmax over a single key is 1 whatever q·k, so q_proj and k_proj drop out.
  'attention/time1: weight attn.q_proj.weight',
  'attention/time1: weight attn.k_proj.weight',
  'attention/wide-time1: weight attn.q_proj.weight',
  'attention/wide-time1: weight attn.k_proj.weight',
]);

describe('catalogue sensitivity', () => {
  it('notices a perturbation of any weight tensor or float input of any case', async () => {
    const reference = await createBackend();
    const cache = sharedReferenceCache();
    const blind: string[] = [];
    for (const c of catalogue) {
      const expected = await cache.expected(c);
      const evaluate = async (weights: typeof expected.weights, inputs: Record<string, Tensor>) => {
        const model = await reference.compile(expected.spec, weights);
        const outputs = model.runFloat64(inputs);
        await model.dispose();
        const got = Object.fromEntries(
          Object.entries(outputs).map(([k, v]) => [
            k,
            // Float64 values under the output's dtype: int32 outputs are compared exactly.
            {
              dtype: expected.outputs[k].dtype ?? 'float32',
              shape: v.shape,
              data: v.data as unknown as Float32Array,
            },
          ]),
        );
        return judge(got, expected, defaultTolerance).ok;
      };
      for (const name of expected.weights.keys()) {
        const weights = new Map(expected.weights);
        weights.set(name, perturbed(expected.weights.get(name)!, name));
        if (await evaluate(weights, expected.inputs)) blind.push(`${c.id}: weight ${name}`);
      }
      for (const [name, t] of Object.entries(expected.inputs)) {
        if (t.dtype !== 'float32') continue;
        if (await evaluate(expected.weights, { ...expected.inputs, [name]: perturbed(t, name) }))
          blind.push(`${c.id}: input ${name}`);
      }
    }
    expect(blind.filter((b) => !mathematicallyUnused.has(b))).toEqual([]);
    // The exceptions are still exceptions: if a case changes, its entry goes.
    expect([...mathematicallyUnused].filter((b) => !blind.includes(b))).toEqual([]);
  });
});

describe('eps sensitivity', () => {
  // A backend that ignores an eps attribute, or uses another default, must fail these cases.
  const cases = [
    'layerNorm/eps',
    'layerNorm/default-eps-small-inputs',
    'rmsNorm/default-eps-small-inputs',
    'batchNorm/no-affine',
    'transformerEncoderLayer/eps',
  ];

  it.each(cases)('%s fails with eps ten times smaller', async (id) => {
    const c = catalogue.find((x) => x.id === id)!;
    const expected = await sharedReferenceCache().expected(c);
    const spec = structuredClone(expected.spec);
    for (const node of spec.nodes as unknown as Record<string, unknown>[]) {
      for (const key of ['eps', 'layerNormEps'])
        if (typeof node[key] === 'number') node[key] = (node[key] as number) / 10;
    }
    const model = await (await createBackend()).compile(spec, expected.weights);
    const outputs = model.runFloat64(expected.inputs);
    const got = Object.fromEntries(
      Object.entries(outputs).map(([k, v]) => [
        k,
        { dtype: 'float32' as const, shape: v.shape, data: v.data as unknown as Float32Array },
      ]),
    );
    expect(judge(got, expected, defaultTolerance).ok).toBe(false);
  });
});
