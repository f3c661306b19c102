// x + P[offset : offset + T] over [B, T, D], offset 0 unless a second input (a decoder's
// position, int32 [1]) gives it. P is the learned weight, or the sinusoidal table
// P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)), computed once in float64.
// With an offset, the rows P[offset : offset + T] are a run-time argument cut from P at every
// run, so the kernel (and its source) is the same at every position.
import { InputError } from '@tessera/spec';
import { lit } from './source.js';
import type { Arg, OpKernel } from './types.js';

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

export const positionalEmbedding: OpKernel<'positionalEmbedding'> = (node, [x, offset], ctx) => {
  const [, t, d] = x.shape;
  if (t > node.maxLength)
    throw new InputError(`has ${t} steps, more than maxLength ${node.maxLength}`, node.id);
  let table: Float32Array;
  if (node.kind === 'learned') table = ctx.weight('weight');
  else {
    table = tables.get(node) ?? sinusoidTable(node.maxLength, d);
    tables.set(node, table);
  }
  let rows: Arg = table;
  if (offset !== undefined) {
    rows = {
      from: offset,
      length: t * d,
      make: (input) => {
        const first = input[0];
        if (!(Number.isInteger(first) && first >= 0 && first + t <= node.maxLength))
          throw new InputError(
            `is ${first}: ${t} step${t === 1 ? '' : 's'} from there go past positional embedding ${JSON.stringify(node.id)}'s maxLength ${node.maxLength}`,
            node.input[1],
          );
        return table.subarray(first * d, (first + t) * d);
      },
    };
  }
  // Rows 0..T-1 of the rows given are contiguous, so element i reads row data i mod (T·D).
  return ctx.run(x.shape, [x, rows], `return a0[i] + a1[i % ${lit(t * d)}];`);
};
