// How the CLI turns a thrown error into lines on stderr and an exit code: one readable line per
// problem, naming the file and the path or tensor, and a stack only with --debug.
import {
  formatPath,
  InputError,
  SpecError,
  TesseraError,
  UnsupportedOpError,
  WeightError,
} from '@tessera/spec';

/** Exit status of a command that succeeded. */
export const EXIT_OK = 0;
/** Exit status for a bad spec, weights, inputs or file, or a failed conformance run. */
export const EXIT_FAILURE = 1;
/** Exit status for a mistake in the command line itself. */
export const EXIT_USAGE = 2;

/** A mistake in the command line itself: exit 2, with a hint to the command's --help. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A problem the user must fix in a file or an argument value (exit 1), e.g. an unreadable file. */
export class CliError extends Error {
  override name = 'CliError';
}

/**
 * Says where an error came from (`model.json`, `weights.safetensors`, `inputs`), so that its
 * issue lines can name the file. The original error is kept as `cause`.
 */
export class SourcedError extends Error {
  override name = 'SourcedError';
  constructor(
    readonly source: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Runs `fn`, attributing anything it throws to `source`. */
export async function from<T>(source: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof SourcedError || e instanceof UsageError) throw e;
    throw new SourcedError(source, e);
  }
}

/** The lines to print for an error, each one problem, prefixed by its source when known. */
export function errorLines(error: unknown): string[] {
  let source: string | undefined;
  let e = error;
  if (e instanceof SourcedError) {
    source = e.source;
    e = e.cause;
  }
  const prefix = source === undefined ? '' : `${source}: `;
  if (e instanceof SpecError) {
    const lines = e.issues.map((i) => `${prefix}${formatPath(i.path)}: ${i.message}`);
    if (e.total > e.issues.length) lines.push(`${prefix}... and ${e.total - e.issues.length} more`);
    return lines;
  }
  if (e instanceof WeightError || e instanceof InputError)
    return e.issues.map((i) => `${prefix}${i.name}: ${i.message}`);
  if (
    e instanceof UnsupportedOpError ||
    e instanceof TesseraError ||
    e instanceof CliError ||
    e instanceof UsageError
  ) {
    return e.message.split('\n').map((line) => `${prefix}${line}`);
  }
  if (e instanceof Error) {
    // Node's file errors carry the syscall and path; say them plainly.
    const code = (e as NodeJS.ErrnoException).code;
    const path = (e as NodeJS.ErrnoException).path;
    if (code === 'ENOENT' && path !== undefined) return [`${prefix}${path}: no such file`];
    if (code === 'EISDIR' && path !== undefined) return [`${prefix}${path}: is a directory`];
    if (code === 'EACCES' && path !== undefined) return [`${prefix}${path}: permission denied`];
    return `${prefix}${e.message || e.name}`.split('\n');
  }
  return [`${prefix}${String(e)}`];
}

/** Exit status for an error: 2 for usage, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

/** The stack (and causes) of an error, for --debug. */
export function debugLines(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    out.push(...(e instanceof Error ? (e.stack ?? String(e)) : String(e)).split('\n'));
    e = e instanceof Error ? e.cause : undefined;
    if (e !== undefined) out.push('caused by:');
  }
  return out;
}
