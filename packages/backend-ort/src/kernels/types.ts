// The contract between the compiler and the per-op emitters.
import type { DecomposedNode, NodeOf, NodeSpec, OpName, Tensor, TensorInfo } from '@tessera/spec';
import type { GraphBuilder } from '../graph-builder.js';

/** How multi-head attention is lowered (see README.md for the measurements behind the default). */
export type AttentionPath = 'matmul' | 'ms-attention' | 'ms-mha' | 'onnx-attention';

export const attentionPaths: readonly AttentionPath[] = [
  'matmul',
  'ms-attention',
  'ms-mha',
  'onnx-attention',
];

export interface EmitOptions {
  opset: number;
  attention: AttentionPath;
}

/** Generic over the node type (not the op name) so that a family's emitter fits each member. */
export interface EmitContext<N extends NodeSpec = NodeSpec> {
  b: GraphBuilder;
  node: N;
  /** The node id, sanitised: a prefix for every name this node creates. */
  hint: string;
  /** ONNX value names of the node's inputs, in order. */
  inputs: string[];
  /** Dtype and (possibly symbolic) shape of each input. */
  inShapes: TensorInfo[];
  /** Dtype and shape of the node's main output. */
  out: TensorInfo;
  /** The extra outputs (`h_n`, `c_n`) something reads, so the others are not computed. */
  usedPorts: ReadonlySet<string>;
  /** The weight `<node id>.<name>` (already checked against the manifest). */
  weight(name: string): Tensor;
  options: EmitOptions;
  /** Emits the spec's own decomposition of this (composite) node and returns its output. */
  emitDecomposition(): string;
  /**
   * Emits one sub-node (id `<node id>.<submodule>`, inputs naming outer references or earlier
   * sub-nodes) with its own op's emitter; returns its ONNX output name.
   */
  emitSubNode(sub: DecomposedNode): string;
  /** The ONNX name of a reference emitted so far (`value(node.input[0])`, a sub-node id). */
  value(ref: string): string;
  /** Registers a value this emitter made itself as sub-node `ref`, so sub-nodes can read it. */
  bind(ref: string, name: string, info: TensorInfo): void;
}

/** The ONNX name of the node's output, plus its extra outputs (`h_n`, `c_n`) by port. */
export type Emitted = string | { out: string; ports: Record<string, string> };

export type EmitterFor<N extends NodeSpec> = (ctx: EmitContext<N>) => Emitted;

/** An op's emitter (a family's emitter, over the union of its members' nodes, fits each one). */
export type Emitter<O extends OpName> = EmitterFor<NodeOf<O>>;

export interface Unsupported {
  unsupported: string;
}

export type Kernel<O extends OpName> = EmitterFor<NodeOf<O>> | Unsupported;

export type KernelTable = { [O in OpName]: Kernel<O> };

/** True when every dim is a number. */
export function isStatic(shape: (number | string)[]): shape is number[] {
  return shape.every((d) => typeof d === 'number');
}
