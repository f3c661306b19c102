// torch.cat(inputs, dim): the coordinate along `dim` picks the input; longer lists than a kernel
// may bind (MAX_ARRAY_ARGS, see source.ts) are joined in groups, then the groups joined.
import { strides } from '@tessera/spec';
import { coords, MAX_ARRAY_ARGS, names, offset } from './source.js';
import type { KernelContext, OpKernel, Value } from './types.js';

const GROUP = MAX_ARRAY_ARGS;

export function concatAlong(ctx: KernelContext, inputs: Value[], axis: number): Value {
  if (inputs.length === 1) return inputs[0];
  if (inputs.length > GROUP) {
    const groups: Value[] = [];
    for (let k = 0; k < inputs.length; k += GROUP)
      groups.push(concatAlong(ctx, inputs.slice(k, k + GROUP), axis));
    return concatAlong(ctx, groups, axis);
  }
  const out = [...inputs[0].shape];
  out[axis] = inputs.reduce((p, v) => p + v.shape[axis], 0);
  const c = names('c', out.length);
  // Shape numbers through n: a decoder's cache (past + new positions) grows every step.
  return ctx.run(out, inputs, (n) => {
    let start = 0;
    const branches = inputs.map((v, k) => {
      const st = strides(v.shape);
      const at = c.map((name, j) => (j === axis ? `(${name} - ${n(start)})` : name));
      start += v.shape[axis];
      const read = `return a${k}[${offset(at, st, n)}];`;
      return k === inputs.length - 1 ? read : `if (c${axis} < ${n(start)}) {\n${read}\n}`;
    });
    return `${coords('c', 'i', out, n)}\n${branches.join('\n')}`;
  });
}

export const concat: OpKernel<'concat'> = (node, inputs, ctx) => {
  const r = inputs[0].shape.length;
  return concatAlong(ctx, inputs, node.dim < 0 ? node.dim + r : node.dim);
};
