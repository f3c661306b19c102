// The repeatInterleave kernel's gradient: each input slice gets the sum of the gradients of its
// repeats (the gradient of the broadcast to [outer, n, repeats, inner]). Values are
// checked against the reference by the conformance cases (cases/repeat-interleave.ts).
import * as tf from '@tensorflow/tfjs';
import type { NodeOf } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { ensureTfBackend } from '../variants.js';
import { repeatInterleave } from './repeat-interleave.js';
import type { WeightReader } from './types.js';
import { Value } from './value.js';

const none: WeightReader = {
  get: (name) => {
    throw new Error(`repeatInterleave has no weight ${name}`);
  },
  optional: () => undefined,
};
const repeat = (x: tf.Tensor, repeats: number, dim: number) => {
  const node: NodeOf<'repeatInterleave'> = {
    id: 'r',
    op: 'repeatInterleave',
    input: ['x'],
    repeats,
    dim,
  };
  return repeatInterleave.apply(node, [new Value(x)], none) as tf.Tensor;
};

describe.each(['cpu', 'wasm'] as const)('repeatInterleave on %s', (variant) => {
  test('dim 1 (repeat_kv): values, and d Σ w·y / d x sums w over each head’s copies', async () => {
    await ensureTfBackend(variant);
    // x [1, 2, 1, 2] = heads [1, 2], [3, 4] → y heads [1, 2], [1, 2], [3, 4], [3, 4].
    // w = 0..7 as [1, 4, 1, 2]: kv head 0 gets w[h0] + w[h1] = [0 + 2, 1 + 3] = [2, 4], kv head 1
    // w[h2] + w[h3] = [4 + 6, 5 + 7] = [10, 12].
    const x = tf.variable(tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]));
    const w = tf.reshape(tf.range(0, 8), [1, 4, 1, 2]);
    const y = repeat(x, 2, 1);
    expect(y.shape).toEqual([1, 4, 1, 2]);
    expect(Array.from(await y.data())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(w, repeat(x, 2, 1))) as tf.Scalar, [x]);
    expect(grads[x.name].shape).toEqual([1, 2, 1, 2]);
    expect(Array.from(await grads[x.name].data())).toEqual([2, 4, 10, 12]);
    x.dispose();
  });

  test('dim 2, 3 repeats: d Σ w·y / d x', async () => {
    await ensureTfBackend(variant);
    // x [1, 1, 2, 2] → y [1, 1, 6, 2]; w = 0..11 as [1, 1, 6, 2]: time 0 is read by rows 0..2
    // (w = [0, 1], [2, 3], [4, 5] → [6, 9]), time 1 by rows 3..5 ([6, 7], [8, 9], [10, 11] → [24, 27]).
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const w = tf.reshape(tf.range(0, 12), [1, 1, 6, 2]);
    expect(Array.from(await repeat(x, 3, 2).data())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(w, repeat(t, 3, 2))))([x]);
    expect(Array.from(await g.data())).toEqual([6, 9, 24, 27]);
  });

  test('rank 5 (past the rank-4 limit of tile’s gradient): d Σ y / d x = repeats', async () => {
    await ensureTfBackend(variant);
    const x = tf.randomNormal([2, 1, 2, 1, 2], 0, 1, 'float32', 5);
    const [g] = tf.grads((t: tf.Tensor) => tf.sum(repeat(t, 3, 2)))([x]);
    expect(repeat(x, 3, 2).shape).toEqual([2, 1, 6, 1, 2]);
    expect(Array.from(await g.data())).toEqual(Array(8).fill(3));
  });
});
