// Attention weights of one head as a heatmap: rows are queries, columns keys.
export function Heatmap({ probs, label }: { probs: number[][]; label: string }) {
  const n = probs.length;
  const cell = Math.max(6, Math.min(24, Math.floor(240 / Math.max(1, n))));
  return (
    <figure className="heatmap">
      <svg width={n * cell} height={n * cell} role="img" aria-label={label}>
        <title>{label}</title>
        {probs.flatMap((row, q) =>
          row.map((p, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed grid
            <rect
              key={`${q}-${k}`}
              x={k * cell}
              y={q * cell}
              width={cell}
              height={cell}
              fill={`rgba(37, 99, 235, ${p.toFixed(3)})`}
              stroke="#eee"
            />
          )),
        )}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
