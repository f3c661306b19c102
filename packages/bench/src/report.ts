// The bench report as a terminal table, Markdown, JSON and an SVG bar chart.
import type { BenchReport, BenchRow } from './run.js';

const f = (v: number | undefined, digits = 1) =>
  v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits);

function columns(r: BenchRow): string[] {
  if (r.error)
    return [r.model, r.backend, '', '', '', '', '', '', '', `error: ${r.error.slice(0, 120)}`];
  // The ratio to its peer the variant aims for (its manifest's `peer.target`).
  const target = r.peer?.target;
  let verdict = '';
  if (r.peer && target !== undefined) {
    const low = r.peer.ratioRange?.[0];
    verdict =
      r.peer.ratio <= target
        ? 'met'
        : `missed by ${((r.peer.ratio / target - 1) * 100).toFixed(0)}%` +
          (low !== undefined && low <= target ? ' (within the spread)' : '');
  }
  const range = r.peer?.ratioRange;
  return [
    r.model,
    r.backend,
    f(r.compileMs),
    f(r.firstRunMs),
    `${f(r.timing?.medianMs, 2)} / ${f(r.timing?.p90Ms, 2)}`,
    f(r.examplesPerSecond),
    f(r.gflops, 2),
    r.limitFraction === undefined ? '' : `${(r.limitFraction * 100).toFixed(1)}%`,
    r.peer
      ? `${r.peer.ratio.toFixed(2)}×${range ? ` (${range[0].toFixed(2)}–${range[1].toFixed(2)})` : ''} ${r.peer.label}`
      : '',
    verdict,
  ];
}

const HEADERS = [
  'model',
  'backend',
  'compile ms',
  'first run ms',
  'median / p90 ms',
  'examples/s',
  'GFLOP/s',
  'of limit',
  'vs peer',
  'target',
];

/**
 * The report as a padded table for a terminal, then the unavailable variants and the scaling table.
 */
export function renderBenchTerminal(report: BenchReport): string {
  const rows = report.rows.map(columns);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const out = [
    header(report),
    '',
    line(HEADERS),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
  for (const u of report.unavailable) out.push(`unavailable: ${u.backend} (${u.reason})`);
  if (report.scaling) out.push('', ...scalingLines(report));
  return out.join('\n');
}

function header(report: BenchReport): string {
  const m = report.machine;
  const limit = report.limit
    ? `; limit: ${report.limit.label} = ${report.limit.gflops.toFixed(1)} GFLOP/s`
    : '';
  return `tessera bench, ${report.date.slice(0, 10)}, ${m.cpus} × ${m.model}, node ${m.node}${limit}`;
}

function scalingLines(report: BenchReport): string[] {
  const s = report.scaling!;
  const out = [
    `scaling of transformerLM on ${s.backend} (median ms):`,
    `batch \\ time  ${s.times.map((t) => String(t).padStart(9)).join('')}   exponent in time`,
  ];
  s.batches.forEach((b, i) => {
    out.push(
      `${String(b).padEnd(13)} ${s.medianMs[i].map((v) => v.toFixed(1).padStart(9)).join('')}   ${s.exponents[i].toFixed(2)}`,
    );
  });
  return out;
}

/**
 * The report as Markdown: its header line, the table, the unavailable variants and the scaling
 * table.
 */
export function renderBenchMarkdown(report: BenchReport): string {
  const rows = report.rows.map(columns);
  const out = [
    `_${header(report)}_`,
    '',
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
  ];
  for (const r of rows) out.push(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  if (report.unavailable.length > 0)
    out.push('', ...report.unavailable.map((u) => `- unavailable: \`${u.backend}\` — ${u.reason}`));
  if (report.scaling) {
    const s = report.scaling;
    out.push(
      '',
      `Scaling of transformerLM on \`${s.backend}\` (median ms):`,
      '',
      `| batch \\ time | ${s.times.join(' | ')} | exponent in time |`,
      `| --- | ${s.times.map(() => '---').join(' | ')} | --- |`,
    );
    s.batches.forEach((b, i) => {
      out.push(
        `| ${b} | ${s.medianMs[i].map((v) => v.toFixed(1)).join(' | ')} | ${s.exponents[i].toFixed(2)} |`,
      );
    });
  }
  return `${out.join('\n')}\n`;
}

/** The report as JSON, with `schemaVersion: 1`. */
export function benchToJSON(report: BenchReport): Record<string, unknown> {
  return { schemaVersion: 1, ...report };
}

/** Horizontal bars of achieved GFLOP/s per model and backend, with the MatMul limit as a line. */
export function renderBenchSvg(report: BenchReport): string {
  const rows = report.rows.filter((r) => r.gflops !== undefined);
  const max = Math.max(report.limit?.gflops ?? 0, ...rows.map((r) => r.gflops!), 1e-9);
  const barH = 16;
  const left = 270;
  const width = 820;
  const chart = width - left - 80;
  const height = 50 + rows.length * (barH + 4);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  // One colour per backend, in the order the rows first name them.
  const colours = ['#2563eb', '#16a34a', '#f59e0b', '#6b7280', '#9333ea', '#dc2626'];
  const backends = [...new Set(rows.map((r) => r.backend.split(':')[0]))];
  const colour = (backend: string) =>
    colours[backends.indexOf(backend.split(':')[0]) % colours.length];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="title">`,
    // The title is the chart's text alternative (screen readers, and Biome's a11y lint).
    `<title id="title">${esc(`Achieved GFLOP/s per model and backend. ${header(report)}`)}</title>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">${esc(header(report))}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 30 + i * (barH + 4);
    const w = (r.gflops! / max) * chart;
    parts.push(
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(`${r.model} ${r.backend}`)}</text>`,
      `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colour(r.backend)}"/>`,
      `<text x="${(left + w + 4).toFixed(1)}" y="${y + 12}">${r.gflops!.toFixed(2)} GFLOP/s</text>`,
    );
  });
  if (report.limit) {
    const x = left + (report.limit.gflops / max) * chart;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="24" x2="${x.toFixed(1)}" y2="${height - 4}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
