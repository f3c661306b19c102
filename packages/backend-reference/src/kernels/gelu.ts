// gelu, approximate "none": x·Φ(x) = 0.5·x·erfc(-x/√2) (= 0.5x(1 + erf(x/√2)), but erfc keeps its
// relative precision for very negative x);
// approximate "tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
import { erfc } from '../math/erf.js';
import { unaryKernel } from './unary.js';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function geluErf(v: number): number {
  return 0.5 * v * erfc(-v * SQRT1_2);
}

export function geluTanh(v: number): number {
  return 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
}

export const gelu = unaryKernel<'gelu'>((node) =>
  node.approximate === 'tanh' ? geluTanh : geluErf,
);
