// The contract of a reference kernel: attributes from the (lowered) node, float64 inputs in the
// order of node.input, weights looked up by their PyTorch names through the spec's weightName.
import type { KernelEntry, LoweredNode, NodeOf, OpName } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';

/** A node's main output, plus its extra outputs (`h_n`, `c_n`) for the recurrences. */
export type KernelResult = F64Tensor | { out: F64Tensor; ports: Record<string, F64Tensor> };

/** What a weight lookup needs of a node: its id and, for a lowered sub-node, its weight names. */
export interface WeightOwner {
  id: string;
  weights?: LoweredNode['weights'];
}

export interface KernelContext {
  /** The node's parameter `param`, named `weightName(node, param)`; checkWeights made sure it exists. */
  weight(node: WeightOwner, param: string): F64Tensor;
  /** The parameter if the manifest has it (biases switched off by `bias: false` do not). */
  optionalWeight(node: WeightOwner, param: string): F64Tensor | undefined;
}

/** A kernel sees a parsed node or a sub-node of a decomposition (which may carry `weights`). */
export type Kernel<O extends OpName> = (
  node: NodeOf<O> & { weights?: LoweredNode['weights'] },
  inputs: F64Tensor[],
  ctx: KernelContext,
) => KernelResult;

/**
 * The kernel table: one entry per op, a kernel or 'decompose' (composites only), so a missing
 * entry is a type error (kernel-table.test-d.ts checks that it stays one).
 */
export type KernelTable = { [O in OpName]: KernelEntry<O, Kernel<O>> };
