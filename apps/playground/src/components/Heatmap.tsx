// Attention weights of one head as a heatmap: rows are queries, columns keys, each labelled with
// its token; a colour scale from 0 to 1 beside it, and each cell's query, key and weight in its
// tooltip. Drawn as SVG (no WebGL context to hold).
import type { HeatMap } from '../lib/store';

/** White (0) to deep blue (1), through the page's accent. */
export function heatColour(p: number): string {
  const t = Math.max(0, Math.min(1, p));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 30)}, ${mix(255, 64)}, ${mix(255, 175)})`;
}

/** A token as a short, visible label: spaces and newlines shown, long pieces cut. */
export function tokenLabel(t: string): string {
  const shown = t.replace(/ /g, '␣').replace(/\n/g, '⏎');
  return shown.length > 6 ? `${shown.slice(0, 5)}…` : shown || '∅';
}

const SCALE = [0, 0.25, 0.5, 0.75, 1];

export function Heatmap({ map }: { map: HeatMap }) {
  const { probs, label, tokens } = map;
  const rows = probs.length;
  const cols = probs[0]?.length ?? 0;
  const cell = Math.max(10, Math.min(26, Math.floor(260 / Math.max(1, cols))));
  const gutter = 44;
  const width = gutter + cols * cell + 46;
  const height = gutter + rows * cell;
  return (
    <figure className="heatmap" data-testid="heatmap">
      <svg width={width} height={height} role="img" aria-label={label}>
        <title>{label}</title>
        {Array.from({ length: cols }, (_, k) => (
          <text
            // biome-ignore lint/suspicious/noArrayIndexKey: the key position is the identity
            key={`k${k}`}
            className="heat-key"
            transform={`translate(${gutter + k * cell + cell / 2}, ${gutter - 4}) rotate(-60)`}
          >
            {tokenLabel(tokens[k] ?? String(k))}
          </text>
        ))}
        {probs.map((row, q) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the query position is the identity
          <g key={`q${q}`}>
            <text className="heat-query" x={gutter - 4} y={gutter + q * cell + cell * 0.7}>
              {tokenLabel(tokens[q] ?? String(q))}
            </text>
            {row.map((p, k) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: the key position is the identity
                key={k}
                x={gutter + k * cell}
                y={gutter + q * cell}
                width={cell}
                height={cell}
                fill={heatColour(p)}
                stroke="#e5e7eb"
              >
                <title>
                  {`query ${q} ${JSON.stringify(tokens[q] ?? '')} → key ${k} ${JSON.stringify(tokens[k] ?? '')}: ${p.toFixed(3)}`}
                </title>
              </rect>
            ))}
          </g>
        ))}
        <g transform={`translate(${gutter + cols * cell + 10}, ${gutter})`} className="heat-scale">
          {SCALE.map((v, i) => (
            <g key={v} transform={`translate(0, ${(i * (rows * cell - 10)) / (SCALE.length - 1)})`}>
              <rect width={10} height={10} fill={heatColour(v)} stroke="#9ca3af" />
              <text x={13} y={9}>
                {v}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
