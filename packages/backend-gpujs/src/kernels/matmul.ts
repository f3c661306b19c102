// torch.matmul on operands of rank ≥ 2: out[..., r, o] = Σ_k a[..., r, k] · b[..., k, o], the
// batch dims broadcast (stride 0 where an operand's dim is 1 or missing). The loop is linear's
// `dot`; b is read down a column, k·m apart.
import { broadcastShapes } from '@tessera/spec';
import { broadcastStrides } from './binary.js';
import { dot } from './linear.js';
import { coords, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const matmul: OpKernel<'matmul'> = (_node, [a, b], ctx) => {
  const [n, k] = a.shape.slice(-2);
  const m = b.shape[b.shape.length - 1];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)) as number[];
  const out = [...batch, n, m];
  const batchOf = (shape: number[], size: number) =>
    broadcastStrides(shape.slice(0, -2), batch).map((s) => s * size);
  const c = names('c', out.length);
  // Shape numbers through num: attention's scores and context over a decoder's growing cache.
  return ctx.run(out, [a, b], (num) => {
    const { loop, sum } = dot(k, { base: 'xb', step: 1 }, { base: 'wb', step: m }, num);
    return `${coords('c', 'i', out, num)}
const xb = ${offset(c, [...batchOf(a.shape, n * k), k, 0], num)};
const wb = ${offset(c, [...batchOf(b.shape, k * m), 0, 1], num)};
${loop}
return ${sum};`;
  });
};
