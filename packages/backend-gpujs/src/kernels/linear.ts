// nn.Linear: y[r, o] = Σ_k x[r, k] · W[o, k] + b[o], one output element per thread; `dot` is the
// product loop matmul shares.
import { lit } from './source.js';
import type { Arg, KernelContext, Num, OpKernel, Value } from './types.js';

/** Where a product operand's k-th element is: `a0[xb + k·step]` or `a1[wb + k·step]`. */
interface Operand {
  base: 'xb' | 'wb';
  step: number;
}

/**
 * Source of the loop Σ_{k < size} a0[xb + k·x.step] · a1[wb + k·w.step] (xb and wb declared by
 * the caller), and the expression of its sum. Four partial sums when size allows: independent
 * additions the JIT and wasm can overlap (about 20% faster on cpu and webasm, measured on a
 * 1024×256×1024 product).
 */
export function dot(
  size: number,
  x: Operand,
  w: Operand,
  n: Num = lit,
): { loop: string; sum: string } {
  // One lane where sizes are arguments: size % 4 may change from run to run.
  const lanes = size % 4 === 0 && n.dynamic !== true ? 4 : 1;
  const sums = Array.from({ length: lanes }, (_, l) => `s${l}`);
  const at = ({ base, step }: Operand, l: number) => {
    const k = step === 1 ? 'k' : `k * ${n(step)}`;
    return `${base} + ${k}${l === 0 ? '' : ` + ${n(l * step)}`}`;
  };
  const loop = `${sums.map((v) => `let ${v} = 0;`).join('\n')}
for (let k = 0; k < ${n(size)}; k += ${lit(lanes)}) {
${sums.map((v, l) => `${v} += a0[${at(x, l)}] * a1[${at(w, l)}];`).join('\n')}
}`;
  return { loop, sum: lanes === 4 ? '(s0 + s1) + (s2 + s3)' : 's0' };
}

/** x [..., inF] times Wᵀ (W [outF, inF], row-major) plus an optional bias [outF]. */
export function affine(
  ctx: KernelContext,
  x: Value,
  w: Float32Array,
  b: Float32Array | null,
  inF: number,
  outF: number,
): Value {
  const args: Arg[] = b === null ? [x, w] : [x, w, b];
  const { loop, sum } = dot(inF, { base: 'xb', step: 1 }, { base: 'wb', step: 1 });
  const body = `const row = Math.floor(i / ${lit(outF)});
const o = i - row * ${lit(outF)};
const xb = row * ${lit(inF)};
const wb = o * ${lit(inF)};
${loop}
return ${sum}${b === null ? '' : ' + a2[o]'};`;
  return ctx.run([...x.shape.slice(0, -1), outF], args, body);
}

export const linear: OpKernel<'linear'> = (node, [x], ctx) =>
  affine(
    ctx,
    x,
    ctx.weight('weight'),
    node.bias ? ctx.weight('bias') : null,
    node.inFeatures,
    node.outFeatures,
  );
