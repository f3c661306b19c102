// The preset picker and its size parameters as fields, each checked where it is typed (a menu
// for a parameter with choices, a checkbox for a boolean).
import type { PresetName } from '@tessera/spec';
import { fieldKind, presetNames } from '../lib/preset-fields';
import type { Action } from '../lib/store';

export function PresetForm(props: {
  preset: PresetName;
  fields: Record<string, string>;
  problems: Record<string, string>;
  dispatch: (a: Action) => void;
}) {
  const { preset, fields, problems, dispatch } = props;
  const invalid = Object.keys(problems).length > 0;
  return (
    <div className="presets" data-testid="preset-form">
      <label>
        preset{' '}
        <select
          value={preset}
          data-testid="preset"
          onChange={(e) => dispatch({ type: 'preset', preset: e.target.value as PresetName })}
        >
          {presetNames.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      {Object.entries(fields).map(([name, text]) => {
        const kind = fieldKind(preset, name);
        const set = (value: string) => dispatch({ type: 'field', name, text: value });
        const problem = problems[name];
        const id = `param-${preset}-${name}`;
        return (
          <label key={id} className="param" htmlFor={id}>
            {name}{' '}
            {kind.kind === 'choice' ? (
              <select id={id} value={text} onChange={(e) => set(e.target.value)}>
                {kind.choices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : kind.kind === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                checked={text === 'true'}
                onChange={(e) => set(String(e.target.checked))}
              />
            ) : (
              <input
                id={id}
                value={text}
                inputMode={kind.kind === 'number' ? 'decimal' : undefined}
                aria-invalid={problem !== undefined}
                data-testid={`param-${name}`}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {problem && (
              <span className="field-problem" data-testid={`param-${name}-problem`}>
                {problem}
              </span>
            )}
          </label>
        );
      })}
      {invalid && (
        <p className="note" data-testid="preset-stale">
          the spec below keeps the last values that built
        </p>
      )}
    </div>
  );
}
