// Every forward pass must free everything it allocates: 1,000 runs of a tiny model leave tfjs's
// tensor count and byte count where the first run left them. dispose() frees the weights.
import * as tf from '@tensorflow/tfjs';
import { initWeights, randomInputs } from '@tessera/spec';
import { expect, test } from 'vitest';
import { createBackend } from '../src/index.js';
import { spec, variants } from './helpers.js';

// Tiny, but it touches the paths that allocate temporaries: an embedding, a recurrence with ports,
// attention with a causal mask, a channels-last conv stack and a sinusoidal table.
const tiny = spec({
  inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
  outputs: { logits: 'head', h: 'rnn:h_n' },
  nodes: [
    { id: 'embed', op: 'embedding', numEmbeddings: 5, embeddingDim: 4 },
    { id: 'pos', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 8, embeddingDim: 4 },
    { id: 'att', op: 'multiHeadAttention', embedDim: 4, numHeads: 2, causal: true },
    { id: 'chan', op: 'permute', dims: [0, 2, 1] },
    { id: 'conv', op: 'conv1d', inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1 },
    { id: 'pool', op: 'avgPool1d', kernelSize: 2, stride: 1, padding: 1, countIncludePad: false },
    { id: 'back', op: 'permute', dims: [0, 2, 1] },
    { id: 'rnn', op: 'lstm', inputSize: 4, hiddenSize: 3 },
    { id: 'head', op: 'linear', inFeatures: 3, outFeatures: 5 },
  ],
});

test.each(variants)('1,000 forward passes on %s leak no tensors or bytes', async (variant) => {
  const before = tf.memory();
  const model = await (await createBackend({ variant })).compile(tiny, initWeights(tiny, 3));
  const inputs = randomInputs(tiny, { batch: 2, time: 3 }, 4);
  const first = await model.run(inputs);
  const after1 = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
  let last = first;
  for (let i = 0; i < 999; i++) last = await model.run(inputs);
  expect({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes }).toEqual(after1);
  expect(last.logits.data).toEqual(first.logits.data);
  await model.dispose();
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numBytes).toBe(before.numBytes);
  await expect(model.run(inputs)).rejects.toThrow(/disposed/);
});

// Padded batches (§6.3): the valid-step masks, the reverse direction's held states, the gathered
// final states and the key padding bias are all made inside the run's tidy.
const packed = spec({
  inputs: {
    x: { dtype: 'float32', shape: ['batch', 'time', 4] },
    len: { dtype: 'int32', shape: ['batch'] },
  },
  outputs: { y: 'avg', h: 'rnn:h_n', c: 'rnn:c_n' },
  nodes: [
    { id: 'att', op: 'multiHeadAttention', input: 'x', embedDim: 4, numHeads: 2, lengths: 'len' },
    { id: 'rnn', op: 'lstm', inputSize: 4, hiddenSize: 3, bidirectional: true, lengths: 'len' },
    { id: 'avg', op: 'mean', dim: 1, lengths: 'len' },
  ],
});

test.each(variants)('100 runs with lengths on %s leak no tensors or bytes', async (variant) => {
  const before = tf.memory();
  const model = await (await createBackend({ variant })).compile(packed, initWeights(packed, 5));
  const inputs = randomInputs(packed, { batch: 3, time: 4 }, 6);
  const first = await model.run(inputs);
  const after1 = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
  for (let i = 0; i < 99; i++) await model.run(inputs);
  expect({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes }).toEqual(after1);
  expect((await model.run(inputs)).y.data).toEqual(first.y.data);
  await model.dispose();
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numBytes).toBe(before.numBytes);
});
