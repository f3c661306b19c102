// Elementwise ops without weights: one kernel per op, `v` the input element. A table from op to
// kernel body, as tinygrad's renderers do.
import { lit } from './source.js';
import { sigmoidLines, tanhLines } from './stable.js';
import type { KernelNode, OpKernel } from './types.js';

type UnaryName = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'silu' | 'scale';

// erf(z) by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7): for z ≥ 0,
// erf(z) = 1 - (a1 t + a2 t² + a3 t³ + a4 t⁴ + a5 t⁵) e^(-z²), t = 1 / (1 + p z), erf(-z) = -erf(z).
const erfGelu = `const z = Math.abs(v) * 0.707106781;
const t = 1 / (1 + 0.3275911 * z);
const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
const e = v >= 0 ? y : -y;
return 0.5 * v * (1 + e);`;

const bodies: { [N in UnaryName]: (node: KernelNode<N>) => string } = {
  // A comparison, not max(v, 0): GLSL's and WGSL's max may return 0 for NaN (SwiftShader's
  // does); NaN < 0 is false, so NaN stays, as torch.relu keeps it.
  relu: () => 'return v < 0 ? 0 : v;',
  // gelu: 0.5x(1 + erf(x/√2)), or 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
  // tanh and σ in overflow-free forms (stable.ts): SwiftShader's built-in tanh gave NaN for tanh(301).
  gelu: (n) =>
    n.approximate === 'tanh'
      ? `${tanhLines('th', '0.797884561 * (v + 0.044715 * v * v * v)')}\nreturn 0.5 * v * (1 + th);`
      : erfGelu,
  tanh: () => `${tanhLines('th', 'v')}\nreturn th;`,
  sigmoid: () => `${sigmoidLines('sg', 'v')}\nreturn sg;`,
  silu: () => `${sigmoidLines('sg', 'v')}\nreturn v * sg;`,
  // The factor is a validated number (|factor| ≤ 1e30), formatted by lit.
  scale: (n) => `return v * ${lit(n.factor)};`,
};

export function unaryKernel<N extends UnaryName>(name: N): OpKernel<N> {
  const body = bodies[name] as (node: KernelNode<N>) => string;
  return (node, [x], ctx) => ctx.run(x.shape, [x], `const v = a0[i];\n${body(node)}`);
}
