// One cell of the matrix: compile a case on one backend, run it, compare every output with the
// reference, dispose. Shared by the runner and the vitest helper (decoding cells: decode.ts).
import {
  type Backend,
  type CompiledModel,
  type CompileOptions,
  type Tensor,
  UnsupportedOpError,
} from '@tessera/spec';
import type { ConformanceCase } from './case.js';
import { type Comparison, compareTensors } from './compare.js';
import type { Expected } from './reference.js';
import type { Tolerance } from './tolerance.js';

/**
 * How a cell came out: `pass` or `fail` against the reference, `unsupported` (the backend
 * declines an op), `error` (it threw), `expected-fail` or `unexpected-pass` (a cell of the
 * expectations list), `unavailable` (the backend could not start).
 */
export type CellStatus =
  | 'pass'
  | 'fail'
  | 'unsupported'
  | 'error'
  | 'expected-fail'
  | 'unexpected-pass'
  | 'unavailable';

/**
 * `run`: one `model.run` on the whole input. `decode`: the inputs fed to `model.decoder()` a
 * chunk of positions at a time, the step outputs joined along time (decode.ts).
 */
export type CellKind = 'run' | 'decode';

/** Where a failing cell is furthest from the reference. */
export interface FailureDetail extends Comparison {
  /** The spec output name. */
  output: string;
  /** Decoding cells: the step (1-based) whose outputs hold the worst element. */
  step?: number;
}

/**
 * One cell of the matrix: a case (or its decoding) on one backend, its status and the evidence for
 * it.
 */
export interface CellResult {
  /** The case id; a decoding cell's is the case id with `/decode` after it. */
  caseId: string;
  /** `run` when absent. */
  kind?: CellKind;
  /** Decoding cells: the positions each step fed, in order. */
  chunks?: number[];
  /** The backend entry's label, e.g. `ort:node`. */
  backend: string;
  status: CellStatus;
  /** The tolerance the cell was judged by. */
  tolerance: Tolerance;
  /** Over every output, for pass and fail cells. */
  maxAbsError?: number;
  maxRelError?: number;
  /** The worst output of a failing (or expected-fail) cell. */
  failure?: FailureDetail;
  /** Why: unsupported, unavailable, or the listed reason of an expected failure or unexpected pass. */
  reason?: string;
  /** The error message of an error cell (kept under expected-fail too). */
  message?: string;
  /** Milliseconds for compile + run + compare. */
  ms?: number;
}

export function isUnsupported(e: unknown): e is UnsupportedOpError {
  return e instanceof UnsupportedOpError || (e instanceof Error && e.name === 'UnsupportedOpError');
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

/** The first op of the spec the backend declines, as `op: reason`. */
export function unsupportedReason(
  backend: Backend,
  c: { spec: { nodes: { op: string }[] } },
): string | undefined {
  for (const op of new Set(c.spec.nodes.map((n) => n.op))) {
    const s = backend.supports(op);
    if (s !== true) return `${op}: ${s}`;
  }
  return undefined;
}

export function copyTensor(t: Tensor): Tensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() } as Tensor;
}

/** Fresh copies, so that a backend that mutates what it is given cannot poison the cells after it. */
export function copies(expected: Expected) {
  return {
    spec: structuredClone(expected.spec),
    weights: new Map([...expected.weights].map(([k, t]) => [k, copyTensor(t)])),
    inputs: Object.fromEntries(Object.entries(expected.inputs).map(([k, t]) => [k, copyTensor(t)])),
  };
}

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number | undefined,
  what: string,
): Promise<T> {
  if (ms === undefined) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Compares every output of the spec; the failure reported is the output furthest outside the
 * tolerance. `problems` names outputs that could not be assembled, with the reason (a decoding
 * cell's step that gave a wrong shape); they fail like a missing output.
 */
export function judge(
  got: Record<string, Tensor>,
  expected: Expected,
  tol: Tolerance,
  problems: Record<string, string> = {},
) {
  let maxAbs = 0;
  let maxRel = 0;
  let worst: FailureDetail | undefined;
  for (const [name, want] of Object.entries(expected.outputs)) {
    const g = got?.[name];
    // Own keys only: outputs may be named toString or constructor (edge/js-names).
    const problem = Object.hasOwn(problems, name) ? problems[name] : undefined;
    const cmp: Comparison =
      problem !== undefined ||
      g === undefined ||
      g === null ||
      typeof g !== 'object' ||
      g.data === undefined
        ? {
            ok: false,
            reason: problem ?? `output ${JSON.stringify(name)} is missing`,
            maxAbsError: Number.POSITIVE_INFINITY,
            maxRelError: 0,
            mismatches: want.data.length,
            worstIndex: -1,
            worstPosition: [],
            worstRatio: Number.POSITIVE_INFINITY,
            got: Number.NaN,
            want: Number.NaN,
          }
        : compareTensors(g, want, tol);
    maxAbs = Math.max(maxAbs, cmp.maxAbsError);
    maxRel = Math.max(maxRel, cmp.maxRelError);
    if (!cmp.ok && (worst === undefined || cmp.worstRatio > worst.worstRatio))
      worst = { output: name, ...cmp };
  }
  return { ok: worst === undefined, maxAbsError: maxAbs, maxRelError: maxRel, failure: worst };
}

/** How one cell runs: the variant's label in reports, the tolerance, a timeout, compile options. */
export interface CellOptions {
  /** The backend variant as reports name it (`ort:node`). */
  label: string;
  /** The case's tolerance (its own widening already applied). */
  tolerance: Tolerance;
  /** Fail a cell whose compile + run takes longer than this. */
  timeoutMs?: number;
  /** Passed to `backend.compile` (an ORT attention path, an opset, a kernel-source hook). */
  compileOptions?: CompileOptions;
}

/** A pass or fail cell from outputs already computed: `judge` over every output of the case. */
export function judgeCell(
  caseId: string,
  label: string,
  got: Record<string, Tensor>,
  expected: Expected,
  tolerance: Tolerance,
  problems?: Record<string, string>,
): CellResult {
  const verdict = judge(got, expected, tolerance, problems);
  return {
    caseId,
    backend: label,
    tolerance,
    status: verdict.ok ? 'pass' : 'fail',
    maxAbsError: verdict.maxAbsError,
    maxRelError: verdict.maxRelError,
    ...(verdict.failure ? { failure: verdict.failure } : {}),
  };
}

/** Runs one case on one backend. Never throws: every outcome is a status. */
export async function runCell(
  backend: Backend,
  c: ConformanceCase,
  expected: Expected,
  o: CellOptions,
): Promise<CellResult> {
  const base = { caseId: c.id, backend: o.label, tolerance: o.tolerance };
  const unsupported = unsupportedReason(backend, expected);
  if (unsupported !== undefined) return { ...base, status: 'unsupported', reason: unsupported };
  const started = performance.now();
  let model: CompiledModel | undefined;
  let result: CellResult;
  try {
    const given = copies(expected);
    model = await withTimeout(
      backend.compile(given.spec, given.weights, o.compileOptions),
      o.timeoutMs,
      'compile',
    );
    const got = await withTimeout(model.run(given.inputs), o.timeoutMs, 'run');
    result = judgeCell(c.id, o.label, got, expected, o.tolerance);
  } catch (e) {
    result = isUnsupported(e)
      ? { ...base, status: 'unsupported', reason: e.message }
      : { ...base, status: 'error', message: errorMessage(e) };
  }
  if (model !== undefined) {
    try {
      await model.dispose();
    } catch (e) {
      if (result.status === 'pass')
        result = { ...base, status: 'error', message: `dispose failed: ${errorMessage(e)}` };
    }
  }
  result.ms = performance.now() - started;
  return result;
}

/** One line saying where a failing cell is worst, e.g. for an assertion message. */
export function describeFailure(r: CellResult): string {
  if (r.status === 'error' || (r.status === 'expected-fail' && r.message !== undefined))
    return `${r.caseId} on ${r.backend}: error: ${r.message}`;
  const f = r.failure;
  if (f === undefined)
    return `${r.caseId} on ${r.backend}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
  if (f.reason !== undefined) return `${r.caseId} on ${r.backend}: output ${f.output}: ${f.reason}`;
  const where =
    f.step !== undefined && r.chunks !== undefined
      ? ` (step ${f.step} of chunks ${r.chunks.join('+')})`
      : '';
  return (
    `${r.caseId} on ${r.backend}: output ${f.output} differs at flat index ${f.worstIndex} [${f.worstPosition.join(', ')}]${where}: ` +
    `got ${f.got}, want ${f.want} (|diff| ${Math.abs(f.got - f.want).toExponential(3)}, ${f.worstRatio.toFixed(1)}× the tolerance ` +
    `atol ${r.tolerance.atol} + rtol ${r.tolerance.rtol}·|want|); ${f.mismatches} element(s) outside; ` +
    `max abs error ${f.maxAbsError.toExponential(3)}, max rel error ${f.maxRelError.toExponential(3)}`
  );
}
