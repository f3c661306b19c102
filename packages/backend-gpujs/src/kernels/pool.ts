// Max and average pools (1d, 2d) over [N, C, ...spatial] with PyTorch's rules. A window starts at
// o·stride - padding; max ignores padded taps (PyTorch pads with -inf); average divides by the taps
// inside input+padding (countIncludePad, window clipped to L + padding) or inside the input only.
// Max starts from the window's first tap inside the input (every window has one: padding is at
// most half the kernel), not from MINUS_HUGE, so a window of −∞ is −∞; Math.max keeps NaN
// (JavaScript's and wasm's f32.max both propagate it, as PyTorch's max pools do).
import { poolGeometry } from '@tessera/spec';
import { coords, lit, MINUS_HUGE } from './source.js';
import type { OpKernel } from './types.js';

type PoolName = 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';

/** PyTorch's pooling output size, including the ceil-mode rule for the last window. */
function outputSize(l: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = l + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= l + p) out -= 1;
  return out;
}

export function poolKernel(dims: 1 | 2, kind: 'max' | 'avg'): OpKernel<PoolName> {
  return (node, [x], ctx) => {
    const g = poolGeometry(node as Parameters<typeof poolGeometry>[0], dims);
    const [batch, channels, ...size] = x.shape;
    const outSize = size.map((l, j) =>
      outputSize(l, g.kernel[j], g.stride[j], g.padding[j], g.dilation[j], node.ceilMode),
    );
    const out = [batch, channels, ...outSize];
    let at = 'plane';
    const loops: string[] = [];
    const inside: string[] = [];
    const padded: string[] = [];
    for (let j = 0; j < dims; j++) {
      loops.push(`for (let k${j} = 0; k${j} < ${lit(g.kernel[j])}; k${j}++) {
const p${j} = c${j + 2} * ${lit(g.stride[j])} - ${lit(g.padding[j])} + k${j} * ${lit(g.dilation[j])};`);
      inside.push(`p${j} >= 0 && p${j} < ${lit(size[j])}`);
      padded.push(`p${j} < ${lit(size[j] + g.padding[j])}`);
      at = `(${at}) * ${lit(size[j])} + p${j}`;
    }
    const countIncludePad =
      kind === 'avg' && (node as { countIncludePad?: boolean }).countIncludePad === true;
    const fold =
      kind === 'max'
        ? // max(v, v) is v, NaN included: the first tap sets s, then every tap folds in.
          `if (${inside.join(' && ')}) {\nif (real === 0) {\ns = a0[${at}];\n}\ns = Math.max(s, a0[${at}]);\nreal += 1;\n}`
        : `if (${inside.join(' && ')}) {\ns += a0[${at}];\nreal += 1;\n}\nif (${padded.join(' && ')}) {\nwithPad += 1;\n}`;
    const result =
      kind === 'max'
        ? // A window with no tap inside the input (dilated taps over the padding) is PyTorch's −∞.
          `if (real === 0) {\nreturn ${MINUS_HUGE};\n}\nreturn s;`
        : `return s / ${countIncludePad ? 'withPad' : 'real'};`;
    const body = `${coords('c', 'i', out)}
const plane = c0 * ${lit(channels)} + c1;
let s = 0;
let real = 0;
let withPad = 0;
${loops.join('\n')}
${fold}
${'}\n'.repeat(dims)}${result}`;
    return ctx.run(out, [x], body);
  };
}
