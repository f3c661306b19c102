// Which Web Worker a browser variant runs in, and the conformance lanes' reports made one.
//
// Why more than one worker: Chromium keeps at most 4 live WebGL contexts per worker thread (16 on
// a page's) and, when a fifth is made, loses the oldest. gpu.js makes a context for every model
// it compiles (destroyed a task later), so in a worker shared with tfjs:webgl it soon evicted
// tfjs's one context, whose next readback then waited forever on a lost context (the cell timed
// out with the CPU idle). So each variant that needs WebGL runs in a worker of its own, where
// only its own contexts count, and every other variant shares one more: the conformance run
// starts one worker per lane; generation starts a fresh worker when the lane changes.
import {
  type CellResult,
  type CellStatus,
  type ConformanceReport,
  cellStatuses,
} from '@tessera/conformance';
import { browserEntries } from './manifests';

/**
 * `labels` split into the workers' shares, in order: the variants without WebGL together first,
 * then one lane for each variant whose manifest says it needs WebGL. Unknown labels stay in the
 * first lane, where the worker names them.
 */
export function lanesOf(labels: readonly string[]): string[][] {
  const shared = labels.filter((l) => laneOf(l) === sharedLane);
  const own = labels.filter((l) => laneOf(l) !== sharedLane).map((l) => [l]);
  return shared.length > 0 ? [shared, ...own] : own;
}

const sharedLane = '';

/** The lane of a variant: its label when its manifest says it needs WebGL, else the shared one (''). */
export function laneOf(label: string): string {
  const entry = browserEntries().find((e) => e.label === label);
  return entry?.variant.needs?.webgl !== undefined ? label : sharedLane;
}

/**
 * The lanes' reports as the one runConformance would give for all of `labels`: columns and cells
 * in the order of `labels` (cells row-major), each case's own widenings once, counts recounted.
 * Every lane ran the same cases, so the cases and the random seeds are the first lane's.
 */
export function mergeReports(
  reports: readonly ConformanceReport[],
  labels: readonly string[],
): ConformanceReport {
  if (reports.length === 0) throw new Error('no conformance report to merge');
  const [first] = reports;
  const laneOf = new Map<string, ConformanceReport>();
  for (const r of reports) for (const b of r.backends) laneOf.set(b.label, r);
  const missing = labels.filter((l) => !laneOf.has(l));
  if (missing.length > 0) throw new Error(`no conformance report has ${missing.join(', ')}`);
  const cellOf = new Map<string, CellResult>();
  for (const r of reports) for (const c of r.cells) cellOf.set(`${c.caseId}\u0000${c.backend}`, c);

  const cells: CellResult[] = [];
  const widened: ConformanceReport['widened'] = [];
  for (const { id } of first.cases) {
    widened.push(...first.widened.filter((w) => w.caseId === id && w.backend === undefined));
    for (const label of labels) {
      const cell = cellOf.get(`${id}\u0000${label}`);
      if (cell === undefined) throw new Error(`the ${label} report has no cell for ${id}`);
      cells.push(cell);
    }
    for (const label of labels)
      widened.push(
        ...laneOf.get(label)!.widened.filter((w) => w.caseId === id && w.backend === label),
      );
  }
  const counts = Object.fromEntries(cellStatuses.map((s) => [s, 0])) as Record<CellStatus, number>;
  for (const cell of cells) counts[cell.status]++;
  const startedAt = reports.map((r) => r.startedAt).sort()[0];
  // The lanes run side by side: the run took from the first start to the last end.
  const end = Math.max(...reports.map((r) => Date.parse(r.startedAt) + r.durationMs));
  return {
    startedAt,
    durationMs: end - Date.parse(startedAt),
    cases: first.cases,
    backends: labels.map((l) => laneOf.get(l)!.backends.find((b) => b.label === l)!),
    cells,
    widened,
    randomSeeds: first.randomSeeds,
    counts,
  };
}
