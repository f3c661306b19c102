// Lowering: a backend's kernel table says, op by op, whether it has a kernel, lowers the op to
// its decomposition ('decompose'), or cannot run it (unsupported(reason)). lowerSpec replaces
// every node whose entry is 'decompose' by the op's own decomposition (recursively) before the
// backend's node loop, so the maths of a composite is written once, in its op file.
import { lengthsUses } from './lengths.js';
import { type DecomposedNode, prefixOf } from './ops/common.js';
import { type CompositeOp, type NodeSpec, type OpName, opDef } from './ops/registry.js';
import type { ModelSpec } from './schema.js';

/** A kernel table entry for an op the backend cannot run, with the reason. */
export interface Unsupported {
  unsupported: string;
}

/**
 * A kernel table's entry for an op the backend cannot run, saying why (what `supports` answers).
 */
export function unsupported(reason: string): Unsupported {
  return { unsupported: reason };
}

/** Whether a kernel table's entry is an `unsupported(reason)`. */
export function isUnsupported(entry: unknown): entry is Unsupported {
  return typeof entry === 'object' && entry !== null && 'unsupported' in entry;
}

/** One entry of a backend's kernel table: its kernel K, the reason it has none, or (for a
 *  composite) 'decompose'. */
export type KernelEntry<O extends OpName, K> =
  | K
  | Unsupported
  | (O extends CompositeOp ? 'decompose' : never);

/** true, or the reason the table cannot run `op` (what Backend.supports answers). */
export function supportOf(table: Readonly<Record<OpName, unknown>>, op: string): true | string {
  if (!Object.hasOwn(table, op)) return `${JSON.stringify(op)} is not an op of tessera.model/v1`;
  const entry = table[op as OpName];
  return isUnsupported(entry) ? entry.unsupported : true;
}

/**
 * A node after lowering: a parsed node, or a sub-node of a decomposition (`<id>.<sub>`, its
 * `weightPrefix` derived from the composite's). A linear with `tiedTo` has `weights.weight` =
 * its embedding's table.
 */
export type LoweredNode = NodeSpec & {
  /** Full weight names for parameters not named `<prefix>.<param>` (see DecomposedNode). */
  weights?: Record<string, string>;
  /** The id of the spec node this sub-node came from, for reports (FLOPs, profiles). */
  origin?: string;
  /**
   * How many of the last inputs are the node's lengths (§6.3): a node kept as a kernel reads
   * them as ordinary inputs, appended by lowering; splitLengths separates them.
   */
  lengthsInputs?: number;
};

/**
 * A spec after lowering: its composites replaced by their decompositions where the backend asked.
 */
export interface LoweredSpec extends Omit<ModelSpec, 'nodes'> {
  nodes: LoweredNode[];
  /** Each expanded composite's id → the reference that holds its value (its decomposition's output). */
  expanded: Record<string, string>;
}

/** The full name of a node's parameter `param` (`weight`, `in_proj_weight`, `weight_ih_l0`). */
export function weightName(
  node: { id: string; weightPrefix?: string; weights?: Record<string, string> },
  param: string,
) {
  return node.weights?.[param] ?? `${prefixOf(node)}.${param}`;
}

/**
 * Replaces each node that `expand` accepts (by op, or by the node: a backend whose fused kernel
 * covers only some forms of an op) by its decomposition, recursively; references to
 * the composite are redirected to the decomposition's output. Sub-nodes are completed by their
 * op's schema (so a decomposition may leave defaults out). The spec is only read.
 */
export function lowerWhere(
  spec: ModelSpec | LoweredSpec,
  expand: (op: OpName, node: LoweredNode) => boolean,
): LoweredSpec {
  const redirect = new Map<string, string>();
  const mapRef = (ref: string) => redirect.get(ref) ?? ref;
  const byId = new Map<string, LoweredNode>(spec.nodes.map((n) => [n.id, n]));
  const nodes: LoweredNode[] = [];
  const visit = (node: LoweredNode, origin: string | undefined) => {
    const input = node.input.map(mapRef);
    const def = opDef(node.op)!;
    if (def.decompose === undefined || !expand(node.op, node)) {
      const lengths = node.lengthsInputs === undefined ? lengthsUses(node) : [];
      nodes.push({
        ...tie(node, byId),
        input: [...input, ...lengths.map((use) => use.ref)],
        ...(origin === undefined ? {} : { origin }),
        ...(lengths.length === 0 ? {} : { lengthsInputs: lengths.length }),
      });
      return;
    }
    const { nodes: sub, output, ports } = def.decompose(node, node.id, input);
    for (const s of sub) visit(complete(s), origin ?? node.id);
    redirect.set(node.id, mapRef(output));
    for (const [port, ref] of Object.entries(ports ?? {}))
      redirect.set(`${node.id}:${port}`, mapRef(ref));
  };
  for (const node of spec.nodes) visit(node, (node as LoweredNode).origin);
  const outputs = Object.fromEntries(Object.entries(spec.outputs).map(([k, v]) => [k, mapRef(v)]));
  const expanded = Object.fromEntries(
    [...redirect.keys()].filter((ref) => !ref.includes(':')).map((id) => [id, mapRef(id)]),
  );
  return { ...spec, nodes, outputs, expanded };
}

/**
 * A linear with `tiedTo` reads its embedding's table as its `weight` (one tensor, under the
 * embedding's name), so that every backend runs it as any linear. parseSpec checked the target.
 */
function tie(node: LoweredNode, byId: ReadonlyMap<string, LoweredNode>): LoweredNode {
  if (node.op !== 'linear' || node.tiedTo === undefined) return node;
  const table = byId.get(node.tiedTo);
  if (table === undefined || table.op !== 'embedding')
    throw new Error(`internal: linear ${node.id} is tied to ${node.tiedTo}, not an embedding`);
  return { ...node, weights: { ...node.weights, weight: weightName(table, 'weight') } };
}

/** Lowers every composite whose entry in `table` is 'decompose'. */
export function lowerSpec(spec: ModelSpec, table: Readonly<Record<OpName, unknown>>): LoweredSpec {
  return lowerWhere(spec, (op) => table[op] === 'decompose');
}

/** Lowers every composite (the reference's view, and FLOP counting's). */
export function lowerAll(spec: ModelSpec): LoweredSpec {
  return lowerWhere(spec, () => true);
}

/** Fills a decomposition's sub-node from its op's schema; a bad sub-node is a bug of the op file. */
function complete(sub: DecomposedNode): LoweredNode {
  // weightPrefix is derived from the composite's, already checked (and may pass 256 characters).
  const { id, input, weights, weightPrefix, ...attrs } = sub;
  const def = opDef(sub.op);
  if (def === undefined)
    throw new Error(`internal: decomposition of ${id} uses unknown op ${sub.op}`);
  const parsed = def.schema.safeParse({ ...attrs, id: 'sub' });
  if (!parsed.success)
    throw new Error(`internal: sub-node ${id} (${sub.op}) is invalid: ${parsed.error.message}`);
  return {
    ...(parsed.data as NodeSpec),
    id,
    input,
    ...(weightPrefix === undefined ? {} : { weightPrefix }),
    ...(weights === undefined ? {} : { weights }),
  } as LoweredNode;
}
