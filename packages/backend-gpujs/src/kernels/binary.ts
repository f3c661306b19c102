// add and mul with NumPy broadcasting: each output coordinate maps to an input offset through
// strides that are 0 where the input's dim is 1 (or missing).
import { broadcastShapes, strides } from '@tessera/spec';
import { coords, names, offset } from './source.js';
import type { OpKernel } from './types.js';

const operators = { add: '+', mul: '*' } as const;

/** Strides of `shape` laid against a broadcast output `out` (0 on stretched or missing dims). */
export function broadcastStrides(shape: number[], out: number[]): number[] {
  const st = strides(shape);
  return out.map((_, j) => {
    const k = j - (out.length - shape.length);
    return k < 0 || shape[k] === 1 ? 0 : st[k];
  });
}

export function binaryKernel(name: 'add' | 'mul'): OpKernel<'add' | 'mul'> {
  return (_node, [x, y], ctx) => {
    const out = broadcastShapes(x.shape, y.shape) as number[];
    const same = x.shape.length === y.shape.length && x.shape.every((d, j) => d === y.shape[j]);
    if (same) return ctx.run(out, [x, y], `return a0[i] ${operators[name]} a1[i];`);
    const c = names('c', out.length);
    const body = `${coords('c', 'i', out)}
return a0[${offset(c, broadcastStrides(x.shape, out))}] ${operators[name]} a1[${offset(c, broadcastStrides(y.shape, out))}];`;
    return ctx.run(out, [x, y], body);
  };
}
