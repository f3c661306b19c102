// The compare tab: every variant on the same inputs, judged by conformance's tolerance check
// against the float64 reference.
import { defaultTolerance } from '@tessera/conformance';
import type { State } from '../lib/store';

export function ComparePanel(props: {
  compare: State['compare'];
  blocker: string | undefined;
  onCompare: () => void;
}) {
  const { compare, blocker } = props;
  return (
    <div className="panel">
      <button
        type="button"
        disabled={compare.running || blocker !== undefined}
        onClick={props.onCompare}
        data-testid="compare"
      >
        compare every available backend
      </button>{' '}
      {blocker && <span className="blocker">{blocker}</span>}
      {compare.error && <pre className="error">{compare.error}</pre>}
      <table className="matrix" data-testid="compare-table">
        <thead>
          <tr>
            <th>backend</th>
            <th>result</th>
            <th>max abs</th>
            <th>max rel</th>
            <th>median ms</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {compare.rows.map((r) => (
            <tr key={r.label} className={r.status}>
              <td>{r.label}</td>
              <td>{r.status}</td>
              <td>{r.maxAbs?.toExponential(2) ?? ''}</td>
              <td>{r.maxRel?.toExponential(2) ?? ''}</td>
              <td>{r.ms?.toFixed(2) ?? ''}</td>
              <td className="detail">{r.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        pass: every element within |got − want| ≤ {defaultTolerance.atol} + {defaultTolerance.rtol}
        ·|want| of the float64 reference (conformance's judge).
      </p>
    </div>
  );
}
