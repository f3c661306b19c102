// Small specs and datasets shared by the training tests (not exported by the package).
import { parseSpec, Rng, type Tensor, tensor } from '@tessera/spec';

/** linear(2 → 8), tanh, linear(8 → classes): the smallest model with a hidden layer. */
export function mlp(inFeatures = 2, hidden = 8, classes = 3) {
  return parseSpec({
    format: 'tessera.model/v1',
    name: 'mlp',
    inputs: { x: { dtype: 'float32', shape: ['batch', inFeatures] } },
    outputs: { logits: 'l2' },
    nodes: [
      { id: 'l1', op: 'linear', inFeatures, outFeatures: hidden },
      { id: 'act', op: 'tanh' },
      { id: 'l2', op: 'linear', inFeatures: hidden, outFeatures: classes },
    ],
  });
}

/**
 * `n` points in 2-D around `classes` centres on a circle of radius 3, spread ±0.5: linearly
 * separable, labelled by their centre.
 */
export function clusters(
  n: number,
  classes: number,
  seed: number,
): { inputs: { x: Tensor }; targets: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    const angle = (2 * Math.PI * c) / classes;
    x[2 * i] = 3 * Math.cos(angle) + rng.range(-0.5, 0.5);
    x[2 * i + 1] = 3 * Math.sin(angle) + rng.range(-0.5, 0.5);
    y[i] = c;
  }
  return { inputs: { x: tensor('float32', [n, 2], x) }, targets: tensor('int32', [n], y) };
}

export function randomFloats(rng: Rng, shape: number[], scale = 1): Tensor {
  const t = tensor('float32', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.range(-scale, scale);
  return t;
}

export function randomInts(rng: Rng, shape: number[], lo: number, hi: number): Tensor {
  const t = tensor('int32', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.int(lo, hi);
  return t;
}
