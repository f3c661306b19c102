// The model as a picture: dagre's layered layout (src/lib/layout.ts) drawn with React Flow, so it
// pans and zooms; each box shows op, output shape and parameter count, every edge follows the
// route dagre gave it (skip connections drawn dashed, in their own colour), and a click on a box
// selects it for the details panel.
import {
  BaseEdge,
  type Edge,
  type EdgeProps,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  Controls,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import type { LaidNode, Layout } from '../lib/layout';

type BoxData = { node: LaidNode; selected: boolean };
type RouteData = { points: { x: number; y: number }[]; skip: boolean };

function Box({ data }: NodeProps<Node<BoxData>>) {
  const n = data.node;
  return (
    <div
      className={`graph-node ${n.kind}${data.selected ? ' selected' : ''}`}
      style={{ width: n.width, height: n.height }}
      data-node={n.id}
      title={`${n.label}\n${n.detail}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="label">{n.label}</div>
      <div className="detail">
        {n.detail}
        {n.params > 0 ? `  ·  ${n.params.toLocaleString('en-US')} params` : ''}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

/** A polyline through dagre's route, with the corners rounded by quadratic curves. */
export function routePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const next = points[i + 1];
    d += ` Q ${p.x} ${p.y} ${(p.x + next.x) / 2} ${(p.y + next.y) / 2}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}

function Route({ data, markerEnd }: EdgeProps<Edge<RouteData>>) {
  return (
    <BaseEdge
      path={routePath(data?.points ?? [])}
      markerEnd={markerEnd}
      className={data?.skip ? 'graph-edge skip' : 'graph-edge'}
    />
  );
}

/** Below this zoom the boxes' text cannot be read: a taller graph is shown from its top. */
const READABLE_ZOOM = 0.6;

/**
 * The first view of a graph: all of it when it fits at a readable zoom, otherwise its top,
 * centred, at that zoom (the rest is a pan or a zoom-out away). The pane's size is React Flow's.
 */
function InitialView({ layout }: { layout: Layout }) {
  const flow = useReactFlow();
  const width = useStore((st) => st.width);
  const height = useStore((st) => st.height);
  useEffect(() => {
    if (width === 0 || height === 0) return;
    const fit = Math.min(1, width / (layout.width + 20), height / (layout.height + 20));
    if (fit >= READABLE_ZOOM) void flow.fitView({ padding: 0.05, maxZoom: 1 });
    else {
      const zoom = Math.min(1, Math.max(fit, READABLE_ZOOM), width / (layout.width + 20));
      void flow.setViewport({ x: (width - layout.width * zoom) / 2, y: 8, zoom });
    }
  }, [flow, layout.width, layout.height, width, height]);
  return null;
}

const nodeTypes = { box: Box };
const edgeTypes = { route: Route };

export function GraphView(props: {
  layout: Layout;
  stale: boolean;
  selected: string | null;
  onSelect: (id: string | null) => void;
}) {
  const { layout, selected, onSelect } = props;
  const nodes = useMemo(
    (): Node<BoxData>[] =>
      layout.nodes.map((n) => ({
        id: n.id,
        type: 'box',
        position: { x: n.x, y: n.y },
        data: { node: n, selected: n.id === selected },
        draggable: false,
        connectable: false,
      })),
    [layout, selected],
  );
  const edges = useMemo(
    (): Edge<RouteData>[] =>
      layout.edges.map((e) => ({
        id: `${e.from}->${e.to}`,
        source: e.from,
        target: e.to,
        type: 'route',
        data: { points: e.points, skip: e.skip },
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
      })),
    [layout],
  );
  return (
    <div
      className={props.stale ? 'graph stale' : 'graph'}
      data-testid="graph"
      data-nodes={layout.nodes.length}
      data-edges={layout.edges.length}
      data-skips={layout.edges.filter((e) => e.skip).length}
    >
      <ReactFlow
        // A new structure is fitted to the view anew; new shapes alone keep the pan and zoom.
        key={layout.nodes.map((n) => n.id).join('|')}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        minZoom={0.1}
        maxZoom={2.5}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        onNodeClick={(_, n) => onSelect(n.id)}
        onPaneClick={() => onSelect(null)}
        proOptions={{ hideAttribution: true }}
      >
        <Controls showInteractive={false} />
        <InitialView layout={layout} />
      </ReactFlow>
    </div>
  );
}
