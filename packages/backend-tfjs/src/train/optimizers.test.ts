import * as tf from '@tensorflow/tfjs';
import { Rng } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { Optimizer, type OptimizerOptions } from './optimizers.js';

/** PyTorch's update rules for one flat parameter, in float64, written out element by element. */
function reference(
  o: Required<Omit<OptimizerOptions, 'clipGradNorm'>> & { clipGradNorm?: number },
  p0: number[][],
  grads: number[][][],
): number[][] {
  const p = p0.map((x) => [...x]);
  const state = p.map((x) => ({ b: x.map(() => 0), m: x.map(() => 0), v: x.map(() => 0) }));
  grads.forEach((gs, step) => {
    const t = step + 1;
    let scale = 1;
    if (o.clipGradNorm !== undefined) {
      const norm = Math.sqrt(gs.flat().reduce((s, g) => s + g * g, 0));
      scale = Math.min(1, o.clipGradNorm / (norm + 1e-6));
    }
    p.forEach((w, k) => {
      const s = state[k];
      for (let i = 0; i < w.length; i++) {
        let g = gs[k][i] * scale;
        if (o.optimizer !== 'adamw') g += o.weightDecay * w[i];
        if (o.optimizer === 'sgd') {
          let d = g;
          if (o.momentum > 0) {
            s.b[i] = t === 1 ? g : o.momentum * s.b[i] + g;
            d = o.nesterov ? g + o.momentum * s.b[i] : s.b[i];
          }
          w[i] -= o.learningRate * d;
        } else {
          if (o.optimizer === 'adamw') w[i] *= 1 - o.learningRate * o.weightDecay;
          s.m[i] = o.beta1 * s.m[i] + (1 - o.beta1) * g;
          s.v[i] = o.beta2 * s.v[i] + (1 - o.beta2) * g * g;
          const mHat = s.m[i] / (1 - o.beta1 ** t);
          const vHat = s.v[i] / (1 - o.beta2 ** t);
          w[i] -= (o.learningRate * mHat) / (Math.sqrt(vHat) + o.epsilon);
        }
      }
    });
  });
  return p;
}

const BASE = {
  learningRate: 0.1,
  momentum: 0,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
};

function run(o: OptimizerOptions, p0: number[][], grads: number[][][]): number[][] {
  const params = new Map(p0.map((w, k) => [`w${k}`, tf.variable(tf.tensor1d(w))]));
  const opt = new Optimizer(o);
  for (const gs of grads) {
    const named = Object.fromEntries(gs.map((g, k) => [`w${k}`, tf.tensor1d(g)]));
    opt.step(params, named);
    tf.dispose(Object.values(named));
  }
  const out = [...params.values()].map((v) => Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose([...params.values()]);
  return out;
}

describe('Optimizer', () => {
  const rng = new Rng(5);
  const p0 = [
    Array.from({ length: 4 }, () => rng.range(-1, 1)),
    Array.from({ length: 3 }, () => rng.range(-1, 1)),
  ];
  const grads = Array.from({ length: 4 }, () => p0.map((w) => w.map(() => rng.range(-2, 2))));
  const cases: [string, Partial<typeof BASE> & OptimizerOptions][] = [
    ['sgd', { optimizer: 'sgd' }],
    ['sgd, L2 weight decay', { optimizer: 'sgd', weightDecay: 0.1 }],
    ['sgd, momentum', { optimizer: 'sgd', momentum: 0.9 }],
    ['sgd, Nesterov', { optimizer: 'sgd', momentum: 0.9, nesterov: true }],
    ['adam', { optimizer: 'adam' }],
    ['adam, L2 weight decay', { optimizer: 'adam', weightDecay: 0.1 }],
    ['adamw', { optimizer: 'adamw', weightDecay: 0.1 }],
    ['sgd, clipped by global norm', { optimizer: 'sgd', clipGradNorm: 0.5 }],
    ['adam, clipped by global norm', { optimizer: 'adam', clipGradNorm: 0.5, beta1: 0.5 }],
  ];
  for (const [name, o] of cases) {
    it(`follows PyTorch's update rule: ${name}`, () => {
      const options = { ...BASE, ...o } as Required<OptimizerOptions>;
      const got = run(options, p0, grads);
      const want = reference(options, p0, grads);
      for (const [i, x] of got.flat().entries()) expect(x).toBeCloseTo(want.flat()[i], 5);
    });
  }

  it('decoupled and L2 weight decay differ for Adam, as they should', () => {
    const l2 = run({ ...BASE, optimizer: 'adam', weightDecay: 0.5 }, p0, grads).flat();
    const decoupled = run({ ...BASE, optimizer: 'adamw', weightDecay: 0.5 }, p0, grads).flat();
    expect(Math.max(...l2.map((x, i) => Math.abs(x - decoupled[i])))).toBeGreaterThan(1e-3);
  });

  it('clips only above the threshold', () => {
    // Global norm of [3, 4] is 5: a threshold of 10 leaves the step at lr·g.
    const got = run({ optimizer: 'sgd', learningRate: 1, clipGradNorm: 10 }, [[0, 0]], [[[3, 4]]]);
    expect(got[0]).toEqual([-3, -4]);
  });

  it('refuses bad settings by name', () => {
    expect(() => new Optimizer({ learningRate: -1 })).toThrow(
      /options.learningRate must be a positive number/,
    );
    expect(() => new Optimizer({ optimizer: 'rmsprop' as never })).toThrow(
      /unknown optimizer "rmsprop"/,
    );
    expect(() => new Optimizer({ optimizer: 'adam', momentum: 0.9 })).toThrow(
      /momentum applies to "sgd"/,
    );
    expect(() => new Optimizer({ optimizer: 'sgd', nesterov: true })).toThrow(/nesterov needs/);
    expect(() => new Optimizer({ clipGradNorm: 0 })).toThrow(/clipGradNorm/);
  });
});
