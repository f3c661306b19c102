// Command-line parsing on node's util.parseArgs, with every mistake turned into a UsageError.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies OptionSpec;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    // parseArgs's messages are already plain ("Unknown option '--x'"); drop its hint about `--`.
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, command);
  }
}

export function str(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(parsed: Parsed, name: string): string[] {
  const v = parsed.values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

export function required(command: string, parsed: Parsed, name: string, what: string): string {
  const v = str(parsed, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} ${what} is required`, command);
  return v;
}

/** The command's positional arguments, exactly `names.length` of them. */
export function positionals(command: string, parsed: Parsed, names: string[]): string[] {
  if (parsed.positionals.length < names.length) {
    throw new UsageError(
      `missing ${names
        .slice(parsed.positionals.length)
        .map((n) => `<${n}>`)
        .join(' ')}`,
      command,
    );
  }
  if (parsed.positionals.length > names.length) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[names.length])}`,
      command,
    );
  }
  return parsed.positionals;
}

/** An integer option; `undefined` when absent. */
export function int(
  command: string,
  parsed: Parsed,
  name: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  const text = str(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''}, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return n;
}

/** A positive finite number option; `undefined` when absent. */
export function positiveNumber(command: string, parsed: Parsed, name: string): number | undefined {
  const text = str(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(
      `--${name} must be a positive number, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return n;
}

/** `--bind batch=2,time=16` (repeatable) → { batch: 2, time: 16 }. */
export function bindings(command: string, parsed: Parsed): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of strs(parsed, 'bind')) {
    for (const pair of group.split(',')) {
      if (pair.trim() === '') continue;
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(pair);
      if (m === null || Number(m[2]) < 1) {
        throw new UsageError(
          `--bind expects name=size with a positive integer size (e.g. batch=2,time=16), got ${JSON.stringify(pair)}`,
          command,
        );
      }
      out[m[1]] = Number(m[2]);
    }
  }
  return out;
}

/** `--bind` names that are not dims of the spec's inputs: a usage error listing those that are. */
export function checkBindNames(
  command: string,
  bind: Record<string, number>,
  spec: { inputs: Record<string, { shape: readonly (number | string)[] }> },
): void {
  const dims = new Set(
    Object.values(spec.inputs).flatMap((i) => i.shape.filter((d) => typeof d === 'string')),
  );
  const unknown = Object.keys(bind).filter((k) => !dims.has(k));
  if (unknown.length > 0)
    throw new UsageError(
      `--bind ${unknown.join(', ')}: not a dim of the spec's inputs (its symbolic dims: ${dims.size === 0 ? 'none' : [...dims].join(', ')})`,
      command,
    );
}

/** A comma-separated list option, empty items dropped. */
export function list(parsed: Parsed, name: string): string[] {
  return strs(parsed, name)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
