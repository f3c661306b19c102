// Building blocks of generated kernel source. This file is the security boundary: source text is
// made only of the fixed fragments written here and in the kernel files, identifiers this
// compiler chooses (a0, a1, ... for arguments, c0, c1, ... for coordinates), and numbers that
// `lit` formats after checking they are finite. No string from a spec ever reaches it.
import { strides } from '@tessera/spec';
import type { Num } from './types.js';

/** A finite number as a source literal. Anything else is a compiler bug and throws. */
export function lit(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new TypeError(`kernel literal must be a finite number, got ${String(n)}`);
  // Integers print exactly; other values print with 9 significant digits, enough to round-trip float32.
  const text = Number.isInteger(n) ? String(n) : n.toPrecision(9);
  if (!/^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/.test(text))
    throw new TypeError(`kernel literal ${text} is malformed`);
  return text;
}

/**
 * Declares the coordinates of flat index `index` in a row-major `shape` as `const <p>0 = ...;`
 * lines, coordinate j = floor(index / stride_j) % shape_j (the modulo dropped on the first dim).
 */
export function coords(
  prefix: 'c' | 'q' | 'r',
  index: string,
  shape: readonly number[],
  n: Num = lit,
): string {
  const st = strides(shape);
  return shape
    .map((d, j) => {
      const div = st[j] === 1 ? index : `Math.floor(${index} / ${n(st[j])})`;
      const expr = j === 0 ? div : d === 1 ? '0' : `${div} % ${n(d)}`;
      return `const ${prefix}${j} = ${expr};`;
    })
    .join('\n');
}

/** Σ_j name_j · stride_j, skipping zero strides: the flat offset of coordinates in a layout. */
export function offset(names: readonly string[], st: readonly number[], n: Num = lit): string {
  const terms = names.flatMap((name, j) =>
    st[j] === 0 ? [] : [st[j] === 1 ? name : `${name} * ${n(st[j])}`],
  );
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/** Names c0..c{n-1} (or another prefix). */
export function names(prefix: 'c' | 'q' | 'r', n: number): string[] {
  return Array.from({ length: n }, (_, j) => `${prefix}${j}`);
}

/** A comment-free kernel function over arguments a0..a{n-1}, with `i` the flat output index. */
export function kernelFunction(argCount: number, body: string): string {
  const args = Array.from({ length: argCount }, (_, k) => `a${k}`).join(', ');
  return `function(${args}) {\nconst i = this.thread.x;\n${body}\n}`;
}

/** Splits a shape around `axis` into [outer, size, inner] element counts. */
export function around(shape: readonly number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  return [outer, shape[axis], inner];
}

/**
 * Stands in for -∞ where a mode has no infinities (masked scores, max identity): e^(-3e38 - m)
 * underflows to exactly 0 for any m < 4e37 (beyond that, -3e38 - m leaves float32's range).
 */
export const MINUS_HUGE_VALUE = -3e38;
export const MINUS_HUGE = lit(MINUS_HUGE_VALUE);

/**
 * Most array arguments (weights and tensors) one kernel may take. WebGPU binds each as a storage
 * buffer, plus one for the output, and a device gets maxStorageBuffersPerShaderStage = 8 unless
 * it asks for more (gpu.js requests its device without that limit). WebGL2 binds each as a
 * texture on units 0, 1, ..., and gpu.js creates and copies textures through unit 15
 * (gl/texture's selectTexture), which rebinds a 16th argument's unit: measured on SwiftShader,
 * concatenating 15 inputs passes and 16 gives zeros.
 */
export const MAX_ARRAY_ARGS = 7;
