// The same training code on the wasm variant: gradients agree with the cpu variant's.
import * as tf from '@tensorflow/tfjs';
import { initWeights, Rng, rnnClassifier, speechRecognizer, tensor } from '@tessera/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTfBackend } from '../variants.js';
import { randomFloats, randomInts } from './fixtures.js';
import { computeGradients, train } from './train.js';

describe('training on the wasm variant', () => {
  afterAll(async () => {
    await ensureTfBackend('cpu');
  });

  it('gives the cpu variant’s gradients and trains', async () => {
    const spec = rnnClassifier({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numClasses: 3 });
    const weights = initWeights(spec, 1);
    const rng = new Rng(1);
    const batch = {
      inputs: { x: randomFloats(rng, [4, 5, 3]) },
      targets: randomInts(rng, [4], 0, 3),
    };
    await ensureTfBackend('cpu');
    const cpu = await computeGradients(spec, weights, batch, { loss: 'crossEntropy' });
    await ensureTfBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = await computeGradients(spec, weights, batch, { loss: 'crossEntropy' });
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    for (const [name, g] of cpu.gradients) {
      const w = wasm.gradients.get(name)!;
      for (let i = 0; i < g.data.length; i++)
        expect(Math.abs(w.data[i] - g.data[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(g.data[i]));
    }
    const result = await train(spec, weights, batch, {
      loss: 'crossEntropy',
      learningRate: 0.05,
      epochs: 20,
    });
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0].loss / 2);
  });

  it('gives the cpu variant’s gradients on packed sequences (lengths: selects and gathers)', async () => {
    const spec = rnnClassifier({
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      numClasses: 3,
      lengths: true,
    });
    const weights = initWeights(spec, 3);
    const rng = new Rng(3);
    const batch = {
      inputs: { x: randomFloats(rng, [4, 5, 3]), lengths: tensor('int32', [4], [5, 2, 1, 4]) },
      targets: randomInts(rng, [4], 0, 3),
    };
    await ensureTfBackend('cpu');
    const cpu = await computeGradients(spec, weights, batch, { loss: 'crossEntropy' });
    await ensureTfBackend('wasm');
    const wasm = await computeGradients(spec, weights, batch, { loss: 'crossEntropy' });
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    let largest = 0;
    for (const [name, g] of cpu.gradients) {
      const w = wasm.gradients.get(name)!;
      for (let i = 0; i < g.data.length; i++) {
        largest = Math.max(largest, Math.abs(g.data[i]));
        expect(Math.abs(w.data[i] - g.data[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(g.data[i]));
      }
    }
    expect(largest).toBeGreaterThan(1e-3); // the gradients compared are not all zero
  });

  it('gives the cpu variant’s CTC loss and gradients (tfjs-wasm OneHot ignores float32)', async () => {
    const spec = speechRecognizer({
      numFeatures: 6,
      convChannels: 4,
      hiddenSize: 3,
      numClasses: 5,
    });
    const weights = initWeights(spec, 2);
    const rng = new Rng(2);
    const batch = {
      // 7 frames: the time unstacking splits 3 + 3 + 1, whose one-step piece once broke gradients.
      inputs: { features: randomFloats(rng, [2, 6, 7]) },
      targets: { dtype: 'int32' as const, shape: [2, 1], data: Int32Array.from([1, 3]) },
    };
    await ensureTfBackend('cpu');
    const cpu = await computeGradients(spec, weights, batch, { loss: 'ctc' });
    await ensureTfBackend('wasm');
    const wasm = await computeGradients(spec, weights, batch, { loss: 'ctc' });
    expect(cpu.loss).toBeGreaterThan(0);
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    for (const [name, g] of cpu.gradients) {
      const w = wasm.gradients.get(name)!;
      for (let i = 0; i < g.data.length; i++)
        expect(Math.abs(w.data[i] - g.data[i])).toBeLessThan(1e-4 + 1e-3 * Math.abs(g.data[i]));
    }
  });
});
