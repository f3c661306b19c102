import {
  buildPreset,
  formatPath,
  type PresetName,
  presetChoices,
  presetParameters,
  presets,
  SpecError,
} from '@tessera/spec';
import { positionals, str, strs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK, from, UsageError } from '../errors.js';
import { print, writeFile } from '../io.js';

const names = Object.keys(presets) as PresetName[];

/** Accepts the camelCase name (`rnnClassifier`) or its kebab-case form (`rnn-classifier`). */
function presetName(text: string): PresetName {
  const camel = text.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const found = names.find((n) => n === camel || n.toLowerCase() === camel.toLowerCase());
  if (found === undefined)
    throw new UsageError(
      `unknown preset ${JSON.stringify(text)}; presets: ${names.join(', ')}`,
      'preset',
    );
  return found;
}

function describe(v: unknown): string {
  return Array.isArray(v)
    ? 'a JSON array of numbers'
    : typeof v === 'number'
      ? 'a number'
      : typeof v === 'boolean'
        ? 'true or false'
        : 'a string';
}

/**
 * `key=value` → a value of the type of the parameter's default: numbers and booleans parsed,
 * arrays as JSON (`channels=[8,16]`), strings (enums such as `cell=gru`) as written.
 */
export function parseSetting(preset: PresetName, text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new UsageError(`--set expects key=value, got ${JSON.stringify(text)}`, 'preset');
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const defaults = presetParameters[preset];
  if (!Object.hasOwn(defaults, key)) {
    throw new UsageError(
      `${preset} has no parameter ${JSON.stringify(key)}; its parameters: ${Object.keys(defaults).join(', ')}`,
      'preset',
    );
  }
  const def = defaults[key];
  const choices = presetChoices[preset]?.[key];
  if (choices !== undefined && !choices.includes(raw))
    throw new UsageError(
      `--set ${key} must be one of ${choices.join(', ')} (default ${JSON.stringify(def)}), got ${JSON.stringify(raw)}`,
      'preset',
    );
  let value: unknown = raw;
  if (typeof def !== 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
  }
  const ok = Array.isArray(def)
    ? Array.isArray(value) && value.every((x) => typeof x === 'number')
    : typeof value === typeof def && (typeof value !== 'number' || Number.isFinite(value));
  if (!ok)
    throw new UsageError(
      `--set ${key} must be ${describe(def)} (default ${JSON.stringify(def)}), got ${JSON.stringify(raw)}`,
      'preset',
    );
  return [key, value];
}

function listing(): string {
  return names
    .map(
      (n) =>
        `  ${n}: ${Object.entries(presetParameters[n])
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(' ')}`,
    )
    .join('\n');
}

/** `tessera preset`: writes the spec of a built-in architecture at chosen sizes. */
export const preset: Command = {
  name: 'preset',
  summary: 'write the spec of a built-in architecture',
  get help() {
    return `usage: tessera preset <name> [--set key=value ...] [-o spec.json]

Writes the spec of a preset (to stdout unless -o is given). Names may be camelCase or
kebab-case. Values are parsed as the type of the parameter's default: numbers, true/false,
JSON arrays (channels=[8,16]) or strings (cell=gru).

options:
  --set key=value   override a parameter (repeatable)
  -o, --output      the file to write

presets and their parameters (defaults):
${listing()}`;
  },
  options: { set: { type: 'string', multiple: true }, output: { type: 'string', short: 'o' } },
  async run(parsed, { io }) {
    const [text] = positionals('preset', parsed, ['name']);
    const name = presetName(text);
    const options = Object.fromEntries(strs(parsed, 'set').map((s) => parseSetting(name, s)));
    const spec = await from(`preset ${name}`, () => {
      try {
        return buildPreset(name, options);
      } catch (e) {
        // Sizes that give no valid spec (an image too small for the convolutions): say which
        // settings, then what the spec would have been wrong about.
        if (!(e instanceof SpecError) || Object.keys(options).length === 0) throw e;
        const given = Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        throw new UsageError(
          `${name} cannot be built with ${given.join(', ')}: the spec it gives is invalid (${e.issues[0] === undefined ? e.message : `${formatPath(e.issues[0].path)}: ${e.issues[0].message}`})`,
          'preset',
        );
      }
    });
    const json = `${JSON.stringify(spec, null, 2)}\n`;
    const out = str(parsed, 'output');
    if (out === undefined) io.stdout.write(json);
    else {
      writeFile(io, out, json);
      print(io.stdout, `wrote ${name} (${spec.nodes.length} nodes) to ${out}`);
    }
    return EXIT_OK;
  },
};
