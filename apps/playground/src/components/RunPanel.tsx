// The run tab: one forward pass on the chosen variant (disabled, with the reason, when it cannot
// start), its outputs, timings, the next-token guesses of a language model and the attention
// heatmaps; above them, text generation for a language model.
import type { Tokenizer } from '@tessera/lm';
import type { ReactNode } from 'react';
import { preview, topK } from '../lib/run';
import type { RunState } from '../lib/store';
import { Heatmap } from './Heatmap';

export function RunPanel(props: {
  run: RunState;
  /** Why Run cannot start, or undefined. */
  blocker: string | undefined;
  tokenizer: Tokenizer | null;
  weightsLine: string;
  onRun: () => void;
  /** The generation panel, for a language model. */
  generate?: ReactNode;
}) {
  const { run, blocker, tokenizer } = props;
  const result = run.phase === 'done' ? run.result : undefined;
  return (
    <div className="panel">
      <div className="run-line">
        <button
          type="button"
          disabled={blocker !== undefined || run.phase === 'running'}
          onClick={props.onRun}
          data-testid="run"
        >
          run forward pass
        </button>{' '}
        {blocker !== undefined ? (
          <span className="blocker" data-testid="run-blocker">
            {blocker}
          </span>
        ) : run.phase === 'running' ? (
          <span className="note">running on {run.label}…</span>
        ) : (
          <span className="note">{props.weightsLine}</span>
        )}
      </div>
      {run.phase === 'error' && (
        <pre className="error" data-testid="error">
          {run.message}
        </pre>
      )}
      {result && (
        <div className="result" data-testid="result">
          <p>
            {result.label}: compile {result.timed.compileMs.toFixed(1)} ms · first run{' '}
            {result.timed.firstRunMs.toFixed(1)} ms · median of {result.timed.runs} later runs{' '}
            {result.timed.medianMs.toFixed(2)} ms
          </p>
          {Object.entries(result.timed.outputs).map(([name, t]) => (
            <div key={name}>
              <b>{name}</b> [{t.shape.join(', ')}] {preview(t)}
              {tokenizer && name === 'logits' && t.shape.length === 3 && (
                <div className="topk">
                  next token:{' '}
                  {topK(t, 5).map((c) => (
                    <span key={c.id}>
                      {JSON.stringify(tokenizer.decode([c.id]))} {(c.p * 100).toFixed(1)}%{' '}
                    </span>
                  ))}
                </div>
              )}
            </div>
          ))}
          {result.heat.length > 0 && (
            <div className="heatmaps" data-testid="heatmaps">
              {result.heat.map((h) => (
                <Heatmap key={h.label} map={h} />
              ))}
            </div>
          )}
        </div>
      )}
      {props.generate}
    </div>
  );
}
