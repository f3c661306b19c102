// Identities between ops on random data (fast-check): each side is computed by different kernels,
// so a slip in one shows up as a mismatch.
import { initWeights, parseSpec, type Tensor, type Weights } from '@tessera/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import { expectClose, f32 } from './harness.js';

const dims = (n: number, max: number) =>
  fc.array(fc.integer({ min: 1, max }), { minLength: n, maxLength: n });
const filled = (shape: number[], seed: number) =>
  f32(
    shape,
    Array.from(
      { length: shape.reduce((p, d) => p * d, 1) },
      (_, i) => Math.sin(seed + i * 0.731) * 3,
    ),
  );

function run(
  nodes: unknown[],
  x: Tensor,
  outputs: Record<string, string>,
  weights?: (spec: ReturnType<typeof parseSpec>) => Weights,
) {
  const spec = parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape: x.shape } },
    outputs,
    nodes,
  });
  return compileReference(spec, weights ? weights(spec) : initWeights(spec, 1)).runFloat64({ x });
}

describe('identities', () => {
  it('exp(logSoftmax(x)) = softmax(x)', () => {
    fc.assert(
      fc.property(dims(3, 4), fc.integer({ min: -3, max: 2 }), fc.integer(), (shape, dim, seed) => {
        const out = run(
          [
            { id: 'a', op: 'softmax', input: 'x', dim },
            { id: 'b', op: 'logSoftmax', input: 'x', dim },
          ],
          filled(shape, seed),
          { a: 'a', b: 'b' },
        );
        expectClose(out.b.data.map(Math.exp), out.a.data, 1e-14);
      }),
      { numRuns: 30 },
    );
  });

  it('globalAvgPool = mean over the spatial dims with keepdim', () => {
    fc.assert(
      fc.property(dims(4, 4), fc.integer(), (shape, seed) => {
        const out = run(
          [
            { id: 'g', op: 'globalAvgPool', input: 'x' },
            { id: 'm', op: 'mean', input: 'x', dim: [2, 3], keepdim: true },
          ],
          filled(shape, seed),
          { g: 'g', m: 'm' },
        );
        expectClose(out.g.data, out.m.data, 1e-14);
      }),
      { numRuns: 20 },
    );
  });

  it('a 1-wide conv1d is a linear layer over channels', () => {
    fc.assert(
      fc.property(
        dims(3, 4),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        ([n, c, l], o, seed) => {
          const x = filled([n, c, l], seed);
          const out = run(
            [
              {
                id: 'conv',
                op: 'conv1d',
                input: 'x',
                inChannels: c,
                outChannels: o,
                kernelSize: 1,
              },
              { id: 't', op: 'permute', input: 'x', dims: [0, 2, 1] },
              { id: 'lin', op: 'linear', input: 't', inFeatures: c, outFeatures: o },
              { id: 'back', op: 'permute', input: 'lin', dims: [0, 2, 1] },
            ],
            x,
            { conv: 'conv', lin: 'back' },
            (spec) => {
              const w = initWeights(spec, seed);
              // Give the linear layer the conv's numbers: weight [o, c, 1] and [o, c] hold the same values.
              w.set('lin.weight', { ...w.get('conv.weight')!, shape: [o, c] });
              w.set('lin.bias', w.get('conv.bias')!);
              return w;
            },
          );
          expectClose(out.conv.data, out.lin.data, 1e-14);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('avgPool and maxPool with a 1×1 window are the identity', () => {
    const x = filled([2, 3, 4, 5], 1);
    const out = run(
      [
        { id: 'a', op: 'avgPool2d', input: 'x', kernelSize: 1 },
        { id: 'm', op: 'maxPool2d', input: 'x', kernelSize: 1 },
      ],
      x,
      { a: 'a', m: 'm' },
    );
    expectClose(out.a.data, x.data, 0);
    expectClose(out.m.data, x.data, 0);
  });

  for (const op of ['rnn', 'lstm', 'gru'] as const) {
    it(`${op}: two stacked layers equal two one-layer nodes (inter-layer concat, h_n order)`, () => {
      const x = filled([2, 3, 4], 5);
      const common = { hiddenSize: 3, bidirectional: true };
      const stacked = parseSpec({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: [2, 3, 4] } },
        outputs: { y: 'r', h: 'r:h_n' },
        nodes: [{ id: 'r', op, inputSize: 4, numLayers: 2, ...common }],
      });
      const split = parseSpec({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: [2, 3, 4] } },
        outputs: { y: 'b', h0: 'a:h_n', h1: 'b:h_n' },
        nodes: [
          { id: 'a', op, inputSize: 4, ...common },
          { id: 'b', op, inputSize: 6, ...common },
        ],
      });
      const w = initWeights(stacked, 8);
      // Layer 0 weights go to node a, layer 1 weights to node b as its layer 0.
      const wSplit: Weights = new Map();
      for (const [name, t] of w) {
        const m = /^r\.(\w+)_l([01])(_reverse)?$/.exec(name)!;
        wSplit.set(`${m[2] === '0' ? 'a' : 'b'}.${m[1]}_l0${m[3] ?? ''}`, t);
      }
      const one = compileReference(stacked, w).runFloat64({ x });
      const two = compileReference(split, wSplit).runFloat64({ x });
      expectClose(one.y.data, two.y.data, 0);
      // h_n index = layer·2 + direction: [l0 fwd, l0 bwd, l1 fwd, l1 bwd].
      expect(one.h.shape).toEqual([4, 2, 3]);
      expectClose(one.h.data, [...two.h0.data, ...two.h1.data], 0);
    });
  }
});
