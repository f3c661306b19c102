// Lays the spec's graph out in layers for an SVG picture: a node's layer is one more than the
// deepest of its inputs; inputs sit in layer 0.
import { formatShape, inferShapes, type ModelSpec, parameterCount, parseRef } from '@tessera/spec';

export interface LaidNode {
  id: string;
  label: string;
  detail: string;
  params: number;
  layer: number;
  slot: number;
  kind: 'input' | 'node' | 'output';
}

export interface LaidEdge {
  from: string;
  to: string;
}

export interface Layout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  layers: number;
  width: number;
}

export function layoutGraph(spec: ModelSpec, bindings?: Record<string, number>): Layout {
  let shapes: ReturnType<typeof inferShapes> | undefined;
  try {
    shapes = inferShapes(spec, bindings);
  } catch {
    shapes = inferShapes(spec);
  }
  const layer = new Map<string, number>();
  const nodes: LaidNode[] = [];
  const edges: LaidEdge[] = [];
  const perLayer: number[] = [];
  const place = (n: Omit<LaidNode, 'slot'>) => {
    perLayer[n.layer] = (perLayer[n.layer] ?? 0) + 1;
    nodes.push({ ...n, slot: perLayer[n.layer] - 1 });
  };
  for (const [name, input] of Object.entries(spec.inputs)) {
    layer.set(name, 0);
    place({
      id: name,
      label: name,
      detail: `${input.dtype} ${formatShape(input.shape)}`,
      params: 0,
      layer: 0,
      kind: 'input',
    });
  }
  for (const node of spec.nodes) {
    const sources = node.input.map((r) => parseRef(r).node);
    const l = 1 + Math.max(0, ...sources.map((s) => layer.get(s) ?? 0));
    layer.set(node.id, l);
    const shape = shapes.get(node.id)?.shape;
    place({
      id: node.id,
      label: `${node.id}: ${node.op}`,
      detail: shape ? formatShape(shape) : '',
      params: parameterCount(spec, node.id),
      layer: l,
      kind: 'node',
    });
    for (const s of sources) edges.push({ from: s, to: node.id });
  }
  const outLayer = 1 + Math.max(0, ...layer.values());
  for (const [name, ref] of Object.entries(spec.outputs)) {
    const id = `output:${name}`;
    place({
      id,
      label: name,
      detail: formatShape(shapes.get(ref)?.shape ?? []),
      params: 0,
      layer: outLayer,
      kind: 'output',
    });
    edges.push({ from: parseRef(ref).node, to: id });
  }
  return { nodes, edges, layers: outLayer + 1, width: Math.max(...perLayer) };
}
