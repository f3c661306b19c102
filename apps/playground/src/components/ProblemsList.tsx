// The spec's problems as a list under the editor, each at its line and column; a click selects
// it in the editor.
import type { Diagnostic } from '../lib/diagnostics';

export function ProblemsList(props: {
  diagnostics: readonly Diagnostic[];
  onPick: (d: Diagnostic) => void;
}) {
  const { diagnostics } = props;
  return (
    <div className="problems" data-testid="problems">
      {diagnostics.length === 0 ? (
        <span className="ok">spec ok</span>
      ) : (
        <ul>
          {diagnostics.map((d) => (
            <li key={`${d.path}:${d.from}:${d.message}`}>
              <button
                type="button"
                className="problem"
                onClick={() => props.onPick(d)}
                data-testid="problem"
              >
                <span className="where">
                  {d.line}:{d.column}
                </span>{' '}
                <b>{d.path}</b>: {d.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
