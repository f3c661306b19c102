// Reports of a conformance run: a terminal matrix, Markdown, a stable JSON schema, an exit code.
import { type CellResult, type CellStatus, describeFailure } from './cell.js';
import { type ConformanceReport, cellStatuses } from './runner.js';

const short: Record<CellStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  error: 'ERROR',
  unsupported: 'unsupported',
  'expected-fail': 'expected-fail',
  'unexpected-pass': 'UNEXPECTED-PASS',
  unavailable: 'unavailable',
};

// ANSI: green, red, red, yellow, cyan, magenta, grey.
const colours: Record<CellStatus, number> = {
  pass: 32,
  fail: 31,
  error: 31,
  unsupported: 33,
  'expected-fail': 36,
  'unexpected-pass': 35,
  unavailable: 90,
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * `12 passed, 0 failed`, then the other non-zero counts, over every cell; when there are decoding
 * cells, their own counts follow: `(decoding: 4 passed, 0 failed, 2 unsupported)`.
 */
export function summaryLine(report: ConformanceReport): string {
  const decoding = report.cells.filter((c) => c.kind === 'decode');
  if (decoding.length === 0) return countsLine(report.counts);
  const counts = Object.fromEntries(cellStatuses.map((s) => [s, 0])) as Record<CellStatus, number>;
  for (const cell of decoding) counts[cell.status]++;
  return `${countsLine(report.counts)} (decoding: ${countsLine(counts)})`;
}

function countsLine(c: Record<CellStatus, number>): string {
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.error) parts.push(plural(c.error, 'error', 'errors'));
  if (c.unsupported) parts.push(`${c.unsupported} unsupported`);
  if (c['expected-fail'])
    parts.push(plural(c['expected-fail'], 'expected failure', 'expected failures'));
  if (c['unexpected-pass'])
    parts.push(plural(c['unexpected-pass'], 'unexpected pass', 'unexpected passes'));
  if (c.unavailable) parts.push(`${c.unavailable} unavailable`);
  return parts.join(', ');
}

function rows(report: ConformanceReport): CellResult[][] {
  const n = report.backends.length;
  return report.cases.map((_, i) => report.cells.slice(i * n, i * n + n));
}

function cellText(cell: CellResult): string {
  if (cell.status === 'pass' && cell.maxAbsError !== undefined)
    return `pass ${cell.maxAbsError.toExponential(0)}`;
  return short[cell.status];
}

function formatTolerance(t: { atol: number; rtol: number }): string {
  return `atol ${t.atol}, rtol ${t.rtol}`;
}

/** The notes every report carries: unavailable columns, problems, widened tolerances, random seeds. */
function notes(report: ConformanceReport): { title: string; lines: string[] }[] {
  const out: { title: string; lines: string[] }[] = [];
  const unavailable = report.backends.filter((b) => !b.available);
  if (unavailable.length > 0)
    out.push({
      title: 'Unavailable backends',
      lines: unavailable.map((b) => `${b.label}: ${b.reason}`),
    });
  const problems = report.cells.filter((c) => c.status === 'fail' || c.status === 'error');
  if (problems.length > 0) out.push({ title: 'Failures', lines: problems.map(describeFailure) });
  const xpass = report.cells.filter((c) => c.status === 'unexpected-pass');
  if (xpass.length > 0) {
    out.push({
      title: 'Unexpected passes (remove them from src/expectations.ts)',
      lines: xpass.map((c) => `${c.caseId} on ${c.backend}: ${c.reason}`),
    });
  }
  const xfail = report.cells.filter((c) => c.status === 'expected-fail');
  if (xfail.length > 0)
    out.push({
      title: 'Expected failures',
      lines: xfail.map((c) => `${c.caseId} on ${c.backend}: ${c.reason}`),
    });
  const unsupported = report.cells.filter((c) => c.status === 'unsupported');
  if (unsupported.length > 0) {
    // Grouped: the same reason usually covers many cases.
    const groups = new Map<string, string[]>();
    for (const c of unsupported) {
      const key = `${c.backend}: ${c.reason}`;
      groups.set(key, [...(groups.get(key) ?? []), c.caseId]);
    }
    out.push({
      title: 'Unsupported',
      lines: [...groups].map(([k, ids]) => `${k} (${ids.join(', ')})`),
    });
  }
  if (report.widened.length > 0) {
    out.push({
      title: 'Widened tolerances',
      lines: report.widened.map(
        (w) =>
          `${w.caseId}${w.backend ? ` on ${w.backend}` : ''}: ${formatTolerance(w)}: ${w.reason}`,
      ),
    });
  }
  const refErrors = report.cases.filter((c) => c.referenceError !== undefined);
  if (refErrors.length > 0)
    out.push({
      title: 'Reference errors',
      lines: refErrors.map((c) => `${c.id}: ${c.referenceError}`),
    });
  if (report.randomSeeds.length > 0) {
    out.push({
      title: 'Random cases',
      lines: [
        `seeds ${report.randomSeeds.join(', ')}: case random/<seed>-<i> is randomCase(seed, i), or randomCases(count, seed)[i]`,
      ],
    });
  }
  return out;
}

/**
 * The report as a plain-text table for a terminal (ANSI colours when `color`), its notes and its
 * summary line.
 */
export function renderTerminal(
  report: ConformanceReport,
  options: { color?: boolean } = {},
): string {
  const paint = (status: CellStatus, text: string) =>
    options.color ? `\x1b[${colours[status]}m${text}\x1b[0m` : text;
  const header = ['case', ...report.backends.map((b) => b.label)];
  const table = rows(report).map((row, i) => [report.cases[i].id, ...row.map(cellText)]);
  const widths = header.map((h, k) => Math.max(h.length, ...table.map((r) => r[k].length)));
  const line = (cells: string[], statuses?: CellStatus[]) =>
    cells
      .map((t, k) => {
        const padded = t.padEnd(widths[k]);
        return k > 0 && statuses ? paint(statuses[k - 1], padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const [i, row] of rows(report).entries())
    out.push(
      line(
        table[i],
        row.map((c) => c.status),
      ),
    );
  for (const n of notes(report)) {
    out.push('', `${n.title}:`, ...n.lines.map((l) => `  ${l}`));
  }
  out.push('', summaryLine(report));
  return `${out.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The report as Markdown: the summary line, the table of cases × backends, then its notes. */
export function renderMarkdown(report: ConformanceReport): string {
  const out = [
    `# Conformance report`,
    '',
    `${summaryLine(report)} (${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s)`,
    '',
  ];
  out.push(`| case | ${report.backends.map((b) => escapeCell(b.label)).join(' | ')} |`);
  out.push(`| --- | ${report.backends.map(() => '---').join(' | ')} |`);
  rows(report).forEach((row, i) => {
    out.push(
      `| ${escapeCell(report.cases[i].id)} | ${row.map((c) => (c.status === 'pass' ? 'pass' : `**${short[c.status]}**`)).join(' | ')} |`,
    );
  });
  for (const n of notes(report)) {
    out.push('', `## ${n.title}`, '', ...n.lines.map((l) => `- ${escapeCell(l)}`));
  }
  return `${out.join('\n')}\n`;
}

/** The `schemaVersion` of reportToJSON's output; raised when its shape changes. */
export const reportSchemaVersion = 1;

/** JSON numbers cannot be Infinity or NaN: those become the strings "Infinity", "-Infinity", "NaN". */
function jsonNumber(x: number | undefined): number | string | undefined {
  if (x === undefined || Number.isFinite(x)) return x;
  return String(x);
}

/**
 * A stable, versioned JSON form of a report. Schema 1:
 * { schemaVersion, startedAt, durationMs, summary, counts, backends[], cases[], widened[], randomSeeds[],
 *   cells[{ case, kind, backend, status, tolerance, chunks?, maxAbsError?, maxRelError?, failure?,
 *   reason?, message?, ms? }] }; `kind` is `run` or `decode` (cases[] carry it too, with `decodes`
 *   and `chunks` on decoding rows), a decoding failure has its `step`.
 * Non-finite numbers are written as strings.
 */
export function reportToJSON(report: ConformanceReport): object {
  return {
    schemaVersion: reportSchemaVersion,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    summary: summaryLine(report),
    counts: { ...report.counts },
    backends: report.backends.map((b) => ({ ...b })),
    cases: report.cases.map((c) => ({
      ...c,
      kind: c.kind ?? 'run',
      bindings: { ...c.bindings },
      tolerance: { ...c.tolerance },
      ...(c.chunks !== undefined ? { chunks: [...c.chunks] } : {}),
    })),
    widened: report.widened.map((w) => ({ ...w })),
    randomSeeds: [...report.randomSeeds],
    cells: report.cells.map((c) => ({
      case: c.caseId,
      kind: c.kind ?? 'run',
      backend: c.backend,
      status: c.status,
      tolerance: { ...c.tolerance },
      ...(c.chunks !== undefined ? { chunks: [...c.chunks] } : {}),
      ...(c.maxAbsError !== undefined ? { maxAbsError: jsonNumber(c.maxAbsError) } : {}),
      ...(c.maxRelError !== undefined ? { maxRelError: jsonNumber(c.maxRelError) } : {}),
      ...(c.failure
        ? {
            failure: {
              output: c.failure.output,
              ...(c.failure.reason !== undefined ? { reason: c.failure.reason } : {}),
              ...(c.failure.step !== undefined ? { step: c.failure.step } : {}),
              maxAbsError: jsonNumber(c.failure.maxAbsError),
              maxRelError: jsonNumber(c.failure.maxRelError),
              mismatches: c.failure.mismatches,
              worstIndex: c.failure.worstIndex,
              worstPosition: [...c.failure.worstPosition],
              worstRatio: jsonNumber(c.failure.worstRatio),
              got: jsonNumber(c.failure.got),
              want: jsonNumber(c.failure.want),
            },
          }
        : {}),
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      ...(c.message !== undefined ? { message: c.message } : {}),
      ...(c.ms !== undefined ? { ms: Math.round(c.ms * 10) / 10 } : {}),
    })),
  };
}

/** What else exitCode counts as a failure. */
export interface ExitOptions {
  /** Also fail when a backend could not start (off by default: a browser-only variant in node is not a failure). */
  failOnUnavailable?: boolean;
  /** Also fail on a stale expectation. */
  failOnUnexpectedPass?: boolean;
}

/** 1 on any fail or error (expected failures excepted), else 0. */
export function exitCode(report: ConformanceReport, options: ExitOptions = {}): 0 | 1 {
  const c = report.counts;
  if (c.fail > 0 || c.error > 0) return 1;
  if (options.failOnUnavailable && c.unavailable > 0) return 1;
  if (options.failOnUnexpectedPass && c['unexpected-pass'] > 0) return 1;
  return 0;
}
