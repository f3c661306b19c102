// The conformance panel's run as one reducer's state: the page starts the worker
// (src/conformance.worker.ts), folds its batches of cells into a cases × variants grid, and
// ends the worker to cancel (a cell in progress cannot be interrupted any other way).
import type { CellResult, ColumnResult, ConformanceReport } from '@tessera/conformance';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { FromConformance, ToConformance } from './conformance-host';

export type ConformancePhase = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

export interface ConformanceState {
  phase: ConformancePhase;
  rows: string[];
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
  | { type: 'start'; at: number }
  | { type: 'cancel' }
  | { type: 'message'; message: FromConformance; at: number };

export const initialConformance: ConformanceState = {
  phase: 'idle',
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
      return { ...initialConformance, phase: 'starting', startedAt: a.at };
    case 'cancel':
      return isConformanceRunning(s) ? { ...s, phase: 'cancelled' } : s;
    case 'message': {
      if (!isConformanceRunning(s)) return s;
      const m = a.message;
      switch (m.type) {
        case 'plan':
          return { ...s, phase: 'running', rows: m.rows, columns: m.columns, total: m.total };
        case 'cells': {
          const cells = { ...s.cells };
          for (const c of m.cells) cells[cellKey(c.caseId, c.backend)] = c;
          return { ...s, cells, done: m.done, total: m.total, lastAt: a.at };
        }
        case 'done':
          return { ...s, phase: 'done', report: m.report, done: s.total };
        case 'error':
          return { ...s, phase: 'error', error: m.message };
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
  const worker = useRef<Worker | null>(null);
  const end = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);
  useEffect(() => end, [end]);

  const start = useCallback(
    (labels: readonly string[], unavailable: readonly { label: string; reason: string }[] = []) => {
      end();
      const w = new Worker(new URL('../conformance.worker.ts', import.meta.url), {
        type: 'module',
      });
      w.addEventListener('message', (e: MessageEvent<FromConformance>) => {
        dispatch({ type: 'message', message: e.data, at: performance.now() });
        if (e.data.type === 'done' || e.data.type === 'error') end();
      });
      w.addEventListener('error', (e) => {
        end();
        dispatch({
          type: 'message',
          message: { type: 'error', message: `the conformance worker failed: ${e.message}` },
          at: performance.now(),
        });
      });
      worker.current = w;
      dispatch({ type: 'start', at: performance.now() });
      const m: ToConformance = {
        type: 'start',
        assetsBase: document.baseURI,
        labels,
        unavailable,
      };
      w.postMessage(m);
    },
    [end],
  );

  const cancel = useCallback(() => {
    end();
    dispatch({ type: 'cancel' });
  }, [end]);

  return { state, start, cancel };
}
