// The matrix runner: cases × backend variants, every cell judged against the float64 reference.
// A decodable case has a second row, `<id>/decode`, of decoding cells (decode.ts).
import type { Backend } from '@tessera/spec';
import { type ConformanceCase, describeSpecial } from './case.js';
import { type CellKind, type CellResult, type CellStatus, runCell } from './cell.js';
import { type DecodingCase, decodingOf, runDecodeCell } from './decode.js';
import {
  type Expectations,
  expectedFailure,
  expectations as listedExpectations,
  toleranceExpectations,
} from './expectations.js';
import { type ReferenceBackend, ReferenceCache, sharedReferenceCache } from './reference.js';
import { defaultTolerance, resolveTolerance, type Tolerance } from './tolerance.js';

/** One column of the matrix: a label, and how to start its backend. */
export interface BackendEntry {
  /** `<backend>:<variant>`, e.g. `ort:node`, `gpujs:cpu`. */
  label: string;
  /** Starts the backend; a rejection makes the column `unavailable`, with the reason. */
  create: () => Promise<Backend>;
}

/** A column as it ran: whether its backend started, and why not. */
export interface ColumnResult {
  label: string;
  available: boolean;
  /** Backend.name and Backend.variant when it started. */
  name?: string;
  variant?: string;
  /** Why `create()` rejected, when unavailable. */
  reason?: string;
}

/** A row of the matrix: a case's ordinary cells, or its decoding cells. */
export interface CaseInfo {
  /** The case id; a decoding row's is the case id with `/decode` after it. */
  id: string;
  /** `run` when absent. */
  kind?: CellKind;
  /** Decoding rows: the id of the case decoded, and the positions each step feeds. */
  decodes?: string;
  chunks?: number[];
  description?: string;
  weightSeed: number;
  inputSeed: number;
  inputScale: number;
  bindings: Record<string, number>;
  explicitInputs: boolean;
  /** The NaN/±Inf written over the seeded inputs, as `x[0, 2, 1] = NaN`; absent when none. */
  special?: string[];
  /** The case's own tolerance (after widening). */
  tolerance: Tolerance;
  /** The reference itself failed on this case; every cell of the row is then an error. */
  referenceError?: string;
}

/** A tolerance wider than the default, for one case (on one backend, or all), with its reason. */
export interface WidenedTolerance {
  caseId: string;
  /** Set when the widening comes from Expectations for one backend; absent for the case's own. */
  backend?: string;
  atol: number;
  rtol: number;
  reason: string;
}

/** What runConformance gives: every case and column, every cell, widenings, seeds and counts. */
export interface ConformanceReport {
  startedAt: string;
  durationMs: number;
  cases: CaseInfo[];
  backends: ColumnResult[];
  /** Row-major: for each case, one cell per backend, in the order of `backends`. */
  cells: CellResult[];
  /** Every tolerance wider than the default, with its reason. */
  widened: WidenedTolerance[];
  /** Seeds of the random cases (`random/<seed>-<i>`), so a failure can be drawn again. */
  randomSeeds: number[];
  counts: Record<CellStatus, number>;
}

/** What runConformance runs: the cases, the backends, and how it judges and reports. */
export interface RunOptions {
  cases: ConformanceCase[];
  backends: BackendEntry[];
  /** Defaults to the package's single list (src/expectations.ts). */
  expectations?: Expectations;
  /** Called after each cell with the cells done, the total and the cell. */
  onProgress?: (done: number, total: number, cell: CellResult) => void;
  /** The oracle; backend-reference by default. */
  reference?: ReferenceCache | (() => Promise<ReferenceBackend>);
  /** Turn a cell whose compile or run takes longer than this into an error. */
  cellTimeoutMs?: number;
  /** The kinds of cell to run: every one (`cellKinds`) by default. */
  kinds?: readonly CellKind[];
}

/** `run` cells for every case, `decode` cells for every decodable one. */
export const cellKinds: readonly CellKind[] = ['run', 'decode'];

/** A row of the matrix before it runs: a case, and its decoding cell for a decoding row. */
export interface MatrixRow {
  id: string;
  case: ConformanceCase;
  decoding?: DecodingCase;
}

/** The rows `runConformance` runs: each case, then its decoding row when it is decodable. */
export function matrixRows(
  cases: readonly ConformanceCase[],
  kinds: readonly CellKind[] = cellKinds,
): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const c of cases) {
    if (kinds.includes('run')) rows.push({ id: c.id, case: c });
    const decoding = kinds.includes('decode') ? decodingOf(c) : undefined;
    if (decoding !== undefined) rows.push({ id: decoding.id, case: c, decoding });
  }
  return rows;
}

/** Every CellStatus, in the order reports count them. */
export const cellStatuses: readonly CellStatus[] = [
  'pass',
  'fail',
  'error',
  'unsupported',
  'expected-fail',
  'unexpected-pass',
  'unavailable',
];

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The seed of a `random/<seed>-<i>` case id. */
export function randomSeedOf(id: string): number | undefined {
  const m = /^random\/(-?\d+)-\d+$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** Applies the expectations list to a judged cell. */
export function applyExpectation(cell: CellResult, list: Expectations): CellResult {
  const expected = expectedFailure(list, cell.backend, cell.caseId);
  if (expected === undefined) return cell;
  if (cell.status === 'fail' || cell.status === 'error')
    return { ...cell, status: 'expected-fail', reason: expected.reason };
  if (cell.status === 'pass')
    return {
      ...cell,
      status: 'unexpected-pass',
      reason: `listed as expected to fail: ${expected.reason}`,
    };
  return cell;
}

/**
 * Runs every case (and its decoding cell) on every backend, judged against the float64
 * reference: one cell per case × backend, none dropped (a backend that cannot start is an
 * `unavailable` column).
 *
 * @example
 * const report = await runConformance({
 *   cases: [...casesByOp.lstm, ...randomCases(5, 1234)],
 *   backends: [{ label: 'tfjs:cpu', create: () => createBackend({ variant: 'cpu' }) }],
 * });
 * process.stdout.write(renderTerminal(report, { color: true }));
 * process.exitCode = exitCode(report);
 */
export async function runConformance(opts: RunOptions): Promise<ConformanceReport> {
  const started = Date.now();
  const list = opts.expectations ?? listedExpectations;
  const cache =
    opts.reference instanceof ReferenceCache
      ? opts.reference
      : opts.reference
        ? new ReferenceCache(opts.reference)
        : sharedReferenceCache();

  // Columns: a backend that cannot start is an unavailable column, never silently dropped.
  const columns: ColumnResult[] = [];
  const live: (Backend | undefined)[] = [];
  for (const entry of opts.backends) {
    try {
      const b = await entry.create();
      columns.push({ label: entry.label, available: true, name: b.name, variant: b.variant });
      live.push(b);
    } catch (e) {
      columns.push({ label: entry.label, available: false, reason: message(e) });
      live.push(undefined);
    }
  }

  const rows = matrixRows(opts.cases, opts.kinds);
  const total = rows.length * opts.backends.length;
  const cells: CellResult[] = [];
  const cases: CaseInfo[] = [];
  const widened: WidenedTolerance[] = [];
  const emit = (cell: CellResult) => {
    cells.push(cell);
    opts.onProgress?.(cells.length, total, cell);
  };

  for (const { id, case: c, decoding } of rows) {
    const kind = decoding === undefined ? undefined : ({ kind: 'decode' } as const);
    const caseTolerance = resolveTolerance(defaultTolerance, c.tolerance);
    if (c.tolerance !== undefined)
      widened.push({ caseId: id, ...caseTolerance, reason: c.tolerance.reason });
    const info: CaseInfo = {
      id,
      ...(decoding === undefined
        ? {}
        : { kind: 'decode', decodes: c.id, chunks: [...decoding.chunks] }),
      ...(c.description !== undefined ? { description: c.description } : {}),
      weightSeed: c.weightSeed,
      inputSeed: c.inputSeed,
      inputScale: c.inputScale ?? 1,
      bindings: { ...(decoding?.whole ?? c).bindings },
      explicitInputs: c.inputs !== undefined,
      ...(c.special !== undefined ? { special: describeSpecial(c) } : {}),
      tolerance: caseTolerance,
    };
    cases.push(info);
    let expected: Awaited<ReturnType<ReferenceCache['expected']>> | undefined;
    try {
      expected = await cache.expected(decoding?.whole ?? c);
    } catch (e) {
      info.referenceError = message(e);
    }
    for (let k = 0; k < opts.backends.length; k++) {
      const label = opts.backends[k].label;
      const backend = live[k];
      const extra = toleranceExpectations(list, label, c.id, decoding?.id);
      const tolerance = resolveTolerance(caseTolerance, ...extra);
      for (const x of extra)
        widened.push({
          caseId: id,
          backend: label,
          ...resolveTolerance(caseTolerance, x),
          reason: x.reason,
        });
      if (backend === undefined) {
        emit({
          caseId: id,
          ...kind,
          backend: label,
          status: 'unavailable',
          tolerance,
          reason: columns[k].reason,
        });
      } else if (expected === undefined) {
        emit({
          caseId: id,
          ...kind,
          backend: label,
          status: 'error',
          tolerance,
          message: `the reference failed on this case: ${info.referenceError}`,
        });
      } else {
        const o = { label, tolerance, timeoutMs: opts.cellTimeoutMs };
        const cell =
          decoding === undefined
            ? await runCell(backend, c, expected, o)
            : await runDecodeCell(backend, decoding, expected, o);
        emit(applyExpectation(cell, list));
      }
    }
  }

  const counts = Object.fromEntries(cellStatuses.map((s) => [s, 0])) as Record<CellStatus, number>;
  for (const cell of cells) counts[cell.status]++;
  const randomSeeds = [
    ...new Set(
      opts.cases.map((c) => randomSeedOf(c.id)).filter((s): s is number => s !== undefined),
    ),
  ];
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    cases,
    backends: columns,
    cells,
    widened,
    randomSeeds,
    counts,
  };
}
