// x + P[:T] over [B, T, D]. P is the learned weight, or the sinusoidal table
// P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)), computed once in float64.
import { InputError } from '@tessera/spec';
import { lit } from './source.js';
import type { OpKernel } from './types.js';

const tables = new WeakMap<object, Float32Array>();

export function sinusoidTable(length: number, d: number): Float32Array {
  const p = new Float32Array(length * d);
  for (let t = 0; t < length; t++) {
    for (let j = 0; j < d; j += 2) {
      const angle = t / 10000 ** (j / d);
      p[t * d + j] = Math.sin(angle);
      if (j + 1 < d) p[t * d + j + 1] = Math.cos(angle);
    }
  }
  return p;
}

export const positionalEmbedding: OpKernel<'positionalEmbedding'> = (node, [x], ctx) => {
  const [, t, d] = x.shape;
  if (t > node.maxLength)
    throw new InputError(`has ${t} steps, more than maxLength ${node.maxLength}`, node.id);
  let table: Float32Array;
  if (node.kind === 'learned') table = ctx.weight('weight');
  else {
    table = tables.get(node) ?? sinusoidTable(node.maxLength, d);
    tables.set(node, table);
  }
  // Rows 0..T-1 of P are contiguous, so the element of P for flat index i is i mod (T·D).
  return ctx.run(x.shape, [x, table], `return a0[i] + a1[i % ${lit(t * d)}];`);
};
