// Bad weights are refused at compile and bad inputs before tfjs sees them, each naming the
// tensor that is wrong.
import * as tf from '@tensorflow/tfjs';
import { InputError, initWeights, RuntimeFailure, tensor, WeightError } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../src/index.js';
import { spec, variants } from './helpers.js';

const lm = spec({
  inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
  outputs: { logits: 'head' },
  nodes: [
    { id: 'embed', op: 'embedding', numEmbeddings: 6, embeddingDim: 4 },
    { id: 'pos', op: 'positionalEmbedding', maxLength: 5, embeddingDim: 4 },
    { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 6 },
  ],
});
const image = spec({
  inputs: { image: { dtype: 'float32', shape: ['batch', 2, 5, 5] } },
  outputs: { y: 'conv' },
  nodes: [{ id: 'conv', op: 'conv2d', inChannels: 2, outChannels: 3, kernelSize: 3 }],
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').toBeInstanceOf(Error);
  return e as Error;
}

describe.each(variants)('tfjs:%s', (variant) => {
  test('weights: missing, wrongly shaped, wrong dtype and unexpected tensors are named', async () => {
    const backend = await createBackend({ variant });
    const weights = initWeights(lm, 1);
    weights.delete('pos.weight');
    weights.set('head.weight', tensor('float32', [4, 6]));
    weights.set('head.bias', { dtype: 'int32', shape: [6], data: new Int32Array(6) } as never);
    weights.set('head.extra', tensor('float32', [1]));
    const before = tf.memory().numTensors;
    const e = await rejection(backend.compile(lm, weights));
    expect(e).toBeInstanceOf(WeightError);
    const named = (e as WeightError).issues.map((i) => i.name).sort();
    expect(named).toEqual(['head.bias', 'head.extra', 'head.weight', 'pos.weight']);
    expect(e.message).toMatch(/head\.weight: has shape \[4, 6\], expected \[6, 4\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('inputs', () => {
    const run = async (model: typeof lm, inputs: Record<string, unknown>) => {
      const compiled = await (await createBackend({ variant })).compile(
        model,
        initWeights(model, 1),
      );
      try {
        const before = tf.memory().numTensors;
        const e = await rejection(compiled.run(inputs as never));
        expect(tf.memory().numTensors).toBe(before);
        return e;
      } finally {
        await compiled.dispose();
      }
    };

    test('a token id out of range names the input and the id', async () => {
      const e = await run(lm, { tokens: tensor('int32', [1, 3], [0, 6, 1]) });
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/tokens: id 6 at flat index 1 is out of range \[0, 6\)/);
    });

    test('a negative token id', async () => {
      const e = await run(lm, { tokens: tensor('int32', [1, 2], [-1, 0]) });
      expect(e.message).toMatch(/tokens: id -1/);
    });

    test('float data where int32 ids are expected', async () => {
      const e = await run(lm, { tokens: tensor('float32', [1, 2], [0, 1]) });
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/tokens: has dtype float32.*expected int32/);
    });

    test('a wrong rank and a wrong fixed dim', async () => {
      expect((await run(image, { image: tensor('float32', [2, 5, 5]) })).message).toMatch(
        /image: has rank 3/,
      );
      expect((await run(image, { image: tensor('float32', [1, 3, 5, 5]) })).message).toMatch(
        /^image/,
      );
    });

    test('a sequence longer than the positional table', async () => {
      const e = await run(lm, { tokens: tensor('int32', [1, 6]) });
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/maxLength/);
    });

    test('a missing input and an unknown one', async () => {
      const e = await run(lm, { token: tensor('int32', [1, 2]) });
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.map((i) => i.name).sort()).toEqual(['token', 'tokens']);
    });

    test('a length outside 1..T names the lengths input and the row, before any kernel runs', async () => {
      const packed = spec({
        inputs: {
          x: { dtype: 'float32', shape: ['batch', 'time', 2] },
          len: { dtype: 'int32', shape: ['batch'] },
        },
        outputs: { y: 'rnn' },
        nodes: [{ id: 'rnn', op: 'gru', input: 'x', inputSize: 2, hiddenSize: 3, lengths: 'len' }],
      });
      const x = tensor('float32', [2, 4, 2]);
      for (const [len, row] of [
        [[4, 0], 1],
        [[5, 2], 0],
      ] as const) {
        const e = await run(packed, { x, len: tensor('int32', [2], [...len]) });
        expect(e).toBeInstanceOf(InputError);
        expect(e.message).toMatch(new RegExp(`len: row ${row} is ${len[row]}, outside 1\\.\\.4`));
      }
    });

    test('data shorter than the shape says', async () => {
      const e = await run(image, {
        image: { dtype: 'float32', shape: [1, 2, 5, 5], data: new Float32Array(3) },
      });
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/^image/);
    });
  });
});

describe.each(variants)('tfjs:%s, a runtime failure', (variant) => {
  test('an allocation past the runtime, with the limits raised, is a RuntimeFailure', async () => {
    // [1, 65536, 8] → 70,000 features: 4,587,520,000 elements, past a typed array's length on
    // cpu and past the 4 GiB heap on wasm; both fail at once rather than slowly.
    const wide = spec({
      inputs: { x: { dtype: 'float32', shape: [1, 65536, 8] } },
      outputs: { y: 'wide' },
      nodes: [{ id: 'wide', op: 'linear', inFeatures: 8, outFeatures: 70_000, bias: false }],
    });
    const backend = await createBackend({ variant });
    const model = await backend.compile(wide, initWeights(wide, 1), {
      limits: { maxActivationElements: 2 ** 40 },
    });
    const e = await rejection(model.run({ x: tensor('float32', [1, 65536, 8]) }));
    expect(e).toBeInstanceOf(RuntimeFailure);
    expect((e as RuntimeFailure).outOfMemory).toBe(true);
    expect(e.message).toMatch(new RegExp(`^tfjs:${variant} failed`));
    await model.dispose();
  });
});
