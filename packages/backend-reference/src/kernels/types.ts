// The contract of a reference kernel: attributes from the parsed node, float64 inputs in the order
// of node.input, weights looked up by their PyTorch names under the node id.
import type { NodeOf, OpName } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';

/** A node's main output, plus its extra outputs (`h_n`, `c_n`) for the recurrences. */
export type KernelResult = F64Tensor | { out: F64Tensor; ports: Record<string, F64Tensor> };

export interface KernelContext {
  /** The weight `<nodeId>.<name>`; it exists because compile ran checkWeights. */
  weight(nodeId: string, name: string): F64Tensor;
  /** The weight if the manifest has it (biases switched off by `bias: false` do not). */
  optionalWeight(nodeId: string, name: string): F64Tensor | undefined;
  /** Receives each attention node's softmax weights [batch, heads, tq, tk]. */
  observeAttention?: (nodeId: string, probs: F64Tensor) => void;
}

export type Kernel<O extends OpName> = (
  node: NodeOf<O>,
  inputs: F64Tensor[],
  ctx: KernelContext,
) => KernelResult;

/** The kernel table: one entry per op, so a missing kernel is a type error. */
export type KernelTable = { [O in OpName]: Kernel<O> };
