// The graph interpreter: lowers a spec through the kernel table (lowerSpec expands every
// composite whose entry is 'decompose'), then runs the lowered nodes in order, each through its
// kernel. Kept out of kernels/, which it imports.
import * as tf from '@tensorflow/tfjs';
import {
  asRuntimeFailure,
  isUnsupported,
  type LoweredNode,
  type LoweredSpec,
  lowerSpec,
  type ModelSpec,
  type OpName,
  opDef,
  UnsupportedOpError,
  weightName,
} from '@tessera/spec';
import { kernels } from './kernels/index.js';
import type { Activation, Kernel, KernelResult, WeightReader } from './kernels/types.js';
import { Value } from './kernels/value.js';

export interface NodeOutputs {
  out: Value;
  ports: Record<string, tf.Tensor>;
}

/**
 * The spec as the interpreter runs it: every composite whose table entry is 'decompose' replaced
 * by its decomposition. Fails with UnsupportedOpError on an op the table refuses.
 */
export function lower(spec: ModelSpec): LoweredSpec {
  const lowered = lowerSpec(spec, kernels);
  for (const node of lowered.nodes) {
    const entry = kernels[node.op];
    if (isUnsupported(entry)) throw new UnsupportedOpError(node.op, entry.unsupported, node.id);
  }
  return lowered;
}

function kernelOf(node: LoweredNode): Kernel<OpName> {
  const entry = kernels[node.op];
  if (entry === 'decompose' || isUnsupported(entry))
    throw new Error(`internal: node ${JSON.stringify(node.id)} (${node.op}) was not lowered`);
  return entry as Kernel<OpName>;
}

export function applyNode(
  node: LoweredNode,
  inputs: Value[],
  weights: WeightReader,
  activation?: Activation,
): NodeOutputs {
  const result: KernelResult = kernelOf(node).apply(node as never, inputs, weights, activation);
  if (result instanceof Value) return { out: result, ports: {} };
  if (result instanceof tf.Tensor) return { out: new Value(result), ports: {} };
  return { out: new Value(result.out), ports: result.ports };
}

/** The node's prepared tensors by name (stored under `<id>.<name>`). A kernel without `prepare`
 *  reads its weights as they are, so they pass through under their parameter names. */
export function prepareNode(node: LoweredNode, weights: WeightReader): Record<string, tf.Tensor> {
  const kernel = kernelOf(node);
  if (kernel.prepare !== undefined) return kernel.prepare(node as never, weights);
  const out: Record<string, tf.Tensor> = {};
  for (const decl of opDef(node.op)?.weights?.(node) ?? []) {
    const t = weights.optional(decl.name);
    if (t !== undefined) out[decl.name] = t;
  }
  return out;
}

/** Reads a node's PyTorch-layout parameters from `map`, each under `weightName(node, param)`,
 *  failing with the full name when one is absent. */
export function paramReader(map: ReadonlyMap<string, tf.Tensor>, node: LoweredNode): WeightReader {
  return {
    get(param) {
      const t = map.get(weightName(node, param));
      if (t === undefined)
        throw new Error(`weight ${JSON.stringify(weightName(node, param))} is missing`);
      return t;
    },
    optional: (param) => map.get(weightName(node, param)),
  };
}

/** Reads `<prefix><name>` from a Map (prepared tensors), failing with the full name. */
export function mapReader(map: ReadonlyMap<string, tf.Tensor>, prefix: string): WeightReader {
  return {
    get(name) {
      const t = map.get(prefix + name);
      if (t === undefined) throw new Error(`weight ${JSON.stringify(prefix + name)} is missing`);
      return t;
    },
    optional: (name) => map.get(prefix + name),
  };
}

/** Ops whose tfjs kernels (fused matMul / conv) can apply a relu to their own output. */
const fusible = new Set<string>(['linear', 'conv1d', 'conv2d']);

/**
 * tfjs backends whose fused relu is not PyTorch's: tfjs-backend-wasm applies it as XNNPACK's
 * output clamp, which gives 0 for a NaN; tfjs-backend-webgl's packed relu is x·(x ≥ 0), NaN at
 * −∞. There every relu runs on its own (kernels/relu.ts).
 */
const fusedReluDiffers = new Set<string>(['wasm', 'webgl']);

/**
 * Which relu nodes fold into the op that feeds them: the feeding node must be fusible and read
 * by nothing else (no other node, no output in `kept`). Returns the activation per producer id
 * and the relu ids that become the identity. Runs on lowered nodes, so a decomposition's
 * linear → relu (a transformer layer's feed-forward) fuses like any other; nothing fuses on a
 * backend in fusedReluDiffers.
 */
export function planFusion(
  nodes: readonly LoweredNode[],
  kept: Iterable<string>,
): { activation: Map<string, Activation>; absorbed: Set<string> } {
  const reads = new Map<string, number>();
  const read = (ref: string) => reads.set(ref, (reads.get(ref) ?? 0) + 1);
  for (const node of nodes) node.input.forEach(read);
  for (const ref of kept) read(ref);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const activation = new Map<string, Activation>();
  const absorbed = new Set<string>();
  // Planned as the nodes run, so the active tfjs backend is the one they run on.
  if (fusedReluDiffers.has(tf.getBackend())) return { activation, absorbed };
  for (const node of nodes) {
    if (node.op !== 'relu') continue;
    const producer = byId.get(node.input[0]);
    if (producer !== undefined && fusible.has(producer.op) && reads.get(producer.id) === 1) {
      activation.set(producer.id, 'relu');
      absorbed.add(node.id);
    }
  }
  return { activation, absorbed };
}

/**
 * Runs `nodes` in order on `values` (refs → values; inputs already set), adding each node's
 * output under its id and extra outputs under `id:port`. `kept` are the refs read afterwards.
 */
export function runNodes(
  nodes: readonly LoweredNode[],
  values: Map<string, Value>,
  weightsOf: (node: LoweredNode) => WeightReader,
  kept: Iterable<string>,
): void {
  const { activation, absorbed } = planFusion(nodes, kept);
  for (const node of nodes) {
    const args = node.input.map((ref) => values.get(ref)!);
    if (absorbed.has(node.id)) {
      values.set(node.id, args[0]); // its producer already applied the relu
      continue;
    }
    let result: NodeOutputs;
    try {
      result = applyNode(node, args, weightsOf(node), activation.get(node.id));
    } catch (e) {
      // The runtime's own failure (tfjs-wasm's `memory access out of bounds` on a tensor too
      // large for its heap, once a caller raised the limits), named by the node.
      throw asRuntimeFailure(e, `tfjs:${tf.getBackend()}`, node.origin ?? node.id);
    }
    const { out, ports } = result;
    values.set(node.id, out);
    for (const [port, t] of Object.entries(ports)) values.set(`${node.id}:${port}`, new Value(t));
  }
}
