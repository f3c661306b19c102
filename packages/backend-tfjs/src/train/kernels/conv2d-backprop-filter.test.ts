import * as tf from '@tensorflow/tfjs';
import { Rng } from '@tessera/spec';
import { expect, test } from 'vitest';
import { fastConv2dBackpropFilter } from './conv2d-backprop-filter.js';

// The fast kernel must reproduce tfjs's own cpu kernel exactly (same loops, same summation order)
// for strides, padding modes and shapes where the window bounds are fractional.
test.each([
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 11, 10, 2], f: [5, 4, 2, 3], strides: 2, pad: 'valid' },
  { x: [1, 7, 7, 1], f: [5, 5, 1, 6], strides: [2, 1], pad: 2 },
  { x: [2, 12, 12, 6], f: [5, 5, 6, 16], strides: 1, pad: 'valid' },
] as const)(
  'matches tfjs-backend-cpu for x $x, filter $f, strides $strides, pad $pad',
  async ({ x, f, strides, pad }) => {
    await tf.setBackend('cpu');
    const original = tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc;
    const rng = new Rng(7);
    const xs = tf.tensor4d(
      Float32Array.from(
        { length: (x as readonly number[]).reduce((a, b) => a * b, 1) },
        () => rng.uniform() * 2 - 1,
      ),
      [...x],
    );
    const info = tf.backend_util.computeConv2DInfo(
      [...x],
      [...f],
      strides as number,
      1,
      pad as 'same',
    );
    const dyShape = [x[0], info.outHeight, info.outWidth, f[3]];
    const dy = tf.tensor4d(
      Float32Array.from({ length: dyShape.reduce((a, b) => a * b) }, () => rng.uniform() * 2 - 1),
      dyShape as [number, number, number, number],
    );
    const args = {
      inputs: { x: xs, dy },
      backend: tf.backend(),
      attrs: { strides, pad, dataFormat: 'NHWC', filterShape: [...f] },
    };
    const want = tf
      .backend()
      .readSync((original(args as never) as tf.TensorInfo).dataId) as Float32Array;
    const got = tf
      .backend()
      .readSync(
        (fastConv2dBackpropFilter(original)(args as never) as tf.TensorInfo).dataId,
      ) as Float32Array;
    expect(got.length).toBe((f as readonly number[]).reduce((a, b) => a * b, 1));
    expect(got.some((v) => v !== 0)).toBe(true);
    expect([...got]).toEqual([...want]);
  },
);

test('on wasm (which has no filter gradient of its own) the installed kernel gives the cpu values', async () => {
  const { ensureTfBackend } = await import('../../variants.js');
  const { installFastConvGrad } = await import('./conv2d-backprop-filter.js');
  const rng = new Rng(11);
  const x = Float32Array.from({ length: 2 * 10 * 9 * 3 }, () => rng.uniform() * 2 - 1);
  const f = Float32Array.from({ length: 3 * 3 * 3 * 5 }, () => rng.uniform() * 2 - 1);
  const gradient = async () => {
    const g = tf.grad((filter: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, [2, 10, 9, 3]), filter as tf.Tensor4D, 2, 'same'))),
    )(tf.tensor4d(f, [3, 3, 3, 5]));
    return Array.from(await g.data());
  };
  await ensureTfBackend('cpu');
  const want = await gradient();
  installFastConvGrad();
  await ensureTfBackend('wasm');
  const got = await gradient();
  await ensureTfBackend('cpu');
  // The forward convolutions differ (XNNPACK vs tfjs's loops), so dy differs in the last bits.
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i])));
  expect(want.some((v) => Math.abs(v) > 0.1)).toBe(true);
});
