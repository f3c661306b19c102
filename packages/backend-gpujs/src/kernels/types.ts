// What an op kernel sees: its node, its input values and a context that records runs of
// generated gpu.js kernels into a plan (built once per bound shape, then replayed).
import type { KernelEntry, LoweredNode, NodeSpec, OpName } from '@tessera/spec';

/**
 * A tensor of the plan: its shape and the slot its flat row-major data will occupy when the plan
 * runs (a Float32Array on cpu and webasm, a gpu.js Texture or buffer handle on GL and WebGPU).
 * Int32 tensors travel as float32, exact below 2^24.
 */
export interface Value {
  shape: number[];
  slot: number;
}

/**
 * An argument the plan computes on the host at every run from a model input (a decoder's
 * position): a table that depends on it (rope's angles), never baked into kernel source, so one
 * kernel serves every position. `make` reads the input's values and returns `length` values.
 */
export interface RunTimeArg {
  from: Value;
  length: number;
  make: (input: Float32Array) => Float32Array;
}

/** An argument of a generated kernel, bound to a0, a1, ... in order. */
export type Arg = Value | Float32Array | number | RunTimeArg;

/**
 * Formats a shape number in kernel source: `lit` (a literal), or in a kernel whose shapes change
 * from run to run (`dynamic`, a decoder's cache positions) a further number argument, so the
 * source, and the compiled kernel, stay the same whatever the sizes.
 */
export interface Num {
  (n: number): string;
  readonly dynamic?: boolean;
}

/** Kernel source: text, or text built over shape numbers that the context formats (see Num). */
export type Body = string | ((n: Num) => string);

export interface KernelContext {
  /**
   * A parameter of the current node (`weight`, `weight_ih_l0`), found under its full name
   * `weightName(node, param)`: a lowered sub-node may read a weight not named `<id>.<param>`.
   */
  weight(param: string): Float32Array;
  /** Whether the current node has this parameter (optional biases). */
  hasWeight(param: string): boolean;
  /**
   * −∞ as an argument value (never as source text), where the mode's arithmetic is IEEE 754 (cpu:
   * JavaScript, webasm: WebAssembly f32); −3e38 on webgl2 and webgpu, where GLSL ES and WGSL
   * promise no infinities. e^(−3e38 − m) still underflows to exactly 0 for any score m < 4e37.
   */
  readonly minusInfinity: number;
  /**
   * Whether the node's shapes change between runs of one plan's kernels (a decoder step's cache
   * grows by a position each step): a Body function then gets its shape numbers as arguments.
   */
  readonly dynamic: boolean;
  /**
   * Adds to the plan a run of the generated kernel `body` (see kernelFunction: `i` is the flat
   * output index, the arguments are a0, a1, ...) over an output of `shape`. Kernels are built
   * once per source and argument sizes; a dynamic node's Body function once per source.
   */
  run(shape: number[], args: Arg[], body: Body): Value;
}

export type Outputs = Value | { out: Value; ports: Record<string, Value> };

/**
 * Each op's node by op name. An indexed access, not NodeOf's Extract: through Extract tsc takes
 * OpKernel<O> to be covariant in O and refuses a family kernel (OpKernel<'add' | 'mul'>) as the
 * table's add; an indexed access is compared structurally, so the family kernel fits both.
 */
type NodeByOp = { [N in NodeSpec as N['op']]: N };

/** What a kernel sees: a parsed node or a sub-node of a decomposition (which may carry `weights`). */
export type KernelNode<O extends OpName> = NodeByOp[O] & { weights?: LoweredNode['weights'] };

export type OpKernel<O extends OpName> = (
  node: KernelNode<O>,
  inputs: Value[],
  ctx: KernelContext,
) => Outputs;

/**
 * The registry: for every op a kernel, `unsupported(reason)`, or (composites only) 'decompose',
 * which the compiler's `lowerSpec` replaces by the op's decomposition. A missing entry is a type
 * error (kernel-table.test-d.ts checks that it stays one).
 */
export type KernelTable = { [O in OpName]: KernelEntry<O, OpKernel<O>> };

/** A value with a new shape and the same flat data (reshape, flatten, dropout). */
export function view(v: Value, shape: number[]): Value {
  return { shape, slot: v.slot };
}
