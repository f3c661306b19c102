// Attention weights of one head as a heatmap: rows are queries, columns keys.
export function Heatmap({ probs, label }: { probs: number[][]; label: string }) {
  const n = probs.length;
  const cell = Math.max(6, Math.min(24, Math.floor(240 / Math.max(1, n))));
  const cells = probs.flatMap((row, q) => row.map((p, k) => ({ id: `${q}:${k}`, q, k, p })));
  return (
    <figure className="heatmap">
      <svg width={n * cell} height={n * cell} role="img" aria-label={label}>
        <title>{label}</title>
        {cells.map((c) => (
          <rect
            key={c.id}
            x={c.k * cell}
            y={c.q * cell}
            width={cell}
            height={cell}
            fill={`rgba(37, 99, 235, ${c.p.toFixed(3)})`}
            stroke="#eee"
          />
        ))}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
