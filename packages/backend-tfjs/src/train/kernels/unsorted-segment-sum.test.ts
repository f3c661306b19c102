import * as tf from '@tensorflow/tfjs';
import { Rng } from '@tessera/spec';
import { expect, test } from 'vitest';
import { ensureTfBackend } from '../../variants.js';
import { installFastSegmentSum } from './unsorted-segment-sum.js';

// tfjs's own cpu kernel is the oracle: the replacement must give its values exactly, on cpu and
// on wasm (which had no kernel), including ids that repeat, segments that stay empty and ids out
// of range; and an embedding's gradient must train on wasm.
test('segment sums equal tfjs-backend-cpu on cpu and wasm', async () => {
  const rng = new Rng(3);
  const rows = 300;
  const x = Float32Array.from({ length: rows * 7 }, () => rng.uniform() * 2 - 1);
  const ids = Int32Array.from({ length: rows }, () => rng.int(-1, 12)); // −1: out of range
  const run = async () => {
    const y = tf.unsortedSegmentSum(tf.tensor2d(x, [rows, 7]), tf.tensor1d(ids, 'int32'), 11);
    const v = await y.data();
    y.dispose();
    return Array.from(v);
  };
  await ensureTfBackend('cpu');
  const want = await run();
  expect(want.filter((v) => v !== 0).length).toBeGreaterThan(50);
  installFastSegmentSum();
  expect(await run()).toEqual(want);
  await ensureTfBackend('wasm');
  expect(await run()).toEqual(want);
  const grad = tf.grad((table: tf.Tensor) =>
    tf.sum(tf.gather(table, tf.tensor1d([1, 1, 3], 'int32'))),
  )(tf.ones([5, 2]));
  expect(Array.from(await grad.data())).toEqual([0, 0, 2, 2, 0, 0, 1, 1, 0, 0]);
  await ensureTfBackend('cpu');
});
