// The error classes every package throws. Each carries the path or the name of what is wrong,
// so that a person can find it in their spec, weights file or inputs.

export type IssuePath = (string | number)[];

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

export class TesseraError extends Error {
  override name = 'TesseraError';
}

export class SpecError extends TesseraError {
  override name = 'SpecError';
  readonly issues: SpecIssue[];
  constructor(issues: SpecIssue[]) {
    super(
      issues.length === 1
        ? `${formatPath(issues[0].path)}: ${issues[0].message}`
        : `${issues.length} problems in the spec:\n${issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

export interface NamedIssue {
  /** A weight's or an input's name, e.g. `enc.weight_ih_l0`. */
  name: string;
  message: string;
}

function namedMessage(kind: string, issues: NamedIssue[]): string {
  if (issues.length === 1) return `${issues[0].name}: ${issues[0].message}`;
  return `${issues.length} problems with the ${kind}:\n${issues.map((i) => `  ${i.name}: ${i.message}`).join('\n')}`;
}

export class WeightError extends TesseraError {
  override name = 'WeightError';
  readonly issues: NamedIssue[];
  constructor(issues: NamedIssue[] | string, name = '(weights)') {
    const list = typeof issues === 'string' ? [{ name, message: issues }] : issues;
    super(namedMessage('weights', list));
    this.issues = list;
  }
}

export class InputError extends TesseraError {
  override name = 'InputError';
  readonly issues: NamedIssue[];
  constructor(issues: NamedIssue[] | string, name = '(inputs)') {
    const list = typeof issues === 'string' ? [{ name, message: issues }] : issues;
    super(namedMessage('inputs', list));
    this.issues = list;
  }
}

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
