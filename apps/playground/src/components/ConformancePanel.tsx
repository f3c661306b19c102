// The conformance tab: the whole catalogue on every browser variant, in a Web Worker
// (src/lib/use-conformance.ts): a progress bar with the time left, Cancel, the variants that
// cannot start with their reasons, and the cases × variants grid coloured by status (each
// cell's tooltip is conformance's own description of it), then the JSON report.
import {
  type CellStatus,
  cellStatuses,
  describeFailure,
  renderTerminal,
  reportToJSON,
} from '@tessera/conformance';
import { useMemo } from 'react';
import {
  type ConformanceRun,
  cellKey,
  etaSeconds,
  isConformanceRunning,
} from '../lib/use-conformance';

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function ConformancePanel(props: {
  run: ConformanceRun;
  labels: readonly string[];
  /** What the page could not start, with its reasons. */
  unavailable: readonly { label: string; reason: string }[];
  caseCount: number;
  onDownload: (name: string, data: string) => void;
}) {
  const { state } = props.run;
  const running = isConformanceRunning(state);
  const eta = etaSeconds(state);
  const counts = useMemo(() => {
    const c = Object.fromEntries(cellStatuses.map((s) => [s, 0])) as Record<CellStatus, number>;
    for (const cell of Object.values(state.cells)) c[cell.status]++;
    return c;
  }, [state.cells]);
  const unavailable = state.columns.filter((c) => !c.available);
  return (
    <div className="panel" data-testid="conformance-panel" data-phase={state.phase}>
      <div className="run-line">
        {running ? (
          <button type="button" onClick={props.run.cancel} data-testid="conformance-cancel">
            cancel
          </button>
        ) : (
          <button
            type="button"
            onClick={() => props.run.start(props.labels, props.unavailable)}
            data-testid="conformance"
          >
            run the conformance catalogue on this device ({props.caseCount} cases ×{' '}
            {props.labels.length} variants, in Web Workers)
          </button>
        )}
        {state.phase !== 'idle' && (
          <span className="progress-wrap">
            <progress
              value={state.done}
              max={Math.max(1, state.total)}
              data-testid="conformance-progress"
            />{' '}
            <span data-testid="conformance-status">
              {state.phase === 'starting'
                ? 'starting the variants in the worker…'
                : `${state.done} / ${state.total} cells`}
              {state.phase === 'running' && eta !== undefined
                ? ` · about ${formatSeconds(eta)} left`
                : ''}
              {state.phase === 'cancelled' ? ' · cancelled' : ''}
              {state.phase === 'done' && state.report
                ? ` · done in ${formatSeconds(state.report.durationMs / 1000)}`
                : ''}
            </span>
          </span>
        )}
      </div>
      {state.error && <pre className="error">{state.error}</pre>}
      {unavailable.length > 0 && (
        <div className="unavailable" data-testid="conformance-unavailable">
          cannot start in this browser (or in its Web Worker):
          <ul>
            {unavailable.map((c) => (
              <li key={c.label}>
                <b>{c.label}</b>: {c.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.rows.length > 0 && (
        <>
          <p className="legend">
            {cellStatuses.map((s) => (
              <span key={s} className={`swatch ${s}`}>
                {s} {counts[s]}
              </span>
            ))}
          </p>
          <div className="grid-wrap">
            <table className="grid" data-testid="conformance-grid">
              <thead>
                <tr>
                  <th>case</th>
                  {state.columns.map((c) => (
                    <th key={c.label} className={c.available ? '' : 'off'}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.rows.map((row) => (
                  <tr key={row}>
                    <th>{row}</th>
                    {state.columns.map((c) => {
                      const cell = state.cells[cellKey(row, c.label)];
                      return (
                        <td
                          key={c.label}
                          className={cell ? `cell ${cell.status}` : 'cell pending'}
                          title={cell ? describeFailure(cell) : 'not run yet'}
                        />
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {state.report && (
        <>
          <button
            type="button"
            onClick={() =>
              props.onDownload(
                'conformance.json',
                JSON.stringify(reportToJSON(state.report!), null, 2),
              )
            }
          >
            download JSON report
          </button>
          <details>
            <summary>the CLI's matrix</summary>
            <pre className="report" data-testid="report">
              {renderTerminal(state.report, { color: false })}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}
