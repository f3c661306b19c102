// What an op kernel sees: its node, its input values and a context that records runs of
// generated gpu.js kernels into a plan (built once per bound shape, then replayed).
import type { NodeOf, OpName } from '@tessera/spec';

/**
 * A tensor of the plan: its shape and the slot its flat row-major data will occupy when the plan
 * runs (a Float32Array on cpu and webasm, a gpu.js Texture or buffer handle on GL and WebGPU).
 * Int32 tensors travel as float32, exact below 2^24.
 */
export interface Value {
  shape: number[];
  slot: number;
}

/** An argument of a generated kernel, bound to a0, a1, ... in order. */
export type Arg = Value | Float32Array | number;

export interface KernelContext {
  /** A weight of the current node by its name under the node id (`weight`, `weight_ih_l0`). */
  weight(name: string): Float32Array;
  /** Whether the current node has this weight (optional biases). */
  hasWeight(name: string): boolean;
  /**
   * Adds to the plan a run of the generated kernel `body` (see kernelFunction: `i` is the flat
   * output index, the arguments are a0, a1, ...) over an output of `shape`. Kernels are built
   * once per source and argument sizes.
   */
  run(shape: number[], args: Arg[], body: string): Value;
}

export type Outputs = Value | { out: Value; ports: Record<string, Value> };

export type OpKernel<O extends OpName> = (
  node: NodeOf<O>,
  inputs: Value[],
  ctx: KernelContext,
) => Outputs;

/** The registry: a kernel for every op, or the reason it has none. */
export type KernelTable = {
  [O in OpName]:
    | ((node: NodeOf<O>, inputs: Value[], ctx: KernelContext) => Outputs)
    | { unsupported: string };
};

/** A value with a new shape and the same flat data (reshape, flatten, dropout). */
export function view(v: Value, shape: number[]): Value {
  return { shape, slot: v.slot };
}
