// The contract of a tfjs kernel. A kernel has two halves:
// - `prepare` runs once per model (or once per training step, inside tf.variableGrads): it turns
//   the node's PyTorch-layout weights into the layout `apply` reads (transposed linear kernels,
//   HWIO conv filters, re-sliced gates). Only differentiable tf ops, so gradients reach the
//   PyTorch-layout tensors.
// - `apply` is the forward pass of one node on tf tensors; it runs inside the caller's tf.tidy.
// Kernels see lowered nodes (the spec's lowerSpec ran first), never a node whose entry is
// 'decompose'.
import type * as tf from '@tensorflow/tfjs';
import type { KernelEntry, NodeOf, OpName } from '@tessera/spec';
import type { Value } from './value.js';

/** An activation a producer applies for the node that reads it (see interpret.ts's planFusion). */
export type Activation = 'relu';

/** A node's main output (a tensor in PyTorch layout, or a Value that may be channels-last), plus
 *  its extra outputs (`h_n`, `c_n`) for the recurrences. */
export type KernelResult = tf.Tensor | Value | { out: tf.Tensor; ports: Record<string, tf.Tensor> };

/**
 * Reads the weights of one node by parameter name. In `prepare`, `get('weight')` is the
 * PyTorch-layout tensor `weightName(node, 'weight')` (usually `<nodeId>.weight`; the attention's
 * in-projection sub-node reads `<id>.in_proj_weight`); in `apply`, what `prepare` returned.
 */
export interface WeightReader {
  get(name: string): tf.Tensor;
  /** Undefined when the manifest does not have it (a bias switched off by `bias: false`). */
  optional(name: string): tf.Tensor | undefined;
}

/** A kernel for nodes of type N (methods, so a family's kernel fits each member op). */
export interface NodeKernel<N> {
  /** PyTorch-layout weights → prepared tensors, by names under the node id. Left out: the node's
   *  weights pass through unchanged. */
  prepare?(node: N, weights: WeightReader): Record<string, tf.Tensor>;
  /** `weights` reads what prepare returned (or the raw weights when there is no prepare).
   *  `activation` asks the kernel to apply it to its output (a relu fused into a tfjs fused op);
   *  only kernels listed in interpret.ts's `fusible` get one. */
  apply(node: N, inputs: Value[], weights: WeightReader, activation?: Activation): KernelResult;
}

export type Kernel<O extends OpName> = NodeKernel<NodeOf<O>>;

/**
 * The kernel table: for every op a kernel, `unsupported(reason)`, or (composites only)
 * 'decompose', which lowerSpec replaces by the op's decomposition before the node loop. A missing
 * entry is a type error (kernel-table.test-d.ts checks that it stays one).
 */
export type KernelTable = { [O in OpName]: KernelEntry<O, Kernel<O>> };
