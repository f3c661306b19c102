// The rope kernel's gradients (training runs it inside tf.variableGrads), in both pairings and with
// partial rotary. Values are checked against the reference by the conformance cases (cases/rope.ts).
import * as tf from '@tensorflow/tfjs';
import type { NodeOf } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { ensureTfBackend } from '../variants.js';
import { rope } from './rope.js';
import type { WeightReader } from './types.js';
import { Value } from './value.js';

const none: WeightReader = {
  get: (name) => {
    throw new Error(`rope has no weight ${name}`);
  },
  optional: () => undefined,
};
const turn = (x: tf.Tensor, dim: number, interleaved: boolean) => {
  const node: NodeOf<'rope'> = {
    id: 'r',
    op: 'rope',
    input: ['x'],
    dim,
    theta: 10000,
    interleaved,
  };
  return rope.apply(node, [new Value(x)], none) as tf.Tensor;
};
const maxDiff = async (a: tf.Tensor, b: readonly number[] | tf.Tensor) =>
  (await tf.max(tf.abs(tf.sub(a, b instanceof tf.Tensor ? b : tf.tensor(b, a.shape)))).data())[0];

// x = [1, 1, 2, 4]; d Σ y / d x: a pair (a, b) gives y_a = a·cos − b·sin, y_b = b·cos + a·sin, so
// d/da = cos + sin, d/db = cos − sin; at p = 0 (cos 1, sin 0) and for features past `dim`, 1.
// dim 4, p = 1: angles 1, 0.01. cos 1 + sin 1 = 1.3817732906760363, cos 1 − sin 1 = −0.30116867893975674,
// cos 0.01 + sin 0.01 = 1.009949833750832, cos 0.01 − sin 0.01 = 0.9899501670824986.
const [p1, m1, p2, m2] = [
  1.3817732906760363, -0.30116867893975674, 1.009949833750832, 0.9899501670824986,
];

describe.each(['cpu', 'wasm'] as const)('rope gradients on %s', (variant) => {
  test.each([
    ['rotate_half, dim 4', 4, false, [1, 1, 1, 1, p1, p2, m1, m2]],
    ['interleaved, dim 4', 4, true, [1, 1, 1, 1, p1, m1, p2, m2]],
    ['partial, dim 2 of 4', 2, false, [1, 1, 1, 1, p1, m1, 1, 1]],
    ['partial interleaved, dim 2 of 4', 2, true, [1, 1, 1, 1, p1, m1, 1, 1]],
  ] as const)(
    'd Σ y / d x, %s (through tf.variableGrads)',
    async (_name, dim, interleaved, want) => {
      await ensureTfBackend(variant);
      const x = tf.variable(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 4]));
      const { grads } = tf.variableGrads(() => tf.sum(turn(x, dim, interleaved)) as tf.Scalar, [x]);
      expect(grads[x.name].shape).toEqual([1, 1, 2, 4]);
      expect(await maxDiff(grads[x.name], want)).toBeLessThan(1e-5);
      x.dispose();
    },
  );

  test.each([
    [8, false],
    [8, true],
    [4, false],
    [6, true],
  ])(
    'a rotation keeps the norm: d ½|y|² / d x = x (dim %i of 8, interleaved %s)',
    async (dim, interleaved) => {
      await ensureTfBackend(variant);
      const x = tf.randomNormal([2, 3, 5, 8], 0, 1, 'float32', dim);
      const [g] = tf.grads((t: tf.Tensor) =>
        tf.mul(0.5, tf.sum(tf.square(turn(t, dim, interleaved)))),
      )([x]);
      expect(await maxDiff(g, x)).toBeLessThan(1e-5);
    },
  );
});
