// Lays the spec's graph out for the picture: a layered DAG from dagre (Sugiyama layering, edge
// crossings reduced, every edge routed as a polyline around the boxes, so skip connections stay
// visible), with each node's op, output shape at the bindings and parameter count. `layer` is one
// more than the deepest input (inputs in layer 0), kept for tests and the details panel.
import { Graph, layout } from '@dagrejs/dagre';
import { formatShape, inferShapes, type ModelSpec, parameterCount, parseRef } from '@tessera/spec';

export interface LaidNode {
  id: string;
  label: string;
  detail: string;
  params: number;
  layer: number;
  kind: 'input' | 'node' | 'output';
  /** Top-left corner and size, in the picture's units (px at zoom 1). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  /** The route dagre gave, from the source's box to the target's. */
  points: { x: number; y: number }[];
  /** Spans more than one layer: a skip (residual) connection. */
  skip: boolean;
}

export interface Layout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  layers: number;
  width: number;
  height: number;
}

export const NODE_HEIGHT = 46;
/** Box widths from the text's length at the picture's font (about 7 px a character). */
const CHAR_PX = 7;

function boxWidth(...texts: string[]): number {
  return Math.min(360, Math.max(130, 20 + CHAR_PX * Math.max(...texts.map((t) => t.length))));
}

export function layoutGraph(spec: ModelSpec, bindings?: Record<string, number>): Layout {
  let shapes: ReturnType<typeof inferShapes> | undefined;
  try {
    shapes = inferShapes(spec, bindings);
  } catch {
    shapes = inferShapes(spec);
  }
  const layer = new Map<string, number>();
  const nodes: Omit<LaidNode, 'x' | 'y' | 'width' | 'height'>[] = [];
  const edges: { from: string; to: string }[] = [];
  for (const [name, input] of Object.entries(spec.inputs)) {
    layer.set(name, 0);
    nodes.push({
      id: name,
      label: name,
      detail: `${input.dtype} ${formatShape(input.shape)}`,
      params: 0,
      layer: 0,
      kind: 'input',
    });
  }
  for (const node of spec.nodes) {
    const sources = [...new Set(node.input.map((r) => parseRef(r).node))];
    const l = 1 + Math.max(0, ...sources.map((s) => layer.get(s) ?? 0));
    layer.set(node.id, l);
    const shape = shapes.get(node.id)?.shape;
    nodes.push({
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
    nodes.push({
      id,
      label: name,
      detail: formatShape(shapes.get(ref)?.shape ?? []),
      params: 0,
      layer: outLayer,
      kind: 'output',
    });
    edges.push({ from: parseRef(ref).node, to: id });
  }

  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const params = n.params > 0 ? `${n.params.toLocaleString('en-US')} params` : '';
    g.setNode(n.id, { width: boxWidth(n.label, `${n.detail}  ·  ${params}`), height: NODE_HEIGHT });
  }
  for (const e of edges) g.setEdge(e.from, e.to);
  layout(g);

  const laid = nodes.map((n): LaidNode => {
    const p = g.node(n.id);
    return { ...n, x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height };
  });
  const layerOf = new Map(laid.map((n) => [n.id, n.layer]));
  const graph = g.graph();
  return {
    nodes: laid,
    edges: edges.map((e) => ({
      ...e,
      points: g.edge(e.from, e.to).points ?? [],
      skip: (layerOf.get(e.to) ?? 0) - (layerOf.get(e.from) ?? 0) > 1,
    })),
    layers: outLayer + 1,
    width: graph.width ?? 0,
    height: graph.height ?? 0,
  };
}
