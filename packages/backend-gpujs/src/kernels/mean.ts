// torch.mean(x, dim, keepdim): one thread per output element loops over the R reduced elements,
// decomposing the loop counter into the reduced coordinates. With lengths (§6.3, dim 1 only):
// out[b, ...] = Σ_{t < L_b} x[b, t, ...] / L_b, the loop running over all T steps and adding
// only the valid ones (loops have literal bounds, see plan.ts's loopsOf).
import { meanAxes, splitLengths, strides } from '@tessera/spec';
import { coords, lit, names, offset } from './source.js';
import type { KernelContext, OpKernel, Value } from './types.js';

export const mean: OpKernel<'mean'> = (node, ins, ctx) => {
  const {
    inputs: [x],
    lengths,
  } = splitLengths(node, ins);
  if (lengths !== undefined) return validMean(ctx, x, lengths, node.keepdim);
  const axes = meanAxes(node.dim, x.shape.length);
  const st = strides(x.shape);
  const kept = x.shape.map((_, j) => j).filter((j) => !axes.includes(j));
  const keptShape = kept.map((j) => x.shape[j]);
  const reducedShape = axes.map((j) => x.shape[j]);
  const total = reducedShape.reduce((p, d) => p * d, 1);
  const outShape = node.keepdim ? x.shape.map((d, j) => (axes.includes(j) ? 1 : d)) : keptShape;
  const body = `${coords('c', 'i', keptShape)}
const base = ${offset(
    names('c', kept.length),
    kept.map((j) => st[j]),
  )};
let s = 0;
for (let k = 0; k < ${lit(total)}; k++) {
${coords('r', 'k', reducedShape)}
s += a0[base + ${offset(
    names('r', axes.length),
    axes.map((j) => st[j]),
  )}];
}
return s / ${lit(total)};`;
  return ctx.run(outShape, [x], body);
};

/** The mean over dim 1's first lengths[b] steps of x [B, T, ...]; a1 holds the lengths. */
function validMean(ctx: KernelContext, x: Value, lengths: Value, keepdim: boolean): Value {
  const [batch, time, ...rest] = x.shape;
  const inner = rest.reduce((p, d) => p * d, 1);
  const body = `const b = Math.floor(i / ${lit(inner)});
const j = i - b * ${lit(inner)};
const valid = a1[b];
let s = 0;
for (let t = 0; t < ${lit(time)}; t++) {
if (t < valid) {
s += a0[(b * ${lit(time)} + t) * ${lit(inner)} + j];
}
}
return s / valid;`;
  return ctx.run(keepdim ? [batch, 1, ...rest] : [batch, ...rest], [x, lengths], body);
}
