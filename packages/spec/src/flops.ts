// Floating-point operation counts per node, from the spec and the bound shapes, for benchmark
// reports (achieved GFLOP/s). Convention: a multiply-add is 2 FLOPs (so a matmul [m,k]·[k,n] is
// 2mkn); every other elementwise arithmetic or transcendental function is 1 FLOP per element;
// gathers, copies, reshapes and permutes are 0. Reductions count one FLOP per element reduced.
// Each op's count is its op file's `flops`; a composite's is the sum over its decomposition.
import { inferShapes } from './graph.js';
import { type LoweredNode, lowerAll } from './lower.js';
import { opDef } from './ops/registry.js';
import type { ModelSpec } from './schema.js';

/** The FLOPs of one spec node (a composite's sub-nodes counted in it). */
export interface NodeFlops {
  id: string;
  op: string;
  flops: number;
}

/** FLOPs of one primitive (or recurrent) node at bound shapes. */
export function nodeFlops(node: LoweredNode, inputs: number[][], out: number[]): number {
  const def = opDef(node.op)!;
  if (def.flops === undefined) throw new Error(`internal: op ${node.op} counts no FLOPs`);
  return def.flops(node, { inputs, out });
}

/** FLOPs of every node of the spec at the given bindings (every symbolic dim must be bound). */
export function countFlops(
  spec: ModelSpec,
  bindings: Record<string, number>,
): { total: number; nodes: NodeFlops[] } {
  const lowered = lowerAll(spec);
  const shapes = inferShapes(lowered as ModelSpec, bindings);
  const byNode = new Map(spec.nodes.map((n) => [n.id, 0]));
  for (const node of lowered.nodes) {
    const ins = node.input.map((r) => shapes.get(r)!.shape as number[]);
    const out = shapes.get(node.id)!.shape as number[];
    const owner = node.origin ?? node.id;
    byNode.set(owner, byNode.get(owner)! + nodeFlops(node, ins, out));
  }
  const nodes = spec.nodes.map((n) => ({ id: n.id, op: n.op, flops: byNode.get(n.id)! }));
  return { total: nodes.reduce((s, n) => s + n.flops, 0), nodes };
}
