// tfjs's BatchMatMul neither broadcasts unequal batch shapes correctly nor sums its gradient over
// broadcast dims (see matmul.ts); these check the kernel's gradients where it broadcasts. Values
// are checked against the reference by the conformance cases (matmul/broadcast, rank2-shared).
import * as tf from '@tensorflow/tfjs';
import type { NodeOf } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { ensureTfBackend } from '../variants.js';
import { matmul } from './matmul.js';
import type { WeightReader } from './types.js';
import { Value } from './value.js';

const none: WeightReader = {
  get: (name) => {
    throw new Error(`matmul has no weight ${name}`);
  },
  optional: () => undefined,
};
const node: NodeOf<'matmul'> = { id: 'm', op: 'matmul', input: ['a', 'b'] };
const product = (a: tf.Tensor, b: tf.Tensor) =>
  matmul.apply(node, [new Value(a), new Value(b)], none) as tf.Tensor;

describe.each(['cpu', 'wasm'] as const)('matmul gradients on %s', (variant) => {
  test('sum over broadcast batch dims: [3, 1, 3, 4] · [2, 4, 6]', async () => {
    await ensureTfBackend(variant);
    const a = tf.randomNormal([3, 1, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 2);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(product(x, y)))([a, b]);
    expect(product(a, b).shape).toEqual([3, 2, 3, 6]);
    expect([ga.shape, gb.shape]).toEqual([a.shape, b.shape]);
    // d Σ(a·b) / d a[i, 0, r, k] = Σ_j Σ_m b[j, k, m]; / d b[j, k, m] = Σ_i Σ_r a[i, 0, r, k].
    const wantA = tf.broadcastTo(tf.reshape(tf.sum(b, [0, 2]), [1, 1, 1, 4]), a.shape);
    const wantB = tf.broadcastTo(tf.reshape(tf.sum(a, [0, 1, 2]), [1, 4, 1]), b.shape);
    expect((await tf.max(tf.abs(tf.sub(ga, wantA))).data())[0]).toBeLessThan(1e-4);
    expect((await tf.max(tf.abs(tf.sub(gb, wantB))).data())[0]).toBeLessThan(1e-4);
  });

  test('a shared matrix: [2, 5, 3] · [3, 4] gives the shared operand its summed gradient', async () => {
    await ensureTfBackend(variant);
    const a = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3);
    const b = tf.randomNormal([3, 4], 0, 1, 'float32', 4);
    const [, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(product(x, y)))([a, b]);
    const wantB = tf.broadcastTo(tf.reshape(tf.sum(a, [0, 1]), [3, 1]), [3, 4]);
    expect(gb.shape).toEqual([3, 4]);
    expect((await tf.max(tf.abs(tf.sub(gb, wantB))).data())[0]).toBeLessThan(1e-4);
  });
});
