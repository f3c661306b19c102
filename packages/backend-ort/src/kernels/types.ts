// The contract between the compiler and the per-op emitters.
import type { KernelEntry, NodeOf, NodeSpec, OpName, Tensor, TensorInfo } from '@tessera/spec';
import type { GraphBuilder } from '../graph-builder.js';

/** How multi-head attention is lowered (see README.md for the measurements behind the default). */
export const attentionPaths = ['matmul', 'ms-attention', 'ms-mha', 'onnx-attention'] as const;
/** One of attentionPaths: `matmul`, `ms-attention`, `ms-mha` or `onnx-attention`. */
export type AttentionPath = (typeof attentionPaths)[number];

/**
 * Which operators a graph may use: 'portable', the default ONNX domain only (any ONNX tool);
 * 'ort', ONNX Runtime's contrib operators too (com.microsoft, and SimplifiedLayerNormalization).
 */
export const onnxFlavours = ['portable', 'ort'] as const;
/** One of onnxFlavours: `portable` or `ort`. */
export type OnnxFlavour = (typeof onnxFlavours)[number];

export interface EmitOptions {
  opset: number;
  /** The lowering in force: 'onnx-attention' below opset 23 is emitted as 'matmul'. */
  attention: AttentionPath;
  flavour: OnnxFlavour;
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
  /**
   * The node's parameter `param`: the weight `weightName(node, param)` (`<id>.<param>`, or the
   * composite's weight a lowered sub-node reads), already checked against the manifest.
   */
  weight(param: string): Tensor;
  options: EmitOptions;
}

/** The ONNX name of the node's output, plus its extra outputs (`h_n`, `c_n`) by port. */
export type Emitted = string | { out: string; ports: Record<string, string> };

export type EmitterFor<N extends NodeSpec> = (ctx: EmitContext<N>) => Emitted;

/** An op's emitter (a family's emitter, over the union of its members' nodes, fits each one). */
export type Emitter<O extends OpName> = EmitterFor<NodeOf<O>>;

/**
 * One op's entry: its emitter, `unsupported(reason)`, or (a composite) 'decompose'. Written with
 * EmitterFor, not Emitter<O>: TypeScript would compare two Emitter<O>s by O alone, and a family's
 * emitter (Emitter<'conv1d' | 'conv2d'>) would not fit its members' entries.
 */
export type KernelEntryOf<O extends OpName> = KernelEntry<O, EmitterFor<NodeOf<O>>>;

export type KernelTable = { [O in OpName]: KernelEntryOf<O> };

/** True when every dim is a number. */
export function isStatic(shape: (number | string)[]): shape is number[] {
  return shape.every((d) => typeof d === 'number');
}
