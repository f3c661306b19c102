// A preset's size parameters as form fields: each typed value checked where it is typed (its
// kind from the preset's default, its choices from the spec's presetChoices), and the preset
// built from the fields only when every one is good.
import {
  buildPreset,
  type ModelSpec,
  type PresetName,
  presetChoices,
  presetParameters,
} from '@tessera/spec';

export const presetNames = Object.keys(presetParameters) as PresetName[];

export function isPresetName(name: string | undefined): name is PresetName {
  return name !== undefined && Object.hasOwn(presetParameters, name);
}

export type FieldKind =
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'list'; length: number }
  | { kind: 'text' };

export function fieldKind(preset: PresetName, name: string): FieldKind {
  const v = presetParameters[preset][name];
  const choices = presetChoices[preset]?.[name];
  if (choices !== undefined) return { kind: 'choice', choices };
  if (typeof v === 'number') return { kind: 'number' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (Array.isArray(v)) return { kind: 'list', length: v.length };
  return { kind: 'text' };
}

/** A default as the text its field shows. */
function fieldText(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export function defaultFields(preset: PresetName): Record<string, string> {
  return Object.fromEntries(
    Object.entries(presetParameters[preset]).map(([k, v]) => [k, fieldText(v)]),
  );
}

/** One field's value, or what is wrong with it in words a person can act on. */
export function parseField(
  preset: PresetName,
  name: string,
  text: string,
): { value: unknown } | { problem: string } {
  const kind = fieldKind(preset, name);
  const t = text.trim();
  switch (kind.kind) {
    case 'number': {
      const n = t === '' ? Number.NaN : Number(t);
      return Number.isFinite(n) && n > 0 ? { value: n } : { problem: 'a number > 0' };
    }
    case 'boolean':
      return t === 'true' || t === 'false' ? { value: t === 'true' } : { problem: 'true or false' };
    case 'choice':
      return kind.choices.includes(t)
        ? { value: t }
        : { problem: `one of ${kind.choices.join(', ')}` };
    case 'list': {
      const parts = t.split(/[\s,]+/).filter((p) => p !== '');
      const values = parts.map(Number);
      return parts.length === kind.length && values.every((n) => Number.isInteger(n) && n > 0)
        ? { value: values }
        : { problem: `${kind.length} whole numbers > 0, separated by commas` };
    }
    case 'text':
      return { value: t };
  }
}

export type BuiltPreset =
  | { ok: true; spec: ModelSpec; text: string }
  | { ok: false; problems: Record<string, string> };

/**
 * Builds the preset from its fields. A field's own problem is reported at it; a spec the values
 * make invalid together (a width that does not divide, an integer size given 2.5) at `changed`,
 * the field typed last, since that is where the person is looking.
 */
export function buildFromFields(
  preset: PresetName,
  fields: Record<string, string>,
  changed?: string,
): BuiltPreset {
  const problems: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(presetParameters[preset])) {
    const r = parseField(preset, name, fields[name] ?? '');
    if ('problem' in r) problems[name] = r.problem;
    else values[name] = r.value;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  try {
    const spec = buildPreset(preset, values);
    return { ok: true, spec, text: JSON.stringify(spec, null, 2) };
  } catch (e) {
    const at = changed ?? Object.keys(presetParameters[preset])[0];
    return {
      ok: false,
      problems: { [at]: `these values make no valid ${preset}: ${(e as Error).message}` },
    };
  }
}
