// The model as a picture: one box per node with op, output shape and parameter count.
import type { Layout } from '../lib/layout';

const W = 190;
const H = 46;
const GX = 30;
const GY = 34;

export function GraphView({ layout, stale }: { layout: Layout; stale: boolean }) {
  const pos = new Map(
    layout.nodes.map((n) => [n.id, { x: 10 + n.slot * (W + GX), y: 10 + n.layer * (H + GY) }]),
  );
  const width = 20 + layout.width * (W + GX);
  const height = 20 + layout.layers * (H + GY);
  return (
    <svg
      className={stale ? 'graph stale' : 'graph'}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      data-testid="graph"
      role="img"
      aria-label="model graph"
    >
      <title>model graph</title>
      {layout.edges.map((e) => {
        const a = pos.get(e.from);
        const b = pos.get(e.to);
        if (!a || !b) return null;
        return (
          <line
            key={`${e.from}->${e.to}`}
            x1={a.x + W / 2}
            y1={a.y + H}
            x2={b.x + W / 2}
            y2={b.y}
            className="edge"
          />
        );
      })}
      {layout.nodes.map((n) => {
        const p = pos.get(n.id)!;
        return (
          <g
            key={n.id}
            transform={`translate(${p.x},${p.y})`}
            className={`node ${n.kind}`}
            data-node={n.id}
          >
            <rect width={W} height={H} rx={6} />
            <text x={8} y={18} className="label">
              {n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label}
            </text>
            <text x={8} y={36} className="detail">
              {n.detail}
              {n.params > 0 ? `  ·  ${n.params.toLocaleString('en-US')} params` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
