// Variants, the one global tfjs backend, and the Backend contract.
import * as tf from '@tensorflow/tfjs';
import { initWeights, randomInputs, rnnClassifier } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend, ensureTfBackend, VariantUnavailableError } from '../src/index.js';
import { spec } from './helpers.js';

describe('variants in Node.js', () => {
  test.each(['webgl', 'webgpu'] as const)('%s is refused with the reason', async (variant) => {
    const e = await createBackend({ variant }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(VariantUnavailableError);
    expect((e as Error).message).toMatch(/needs a browser/);
  });

  test('an unknown variant is refused', async () => {
    await expect(createBackend({ variant: 'metal' as never })).rejects.toThrow(/unknown variant/);
  });

  test('cpu and wasm start and report themselves', async () => {
    for (const variant of ['cpu', 'wasm'] as const) {
      const backend = await createBackend({ variant });
      expect([backend.name, backend.variant, tf.getBackend()]).toEqual(['tfjs', variant, variant]);
      expect(backend.supports('lstm')).toBe(true);
      expect(backend.supports('transformerEncoderLayer')).toBe(true); // decomposed
      expect(backend.supports('conv3d')).toMatch(/is not an op of tessera.model\/v1/);
    }
    await ensureTfBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('the global backend', () => {
  test('models on different variants switch it back before they run, even interleaved', async () => {
    const model = rnnClassifier({ cell: 'gru', numLayers: 2 });
    const weights = initWeights(model, 5);
    const inputs = randomInputs(model, { batch: 2, time: 4 }, 6);
    const onCpu = await (await createBackend({ variant: 'cpu' })).compile(model, weights);
    const onWasm = await (await createBackend({ variant: 'wasm' })).compile(model, weights);
    const alone = [await onCpu.run(inputs), await onWasm.run(inputs)];
    const together = await Promise.all([
      onCpu.run(inputs),
      onWasm.run(inputs),
      onCpu.run(inputs),
      onWasm.run(inputs),
    ]);
    expect(together.map((r) => r.logits.data)).toEqual(
      [...alone, ...alone].map((r) => r.logits.data),
    );
    await ensureTfBackend('wasm');
    expect((await onCpu.run(inputs)).logits.data).toEqual(alone[0].logits.data);
    expect(tf.getBackend()).toBe('cpu');
    await onCpu.dispose();
    await onWasm.dispose();
  });
});

test('starts of different variants at once queue instead of undoing each other', async () => {
  await ensureTfBackend('cpu');
  const asked = Array.from({ length: 12 }, (_, i): 'cpu' | 'wasm' =>
    i % 2 === 0 ? 'wasm' : 'cpu',
  );
  await Promise.all(asked.map((v) => ensureTfBackend(v)));
  // Each switch is made in the order asked, so the last one asked is the one left active.
  expect(tf.getBackend()).toBe(asked.at(-1));
});

describe('the Backend contract', () => {
  const passthrough = spec({
    inputs: { x: { dtype: 'float32', shape: ['batch', 3] } },
    outputs: { same: 'd', scaled: 'lin' },
    nodes: [
      { id: 'd', op: 'dropout', input: 'x' },
      { id: 'lin', op: 'linear', input: 'x', inFeatures: 3, outFeatures: 2 },
    ],
  });

  test('compiling and running mutate neither the spec, the weights nor the inputs', async () => {
    const weights = initWeights(passthrough, 2);
    const specJson = JSON.stringify(passthrough);
    const weightCopies = new Map([...weights].map(([k, t]) => [k, Float32Array.from(t.data)]));
    const model = await (await createBackend({ variant: 'cpu' })).compile(passthrough, weights);
    const inputs = randomInputs(passthrough, { batch: 2 }, 1);
    const x = Float32Array.from(inputs.x.data);
    const out = await model.run(inputs);
    expect(JSON.stringify(passthrough)).toBe(specJson);
    for (const [k, t] of weights) expect(t.data).toEqual(weightCopies.get(k));
    // The identity's output is a copy: writing to it leaves the caller's input alone.
    expect(out.same.data).toEqual(x);
    out.same.data.fill(0);
    expect(inputs.x.data).toEqual(x);
    await model.dispose();
  });

  test('the compiled model keeps its own copy of the weights', async () => {
    const weights = initWeights(passthrough, 2);
    const model = await (await createBackend({ variant: 'cpu' })).compile(passthrough, weights);
    const inputs = randomInputs(passthrough, { batch: 2 }, 1);
    const before = await model.run(inputs);
    // linear's bias passes through prepare untransformed, so it would share the caller's array.
    for (const t of weights.values()) t.data.fill(0);
    expect((await model.run(inputs)).scaled.data).toEqual(before.scaled.data);
    await model.dispose();
  });
});
