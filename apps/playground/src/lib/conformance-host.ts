// The in-page conformance run, in a Web Worker (src/conformance.worker.ts) so that the page keeps
// drawing while ~1,500 cells run: the messages between the page and the worker, and the worker's
// side. The cells are conformance's own (runConformance: its judging, its expectations); this
// only starts the variants the way the generation worker does and streams the cells back.
import {
  type CellResult,
  type ColumnResult,
  type ConformanceReport,
  catalogue,
  matrixRows,
  runConformance,
} from '@tessera/conformance';
import type { Backend, ManifestEntry } from '@tessera/spec';
import { startInWorker } from './generation';
import { browserEntries } from './manifests';

export type ToConformance = {
  type: 'start';
  assetsBase: string;
  labels: readonly string[];
  /** Variants the page already found it cannot start, with its reason: not tried again here. */
  unavailable?: readonly { label: string; reason: string }[];
};

export type FromConformance =
  /** The grid's shape, before any cell: its rows (case ids), its columns and their state. */
  | { type: 'plan'; rows: string[]; columns: ColumnResult[]; total: number }
  | { type: 'cells'; done: number; total: number; cells: CellResult[] }
  | { type: 'done'; report: ConformanceReport }
  | { type: 'error'; message: string };

/** Cells are sent in batches at most this often, so the page redraws its grid a few times a second. */
export const BATCH_MS = 150;

/**
 * A cell whose compile or run takes longer becomes an error cell instead of holding the whole
 * run (a backend stuck on a promise that never settles; the slowest cells here take seconds).
 */
export const CELL_TIMEOUT_MS = 60_000;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function conformanceHost(
  post: (m: FromConformance) => void,
  start: (entry: ManifestEntry, assetsBase: string) => Promise<Backend> = startInWorker,
  cases = catalogue,
): (m: ToConformance) => Promise<void> {
  return async (m) => {
    try {
      const entries = m.labels.map((label) => {
        const entry = browserEntries().find((e) => e.label === label);
        if (entry === undefined) throw new Error(`no backend variant ${label} in this playground`);
        return entry;
      });
      // Started before the run, so the page can list what cannot start (and why) at once; one
      // at a time, as the page starts them (src/lib/backends.ts: tfjs's one global backend).
      const known = new Map((m.unavailable ?? []).map((u) => [u.label, u.reason]));
      const started: ({ label: string; backend: Backend } | { label: string; reason: string })[] =
        [];
      for (const e of entries) {
        const reason = known.get(e.label);
        try {
          if (reason !== undefined) throw new Error(reason);
          started.push({ label: e.label, backend: await start(e, m.assetsBase) });
        } catch (err) {
          started.push({ label: e.label, reason: messageOf(err) });
        }
      }
      const rows = matrixRows(cases).map((r) => r.id);
      const total = rows.length * started.length;
      post({
        type: 'plan',
        rows,
        total,
        columns: started.map((s) =>
          'backend' in s
            ? { label: s.label, available: true, name: s.backend.name, variant: s.backend.variant }
            : { label: s.label, available: false, reason: s.reason },
        ),
      });
      let batch: CellResult[] = [];
      let sentAt = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let last = { done: 0, total };
      // A batch goes after BATCH_MS, also when no cell follows it soon (a slow cell), so the page
      // always shows every cell that has finished.
      const flush = () => {
        clearTimeout(timer);
        timer = undefined;
        if (batch.length === 0) return;
        post({ type: 'cells', done: last.done, total: last.total, cells: batch });
        batch = [];
        sentAt = performance.now();
      };
      // A variant with a cell that never finished is likely stuck for good (its runtime waits on
      // something that will not come): its later cells fail at once, naming that cell, instead
      // of taking CELL_TIMEOUT_MS each.
      const stuck = new Map<string, string>();
      const guarded = (label: string, b: Backend): Backend => ({
        name: b.name,
        variant: b.variant,
        supports: (op) => b.supports(op),
        compile: (...args) => {
          const at = stuck.get(label);
          if (at !== undefined)
            return Promise.reject(
              new Error(
                `not run: ${at} on this variant did not finish within ${CELL_TIMEOUT_MS / 1000} s`,
              ),
            );
          return b.compile(...args);
        },
      });
      const report = await runConformance({
        cases,
        cellTimeoutMs: CELL_TIMEOUT_MS,
        backends: started.map((s) => ({
          label: s.label,
          create: async () => {
            if ('backend' in s) return guarded(s.label, s.backend);
            throw new Error(s.reason);
          },
        })),
        onProgress: (done, all, cell) => {
          if (cell.status === 'error' && / took longer than \d+ ms$/.test(cell.message ?? ''))
            stuck.set(cell.backend, cell.caseId);
          batch.push(cell);
          last = { done, total: all };
          if (performance.now() - sentAt >= BATCH_MS || done === all) flush();
          else timer ??= setTimeout(flush, BATCH_MS);
        },
      });
      flush();
      post({ type: 'done', report });
    } catch (e) {
      post({ type: 'error', message: messageOf(e) });
    }
  };
}
