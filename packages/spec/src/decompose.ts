// Replaces composite nodes by their decomposition into simpler ops, for a backend that has no
// fused kernel. Sub-nodes are named `<id>.<submodule>` so weights keep their PyTorch names, and
// references to the composite node are redirected to the decomposition's output.
import { opDef } from './ops/registry.js';
import type { NodeSpec } from './ops/registry.js';
import type { ModelSpec } from './schema.js';

export function decomposable(op: string): boolean {
  return opDef(op)?.decompose !== undefined;
}

export function expandComposites(
  spec: ModelSpec,
  shouldExpand: (op: string) => boolean,
): ModelSpec {
  const redirect = new Map<string, string>();
  const nodes: NodeSpec[] = [];
  const mapRef = (ref: string) => redirect.get(ref) ?? ref;
  for (const node of spec.nodes) {
    const input = node.input.map(mapRef);
    const def = opDef(node.op)!;
    if (def.decompose !== undefined && shouldExpand(node.op)) {
      const { nodes: sub, output } = def.decompose(node, node.id, input);
      // Sub-nodes are themselves expanded when they are composites.
      const inner = expandComposites(
        { ...spec, nodes: sub as unknown as NodeSpec[], outputs: { out: output } },
        shouldExpand,
      );
      nodes.push(...inner.nodes);
      redirect.set(node.id, inner.outputs.out);
    } else nodes.push({ ...node, input } as NodeSpec);
  }
  const outputs = Object.fromEntries(Object.entries(spec.outputs).map(([k, v]) => [k, mapRef(v)]));
  return { ...spec, nodes, outputs };
}
