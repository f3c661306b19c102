// tanh and σ are written without an exponential that can overflow (stable.ts): GLSL and WGSL give
// NaN where e^(2x) passes float32's range, which cpu and webasm (IEEE infinities) would not show.
// So the forms are checked here twice: against the reference at large |x| on cpu and webasm, and
// in the source, which must hold no built-in tanh and only exponentials of negated values.
import { createBackend as createReference } from '@tessera/backend-reference';
import { parseSpec, tensor } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../index.js';

const xs = [
  0, -0, 1e-40, 1e-3, -1e-3, 0.5, -3, 20, -20, 44, -44, 100, -100, 1e4, -1e4, 3e38, -3e38,
];

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: [1, xs.length] } },
  outputs: {
    tanh: 'tanh',
    sigmoid: 'sigmoid',
    silu: 'silu',
    geluTanh: 'geluTanh',
    gelu: 'gelu',
    rnn: 'rnn',
    lstm: 'lstm',
    gru: 'gru',
  },
  nodes: [
    { id: 'tanh', op: 'tanh', input: 'x' },
    { id: 'sigmoid', op: 'sigmoid', input: 'x' },
    { id: 'silu', op: 'silu', input: 'x' },
    { id: 'geluTanh', op: 'gelu', input: 'x', approximate: 'tanh' },
    { id: 'gelu', op: 'gelu', input: 'x' },
    // Each element one time step of one feature, so every gate sees the large values too.
    { id: 'seq', op: 'reshape', input: 'x', shape: [1, xs.length, 1] },
    { id: 'rnn', op: 'rnn', input: 'seq', inputSize: 1, hiddenSize: 2 },
    { id: 'lstm', op: 'lstm', input: 'seq', inputSize: 1, hiddenSize: 2 },
    { id: 'gru', op: 'gru', input: 'seq', inputSize: 1, hiddenSize: 2 },
  ],
});

// Weights of 1 keep the gate pre-activations as large as the inputs (±1e4 and beyond).
const weights = new Map(
  [
    ['rnn', 1],
    ['lstm', 4],
    ['gru', 3],
  ].flatMap(([id, gates]) => {
    const g = (gates as number) * 2;
    return [
      [`${id}.weight_ih_l0`, tensor('float32', [g, 1], new Float32Array(g).fill(1))],
      [`${id}.weight_hh_l0`, tensor('float32', [g, 2], new Float32Array(g * 2).fill(0.5))],
      [`${id}.bias_ih_l0`, tensor('float32', [g], new Float32Array(g).fill(0.25))],
      [`${id}.bias_hh_l0`, tensor('float32', [g], new Float32Array(g).fill(-0.25))],
    ] as const;
  }),
);
const inputs = { x: tensor('float32', [1, xs.length], Float32Array.from(xs)) };

describe.each(['cpu', 'webasm'] as const)('tanh and σ at large |x| (%s)', (variant) => {
  test('match the reference within the conformance tolerance, never NaN', async () => {
    const sources: string[] = [];
    const model = await (await createBackend({ variant })).compile(spec, weights, {
      onKernelSource: (s: string) => sources.push(s),
    });
    const got = await model.run(inputs);
    await model.dispose();
    const want = await (await (await createReference()).compile(spec, weights)).run(inputs);
    for (const name of Object.keys(want)) {
      const g = got[name].data;
      const w = want[name].data;
      expect(g.length).toBe(w.length);
      for (let k = 0; k < w.length; k++) {
        // atol 1e-5 + rtol 1e-4, the conformance defaults (false for NaN).
        if (!(Math.abs(g[k] - w[k]) <= 1e-5 + 1e-4 * Math.abs(w[k])))
          throw new Error(`${name} element ${k}: got ${g[k]}, want ${w[k]}`);
      }
    }

    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(source).not.toMatch(/Math\.tanh/);
      // Every exponential is of a negated value: e^(−2|x|), e^(−|x|), e^(−z²).
      for (const m of source.matchAll(/Math\.exp\(([^;]*)/g)) expect(m[1]).toMatch(/^-/);
    }
  });
});
