// The backend menu (every browser variant of the bundled manifests; one that cannot start here is
// greyed, its reason listed in plain words below), the seed and the bindings.
import { type Availability, backendOptions, isAvailable } from '../lib/backends';
import type { Action } from '../lib/store';

export function Controls(props: {
  backend: string;
  seed: number;
  bindingText: string;
  availability: readonly Availability[];
  dispatch: (a: Action) => void;
}) {
  const { availability, dispatch } = props;
  const unavailable = availability.filter(
    (a): a is Exclude<Availability, { backend: unknown }> => !isAvailable(a),
  );
  return (
    <div className="controls">
      <label>
        backend{' '}
        <select
          value={props.backend}
          onChange={(e) => dispatch({ type: 'backend', label: e.target.value })}
          data-testid="backend"
        >
          {backendOptions.map((o) => {
            const a = availability.find((x) => x.label === o.label);
            const off = a === undefined || !isAvailable(a);
            return (
              <option
                key={o.label}
                value={o.label}
                disabled={off}
                title={a && !isAvailable(a) ? a.reason : undefined}
              >
                {o.label}
                {a === undefined ? ' (starting…)' : off ? ' (unavailable)' : ''}
              </option>
            );
          })}
        </select>
      </label>
      <label>
        seed{' '}
        <input
          type="number"
          value={props.seed}
          onChange={(e) => dispatch({ type: 'seed', seed: Number(e.target.value) || 0 })}
        />
      </label>
      <label>
        bind{' '}
        <input
          value={props.bindingText}
          onChange={(e) => dispatch({ type: 'bindings', text: e.target.value })}
        />
      </label>
      {unavailable.length > 0 && (
        <details className="unavailable" data-testid="unavailable">
          <summary>
            {unavailable.length} of {backendOptions.length} variants cannot start in this browser
          </summary>
          <ul>
            {unavailable.map((a) => (
              <li key={a.label} title={a.detail}>
                <b>{a.label}</b>: {a.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
