// The error classes every package throws. Each carries the path or the name of what is wrong,
// so that a person can find it in their spec, weights file or inputs.

/** A JSON path into a spec, as keys and indices: `['nodes', 3, 'numHeads']`. */
export type IssuePath = (string | number)[];

/** One problem parseSpec found: where in the spec, and what is wrong there. */
export interface SpecIssue {
  /** JSON path into the spec, e.g. ['nodes', 3, 'numHeads']. */
  path: IssuePath;
  message: string;
}

/** Formats a JSON path as `nodes[3].numHeads`; the root is `(spec)`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(spec)' : out;
}

/** The base of every error class Tessera throws (SpecError, WeightError, InputError, ...). */
export class TesseraError extends Error {
  override name = 'TesseraError';
}

/** The most issues an error keeps, and the most its message lists. */
export const MAX_ISSUES = 100;
const MAX_LISTED = 20;

/**
 * A value as an error message echoes it: JSON, cut past `max` characters with the full length
 * given, so that a 10 MB attribute never comes back as a 10 MB message.
 */
export function quote(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= max) return typeof value === 'string' ? JSON.stringify(value) : text;
  const head = text.slice(0, max);
  return `${typeof value === 'string' ? JSON.stringify(head).slice(0, -1) : head}…${typeof value === 'string' ? '"' : ''} (${text.length.toLocaleString('en-US')} characters)`;
}

/** Collects issues, keeping the first MAX_ISSUES and counting the rest (linear in the spec). */
export class IssueList<T> {
  /** The first MAX_ISSUES issues. */
  readonly kept: T[] = [];
  /** How many more were pushed and not kept. */
  omitted = 0;
  /** Keeps the issue, or counts it once MAX_ISSUES are kept. */
  push(issue: T): void {
    if (this.kept.length < MAX_ISSUES) this.kept.push(issue);
    else this.omitted++;
  }
  /** Every issue pushed, kept or not. */
  get length(): number {
    return this.kept.length + this.omitted;
  }
}

function listed<T>(kind: string, issues: T[], total: number, line: (i: T) => string): string {
  if (total === 1 && issues.length === 1) return line(issues[0]);
  const shown = issues.slice(0, MAX_LISTED).map((i) => `  ${line(i)}`);
  if (total > shown.length) shown.push(`  ... and ${total - shown.length} more`);
  return `${total} problems ${kind}:\n${shown.join('\n')}`;
}

/**
 * A spec that does not parse or whose shapes do not fit: every problem, each with its JSON path.
 */
export class SpecError extends TesseraError {
  override name = 'SpecError';
  /** The first MAX_ISSUES problems. */
  readonly issues: SpecIssue[];
  /** How many problems were found, those not kept included. */
  readonly total: number;
  constructor(issues: SpecIssue[] | IssueList<SpecIssue>) {
    const list = issues instanceof IssueList ? issues.kept : issues;
    const total = issues.length;
    super(listed('in the spec', list, total, (i) => `${formatPath(i.path)}: ${i.message}`));
    this.issues = list.slice(0, MAX_ISSUES);
    this.total = total;
  }
}

/** One problem with a weight or an input, named as the user named it. */
export interface NamedIssue {
  /** A weight's or an input's name, e.g. `enc.weight_ih_l0`. */
  name: string;
  message: string;
}

function namedMessage(kind: string, issues: NamedIssue[]): string {
  return listed(`with the ${kind}`, issues, issues.length, (i) => `${i.name}: ${i.message}`);
}

/**
 * Weights missing, misshapen or unreadable (a safetensors file's problems too), each by its name.
 */
export class WeightError extends TesseraError {
  override name = 'WeightError';
  readonly issues: NamedIssue[];
  constructor(issues: NamedIssue[] | string, name = '(weights)') {
    const list = typeof issues === 'string' ? [{ name, message: issues }] : issues;
    super(namedMessage('weights', list));
    this.issues = list;
  }
}

/** Inputs a model cannot run on (names, dtypes, shapes, id ranges, limits), each by its name. */
export class InputError extends TesseraError {
  override name = 'InputError';
  readonly issues: NamedIssue[];
  constructor(issues: NamedIssue[] | string, name = '(inputs)') {
    const list = typeof issues === 'string' ? [{ name, message: issues }] : issues;
    super(namedMessage('inputs', list));
    this.issues = list;
  }
}

/** An op the backend cannot run, with the reason and, where known, the node's id. */
export class UnsupportedOpError extends TesseraError {
  override name = 'UnsupportedOpError';
  constructor(
    readonly op: string,
    readonly reason: string,
    readonly nodeId?: string,
  ) {
    super(
      `${nodeId === undefined ? '' : `node ${JSON.stringify(nodeId)}: `}op ${JSON.stringify(op)} is not supported: ${reason}`,
    );
  }
}

// Terminal colour codes (ESC [ ... m) that some runtimes put into their messages.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what is being removed.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const OUT_OF_MEMORY =
  /out of memory|alloc|Invalid typed array length|Array buffer allocation|memory access out of bounds|Integer overflow|BFCArena|bad_alloc/i;

/**
 * A runtime's own failure during a run (an allocation too large for it, an overflow in its
 * allocator, a kernel error): the runtime's message without terminal colour codes and empty
 * lines, the backend and, where known, the node; the runtime's error as `cause`.
 */
export class RuntimeFailure extends TesseraError {
  override name = 'RuntimeFailure';
  readonly outOfMemory: boolean;
  constructor(
    readonly backend: string,
    cause: unknown,
    readonly nodeId?: string,
  ) {
    const raw = cause instanceof Error ? cause.message : String(cause);
    const text = raw
      .replace(ANSI, '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^error:?$/i.test(line))
      .join('; ');
    const shown =
      text.length > 400
        ? `${text.slice(0, 400)}… (${text.length.toLocaleString('en-US')} characters)`
        : text;
    const outOfMemory = OUT_OF_MEMORY.test(text);
    const where = nodeId === undefined ? '' : ` at node ${JSON.stringify(nodeId)}`;
    super(
      `${backend} failed${where}: ${shown}${
        outOfMemory
          ? ' (the runtime could not allocate a tensor: the model or its inputs are too large for it; the default limits refuse such runs before they start)'
          : ''
      }`,
      { cause },
    );
    this.outOfMemory = outOfMemory;
  }
}

/** A Tessera error as it is; anything else a runtime threw, as a RuntimeFailure. */
export function asRuntimeFailure(e: unknown, backend: string, nodeId?: string): TesseraError {
  return e instanceof TesseraError ? e : new RuntimeFailure(backend, e, nodeId);
}
