// Running one node through the kernel table: shared by forward() and by composite kernels that
// run a decomposition.
import * as tf from '@tensorflow/tfjs';
import { type NodeSpec, type OpName, opDef } from '@tessera/spec';
import { kernels } from './index.js';
import type { Activation, Kernel, KernelResult, WeightReader } from './types.js';
import { Value } from './value.js';

export interface NodeOutputs {
  out: Value;
  ports: Record<string, tf.Tensor>;
}

function kernelOf(op: OpName): Kernel<OpName> {
  return kernels[op] as Kernel<OpName>;
}

export function applyNode(
  node: NodeSpec,
  inputs: Value[],
  weights: WeightReader,
  activation?: Activation,
): NodeOutputs {
  const result: KernelResult = kernelOf(node.op).apply(node as never, inputs, weights, activation);
  if (result instanceof Value) return { out: result, ports: {} };
  if (result instanceof tf.Tensor) return { out: new Value(result), ports: {} };
  return { out: new Value(result.out), ports: result.ports };
}

/** The node's prepared tensors by name under its id. A kernel without `prepare` reads its
 *  weights as they are, so they pass through. */
export function prepareNode(node: NodeSpec, weights: WeightReader): Record<string, tf.Tensor> {
  const kernel = kernelOf(node.op);
  if (kernel.prepare !== undefined) return kernel.prepare(node as never, weights);
  const out: Record<string, tf.Tensor> = {};
  for (const decl of opDef(node.op)?.weights?.(node) ?? []) {
    const t = weights.optional(decl.name);
    if (t !== undefined) out[decl.name] = t;
  }
  return out;
}

/** Reads `<prefix><name>` from a Map, failing with the full name when it is absent. */
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

/** A reader for sub-node `<prefix><sub>` built on a parent reader. */
export function subReader(parent: WeightReader, prefix: string): WeightReader {
  return {
    get: (name) => parent.get(prefix + name),
    optional: (name) => parent.optional(prefix + name),
  };
}

/** Ops whose tfjs kernels (fused matMul / conv) can apply a relu to their own output. */
const fusible = new Set<string>(['linear', 'conv1d', 'conv2d']);

/**
 * Which relu nodes fold into the op that feeds them: the feeding node must be fusible and read
 * by nothing else (no other node, no output in `kept`). Returns the activation per producer id
 * and the relu ids that become the identity.
 */
export function planFusion(
  nodes: readonly NodeSpec[],
  kept: Iterable<string>,
): { activation: Map<string, Activation>; absorbed: Set<string> } {
  const reads = new Map<string, number>();
  const read = (ref: string) => reads.set(ref, (reads.get(ref) ?? 0) + 1);
  for (const node of nodes) node.input.forEach(read);
  for (const ref of kept) read(ref);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const activation = new Map<string, Activation>();
  const absorbed = new Set<string>();
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
  nodes: readonly NodeSpec[],
  values: Map<string, Value>,
  weightsOf: (node: NodeSpec) => WeightReader,
  kept: Iterable<string>,
): void {
  const { activation, absorbed } = planFusion(nodes, kept);
  for (const node of nodes) {
    const args = node.input.map((ref) => values.get(ref)!);
    if (absorbed.has(node.id)) {
      values.set(node.id, args[0]); // its producer already applied the relu
      continue;
    }
    const { out, ports } = applyNode(node, args, weightsOf(node), activation.get(node.id));
    values.set(node.id, out);
    for (const [port, t] of Object.entries(ports)) values.set(`${node.id}:${port}`, new Value(t));
  }
}
