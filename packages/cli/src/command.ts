// The shape of a command: its help text, its options and the function that runs it.
import type { OptionSpec, Parsed } from './args.js';
import type { Resolver } from './backends.js';
import type { Io } from './io.js';

/** What a command runs with: its streams and working directory, and the backend resolver. */
export interface Context {
  io: Io;
  resolver: Resolver;
}

/** One `tessera` command: its name, help texts, options and the function that runs it. */
export interface Command {
  name: string;
  /** One line for `tessera --help`. */
  summary: string;
  /** The full `tessera <cmd> --help` text, starting with the usage line. */
  help: string;
  options: OptionSpec;
  /** Returns the exit status; throws UsageError (2) or anything else (1). */
  run(parsed: Parsed, ctx: Context): Promise<number>;
}
