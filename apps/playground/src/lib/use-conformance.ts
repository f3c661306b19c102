// The conformance panel's run as one reducer's state: the page starts the workers
// (src/conformance.worker.ts, one per lane: src/lib/worker-lanes.ts says why), folds their
// batches of cells into one cases × variants grid and their reports into one, and ends the
// workers to cancel (a cell in progress cannot be interrupted any other way).
import type { CellResult, ColumnResult, ConformanceReport } from '@tessera/conformance';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { FromConformance, ToConformance } from './conformance-host';
import { lanesOf, mergeReports } from './worker-lanes';

export type ConformancePhase = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

/** One worker's share of the run. */
export interface LaneState {
  labels: string[];
  /** Its columns, once its plan came. */
  columns?: ColumnResult[];
  done: number;
  report?: ConformanceReport;
}

export interface ConformanceState {
  phase: ConformancePhase;
  /** Every variant asked for, in the grid's order. */
  labels: string[];
  lanes: LaneState[];
  rows: string[];
  /** The columns planned so far, in the order of `labels`. */
  columns: ColumnResult[];
  /** By `cellKey(row, label)`. */
  cells: Record<string, CellResult>;
  done: number;
  total: number;
  /** performance.now() when the first cell was planned and when the latest batch came. */
  startedAt?: number;
  lastAt?: number;
  report?: ConformanceReport;
  error?: string;
}

export type ConformanceAction =
  /** `labels`: in the grid's order; `lanes`: those each worker runs (lanesOf). */
  | { type: 'start'; at: number; labels: readonly string[]; lanes: string[][] }
  | { type: 'cancel' }
  | { type: 'message'; lane: number; message: FromConformance; at: number };

export const initialConformance: ConformanceState = {
  phase: 'idle',
  labels: [],
  lanes: [],
  rows: [],
  columns: [],
  cells: {},
  done: 0,
  total: 0,
};

export function cellKey(row: string, label: string): string {
  return `${row}\u0000${label}`;
}

export function isConformanceRunning(s: ConformanceState): boolean {
  return s.phase === 'starting' || s.phase === 'running';
}

export function conformanceReducer(s: ConformanceState, a: ConformanceAction): ConformanceState {
  switch (a.type) {
    case 'start':
      return {
        ...initialConformance,
        phase: 'starting',
        startedAt: a.at,
        labels: [...a.labels],
        lanes: a.lanes.map((labels) => ({ labels, done: 0 })),
      };
    case 'cancel':
      return isConformanceRunning(s) ? { ...s, phase: 'cancelled' } : s;
    case 'message': {
      if (!isConformanceRunning(s) || s.lanes[a.lane] === undefined) return s;
      const m = a.message;
      const lanes = (lane: Partial<LaneState>) =>
        s.lanes.map((l, i) => (i === a.lane ? { ...l, ...lane } : l));
      switch (m.type) {
        case 'plan': {
          const next = lanes({ columns: m.columns });
          const planned = new Map(next.flatMap((l) => l.columns ?? []).map((c) => [c.label, c]));
          return {
            ...s,
            phase: 'running',
            lanes: next,
            rows: m.rows,
            columns: s.labels.flatMap((l) => planned.get(l) ?? []),
            // Every lane runs the same rows: the whole grid is known from the first plan.
            total: m.rows.length * s.labels.length,
          };
        }
        case 'cells': {
          const cells = { ...s.cells };
          for (const c of m.cells) cells[cellKey(c.caseId, c.backend)] = c;
          const next = lanes({ done: m.done });
          const done = next.reduce((n, l) => n + l.done, 0);
          return { ...s, lanes: next, cells, done, lastAt: a.at };
        }
        case 'done': {
          const next = lanes({ report: m.report, done: m.report.cells.length });
          const reports = next.flatMap((l) => l.report ?? []);
          if (reports.length < next.length)
            return { ...s, lanes: next, done: next.reduce((n, l) => n + l.done, 0) };
          return {
            ...s,
            phase: 'done',
            lanes: next,
            report: mergeReports(reports, s.labels),
            done: s.total,
          };
        }
        case 'error':
          return {
            ...s,
            phase: 'error',
            error: `${s.lanes[a.lane].labels.join(', ')}: ${m.message}`,
          };
      }
    }
  }
}

/** Seconds left at the rate so far (cells done over the time since the run started). */
export function etaSeconds(s: ConformanceState): number | undefined {
  if (s.startedAt === undefined || s.lastAt === undefined || s.done === 0) return undefined;
  const perCell = (s.lastAt - s.startedAt) / s.done;
  return (perCell * (s.total - s.done)) / 1000;
}

export interface ConformanceRun {
  state: ConformanceState;
  /** `unavailable`: what the page could not start, with its reasons (not tried again). */
  start(
    labels: readonly string[],
    unavailable?: readonly { label: string; reason: string }[],
  ): void;
  cancel(): void;
}

export function useConformanceRun(): ConformanceRun {
  const [state, dispatch] = useReducer(conformanceReducer, initialConformance);
  const workers = useRef<(Worker | null)[]>([]);
  const endLane = useCallback((lane: number) => {
    workers.current[lane]?.terminate();
    workers.current[lane] = null;
  }, []);
  const end = useCallback(() => {
    for (const w of workers.current) w?.terminate();
    workers.current = [];
  }, []);
  useEffect(() => end, [end]);

  const start = useCallback(
    (labels: readonly string[], unavailable: readonly { label: string; reason: string }[] = []) => {
      end();
      const lanes = lanesOf(labels);
      dispatch({ type: 'start', at: performance.now(), labels, lanes });
      workers.current = lanes.map((laneLabels, lane) => {
        const w = new Worker(new URL('../conformance.worker.ts', import.meta.url), {
          type: 'module',
        });
        w.addEventListener('message', (e: MessageEvent<FromConformance>) => {
          dispatch({ type: 'message', lane, message: e.data, at: performance.now() });
          if (e.data.type === 'done') endLane(lane);
          // One lane's failure ends the run: the grid would never fill.
          if (e.data.type === 'error') end();
        });
        w.addEventListener('error', (e) => {
          end();
          dispatch({
            type: 'message',
            lane,
            message: { type: 'error', message: `the conformance worker failed: ${e.message}` },
            at: performance.now(),
          });
        });
        const m: ToConformance = {
          type: 'start',
          assetsBase: document.baseURI,
          labels: laneLabels,
          unavailable,
        };
        w.postMessage(m);
        return w;
      });
    },
    [end, endLane],
  );

  const cancel = useCallback(() => {
    end();
    dispatch({ type: 'cancel' });
  }, [end]);

  return { state, start, cancel };
}
