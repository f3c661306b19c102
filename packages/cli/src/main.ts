// The entry point: picks the command, runs it, and turns whatever it throws into stderr lines
// and an exit status (0 ok, 1 bad spec/weights/inputs or failed conformance, 2 usage).
import { flag, parse } from './args.js';
import { createResolver, type Importer, type Resolver } from './backends.js';
import type { Command } from './command.js';
import { bench } from './commands/bench.js';
import { conformance } from './commands/conformance.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { importCommand } from './commands/import.js';
import { initWeightsCommand } from './commands/init-weights.js';
import { inspect } from './commands/inspect.js';
import { preset } from './commands/preset.js';
import { run } from './commands/run.js';
import { train } from './commands/train.js';
import { typesCommand } from './commands/types.js';
import { validate } from './commands/validate.js';
import { debugLines, EXIT_OK, EXIT_USAGE, errorLines, exitCodeOf, UsageError } from './errors.js';
import { defaultIo, type Io, print } from './io.js';

/** Every `tessera` command, in the order `tessera --help` lists them. */
export const commands: Command[] = [
  validate,
  inspect,
  preset,
  importCommand,
  initWeightsCommand,
  run,
  generateCommand,
  exportCommand,
  typesCommand,
  conformance,
  train,
  bench,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: tessera <command> [options]

Tessera: declarative neural-network specs run on interchangeable backends.

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "tessera <command> --help" for a command's options. Every command accepts --debug, which
prints stack traces. Exit status: 0 ok, 1 a bad spec, weights or inputs or a failed conformance
run, 2 a usage error.`;
}

/**
 * What main runs with instead of the process's own streams, directory and imports (for tests and
 * other tools).
 */
export interface MainOptions {
  io?: Partial<Io>;
  /** How backend packages are imported; tests substitute fakes. */
  importer?: Importer;
  resolver?: Resolver;
}

/**
 * Runs `tessera <argv...>` and resolves to the exit status; never throws.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2)); // what the `tessera` binary does
 * const out: string[] = [];
 * const status = await main(['validate', 'model.json'], {
 *   io: { stdout: { write: (text) => out.push(text) } },
 * });
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io: Io = { ...defaultIo(), ...options.io };
  const resolver = options.resolver ?? createResolver(options.importer);
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const target = topic === undefined ? undefined : commands.find((c) => c.name === topic);
      if (topic !== undefined && target === undefined)
        throw new UsageError(`unknown command ${JSON.stringify(topic)}`);
      print(name === undefined ? io.stderr : io.stdout, target?.help ?? overview());
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      print(io.stdout, await version());
      return EXIT_OK;
    }
    command = commands.find((c) => c.name === name);
    if (command === undefined)
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}; commands: ${commands.map((c) => c.name).join(', ')}`,
      );
    const parsed = parse(command.name, rest, command.options);
    if (flag(parsed, 'help')) {
      print(io.stdout, command.help);
      return EXIT_OK;
    }
    return await command.run(parsed, { io, resolver });
  } catch (e) {
    for (const line of errorLines(e)) print(io.stderr, `error: ${line}`);
    if (e instanceof UsageError) {
      const cmd = e.command ?? command?.name;
      print(
        io.stderr,
        cmd === undefined
          ? 'run "tessera --help" for the commands'
          : `run "tessera ${cmd} --help" for its options`,
      );
    }
    if (debug) print(io.stderr, ...debugLines(e));
    return exitCodeOf(e);
  }
}

async function version(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const url = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
