// The options every example accepts: --quick (a few steps: checks the pipeline, not the figures),
// --seed N (everything random derives from it), --out DIR (where weights and reports go), and
// the boolean flags an example adds of its own (speech's --padded).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ExampleOptions {
  quick: boolean;
  seed: number;
  out: string;
  /** The example's own boolean flags, each false unless given. */
  flags: Record<string, boolean>;
}

export function exampleOptions(
  defaultOut: string,
  argv = process.argv.slice(2),
  flags: readonly string[] = [],
): ExampleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      ...Object.fromEntries(flags.map((f) => [f, { type: 'boolean' as const, default: false }])),
    },
    strict: true,
  });
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`--seed must be a non-negative integer, got ${values.seed}`);
  const out = resolve(values.out ?? defaultOut);
  mkdirSync(out, { recursive: true });
  const own = values as Record<string, unknown>;
  return {
    quick: values.quick ?? false,
    seed,
    out,
    flags: Object.fromEntries(flags.map((f) => [f, own[f] === true])),
  };
}

/** Wall-clock seconds since `start` (performance.now()), one decimal. */
export const seconds = (start: number): string => ((performance.now() - start) / 1000).toFixed(1);
