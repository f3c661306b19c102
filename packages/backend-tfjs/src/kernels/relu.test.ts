// The relu kernel's NaN and its gradient, as torch.relu's (checked with torch 1.13: relu of
// [NaN, 0, 1, −1, inf, −inf] is [NaN, 0, 1, 0, inf, 0], its gradient [1, 0, 1, 0, 1, 0]), on both
// tfjs variants that run in Node.js, with a NaN whose sign bit is set (inf − inf) among them.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../index.js';
import { reluKeepingNaN } from './relu.js';

describe.each(['cpu', 'wasm'] as const)('relu on tfjs %s', (variant) => {
  const input = () =>
    tf.concat([
      tf.sub(tf.tensor1d([Number.POSITIVE_INFINITY]), tf.tensor1d([Number.POSITIVE_INFINITY])),
      tf.tensor1d([Number.NaN, 0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
    ]);

  test('keeps NaN of either sign', async () => {
    await createBackend({ variant });
    const y = tf.tidy(() => reluKeepingNaN(input()));
    expect(Array.from(await y.data())).toEqual([Number.NaN, Number.NaN, 0, 1, 0, Infinity, 0]);
    y.dispose();
  });

  test("has PyTorch's gradient: 0 where x ≤ 0, 1 elsewhere, NaN included", async () => {
    await createBackend({ variant });
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(reluKeepingNaN(x)))(input()));
    expect(Array.from(await g.data())).toEqual([1, 1, 0, 1, 0, 1, 0]);
    g.dispose();
  });
});
