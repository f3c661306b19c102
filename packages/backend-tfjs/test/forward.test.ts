// The contract with training: prepareWeights + forward are differentiable with respect to the
// PyTorch-layout weights, and forward disposes nothing it was given.
import * as tf from '@tensorflow/tfjs';
import { initWeights, randomInputs, weightManifest } from '@tessera/spec';
import { expect, test } from 'vitest';
import { ensureTfBackend, forward, prepareWeights } from '../src/index.js';
import { spec } from './helpers.js';

// One node of every kind that prepares its weights (transposes, gate re-slicing, folding).
const model = spec({
  inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
  outputs: { y: 'head', h: 'gru:h_n' },
  nodes: [
    { id: 'embed', op: 'embedding', numEmbeddings: 5, embeddingDim: 4 },
    { id: 'pos', op: 'positionalEmbedding', maxLength: 6, embeddingDim: 4 },
    {
      id: 'block',
      op: 'transformerEncoderLayer',
      dModel: 4,
      nhead: 2,
      dimFeedforward: 6,
      activation: 'gelu',
      causal: true,
    },
    { id: 'chan', op: 'permute', dims: [0, 2, 1] },
    {
      id: 'conv',
      op: 'conv1d',
      inChannels: 4,
      outChannels: 4,
      kernelSize: 3,
      padding: 1,
      groups: 2,
    },
    { id: 'act', op: 'relu' },
    { id: 'bn', op: 'batchNorm', numFeatures: 4 },
    { id: 'back', op: 'permute', dims: [0, 2, 1] },
    { id: 'lstm', op: 'lstm', inputSize: 4, hiddenSize: 3, bidirectional: true },
    { id: 'gru', op: 'gru', inputSize: 6, hiddenSize: 3 },
    { id: 'rnn', op: 'rnn', input: 'gru', inputSize: 3, hiddenSize: 2, nonlinearity: 'relu' },
    { id: 'head', op: 'linear', inFeatures: 2, outFeatures: 3 },
  ],
});

test.each([4, 1])(
  'gradients reach every PyTorch-layout weight and match finite differences (time %i)',
  async (time) => {
    await ensureTfBackend('cpu');
    const weights = initWeights(model, 11, { randomizeConstants: true });
    const inputs = randomInputs(model, { batch: 2, time }, 12);
    const tokens = tf.tensor(inputs.tokens.data, inputs.tokens.shape, 'int32');
    const vars = new Map(
      [...weights].map(([k, t]) => [k, tf.variable(tf.tensor(t.data, t.shape), true, k)]),
    );
    const loss = () =>
      tf.tidy(() => {
        const out = forward(model, prepareWeights(model, vars as Map<string, tf.Tensor>), {
          tokens,
        });
        // A fixed, uneven weighting so that no gradient vanishes by symmetry.
        return tf.add(
          tf.sum(tf.mul(out.y, tf.linspace(0.5, 1.5, out.y.size).reshape(out.y.shape))),
          tf.sum(tf.square(out.h)),
        ) as tf.Scalar;
      });
    const { grads } = tf.variableGrads(loss);
    // With one step, h is 0 wherever W_hh would multiply it, so W_hh has no gradient.
    const used = weightManifest(model)
      .map((w) => w.name)
      .filter((name) => time > 1 || !name.includes('weight_hh'));
    expect(Object.keys(grads).sort()).toEqual(used.sort());
    // Central differences on the first element of each weight (float32, so a loose tolerance).
    const eps = 1e-2;
    for (const [name, v] of vars) {
      const g = grads[name] ?? tf.zerosLike(v);
      expect(g.shape, name).toEqual(v.shape);
      const original = v.dataSync().slice();
      const at = (delta: number) => {
        const data = original.slice();
        data[0] += delta;
        v.assign(tf.tensor(data, v.shape));
        const l = loss();
        const value = l.dataSync()[0];
        l.dispose();
        return value;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(original, v.shape));
      const analytic = g.dataSync()[0];
      expect(
        Math.abs(analytic - numeric),
        `${name}: analytic ${analytic}, numeric ${numeric}`,
      ).toBeLessThan(5e-3 + 2e-2 * Math.abs(numeric));
    }
    tf.dispose([tokens, ...vars.values(), ...Object.values(grads)]);
  },
);

test('forward disposes none of its arguments', async () => {
  await ensureTfBackend('cpu');
  const weights = initWeights(model, 1);
  const raw = new Map([...weights].map(([k, t]) => [k, tf.tensor(t.data, t.shape)]));
  const prepared = prepareWeights(model, raw);
  const tokens = tf.tensor([[1, 2, 3]], [1, 3], 'int32');
  tf.tidy(() => forward(model, prepared, { tokens }));
  for (const t of [tokens, ...raw.values(), ...prepared.values()]) expect(t.isDisposed).toBe(false);
  tf.dispose([tokens, ...raw.values(), ...prepared.values()]);
});
