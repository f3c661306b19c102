// The options every example accepts: --quick (a few steps: checks the pipeline, not the figures),
// --seed N (everything random derives from it), --out DIR (where weights and reports go).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ExampleOptions {
  quick: boolean;
  seed: number;
  out: string;
}

export function exampleOptions(defaultOut: string, argv = process.argv.slice(2)): ExampleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`--seed must be a non-negative integer, got ${values.seed}`);
  const out = resolve(values.out ?? defaultOut);
  mkdirSync(out, { recursive: true });
  return { quick: values.quick ?? false, seed, out };
}

/** Wall-clock seconds since `start` (performance.now()), one decimal. */
export const seconds = (start: number): string => ((performance.now() - start) / 1000).toFixed(1);
