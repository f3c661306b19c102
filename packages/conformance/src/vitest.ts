// `@tessera/conformance/vitest`: a backend package runs the catalogue in its own test suite with
//   conformanceTests('ort:node', () => createBackend({ variant: 'node' }));
// one vitest test per case, named by the case id, judged against the float64 reference, and one
// per decodable case, `<id>/decode`, feeding model.decoder() a chunk at a time. A test that
// checks something else on the way (a graph, a kernel hook) judges its numbers with
// expectConforms, expectDecodes or expectOutputsConform: there is no other tolerance rule.
import type { Backend, CompileOptions, Tensor } from '@tessera/spec';
import { beforeAll, describe, test } from 'vitest';
import type { ConformanceCase } from './case.js';
import { catalogue } from './cases/index.js';
import { type CellKind, type CellResult, describeFailure, judgeCell, runCell } from './cell.js';
import { decodingOf, runDecodeCell } from './decode.js';
import {
  type Expectations,
  expectedFailure,
  expectations as listedExpectations,
  toleranceExpectations,
} from './expectations.js';
import { type ReferenceCache, sharedReferenceCache } from './reference.js';
import { applyExpectation, matrixRows } from './runner.js';
import { defaultTolerance, resolveTolerance, type Tolerance } from './tolerance.js';

export interface ConformanceTestOptions {
  /** The catalogue by default. */
  cases?: ConformanceCase[];
  filter?: (c: ConformanceCase) => boolean;
  /** The package's list (src/expectations.ts) by default. */
  expectations?: Expectations;
  /** The oracle; backend-reference by default. */
  reference?: ReferenceCache;
  /** Turn a cell whose compile or run takes longer than this into a failure. */
  cellTimeoutMs?: number;
  /** Passed to every `compile` (ORT's `{ attention: 'ms-mha' }`); shown in the describe title. */
  compileOptions?: CompileOptions;
  /** The kinds of cell to test: every one (`run`, and `decode` for decodable cases) by default. */
  kinds?: readonly CellKind[];
}

/**
 * The tolerance a cell is judged by: the default, widened by the case and the listed entries (a
 * decoding cell's: its case's, and those listed for `decodeId`).
 */
function cellTolerance(
  list: Expectations,
  label: string,
  c: ConformanceCase,
  decodeId?: string,
): Tolerance {
  return resolveTolerance(
    defaultTolerance,
    c.tolerance,
    ...toleranceExpectations(list, label, c.id, decodeId),
  );
}

export function conformanceTests(
  label: string,
  create: () => Promise<Backend>,
  options: ConformanceTestOptions = {},
): void {
  const cases = (options.cases ?? catalogue).filter(options.filter ?? (() => true));
  const list = options.expectations ?? listedExpectations;
  const cache = options.reference ?? sharedReferenceCache();
  const title =
    options.compileOptions === undefined
      ? `conformance ${label}`
      : `conformance ${label} ${JSON.stringify(options.compileOptions)}`;
  describe(title, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await create();
    });
    for (const row of matrixRows(cases, options.kinds)) {
      const c = row.case;
      const expected = expectedFailure(list, label, row.id);
      test(row.id, async (context) => {
        if (expected !== undefined)
          context.skip(`expected to fail on ${label}: ${expected.reason}`);
        const reference = await cache.expected(row.decoding?.whole ?? c);
        const o = {
          label,
          tolerance: cellTolerance(list, label, c, row.decoding?.id),
          timeoutMs: options.cellTimeoutMs,
          compileOptions: options.compileOptions,
        };
        const cell =
          row.decoding === undefined
            ? await runCell(backend, c, reference, o)
            : await runDecodeCell(backend, row.decoding, reference, o);
        if (cell.status === 'unsupported') context.skip(`unsupported on ${label}: ${cell.reason}`);
        if (cell.status !== 'pass') throw new Error(describeFailure(cell));
      });
    }
  });
}

export interface ConformsOptions {
  /** The label the expectations list is read by; `<name>:<variant>` of the backend by default. */
  label?: string;
  compileOptions?: CompileOptions;
  /** The package's list (src/expectations.ts) by default. */
  expectations?: Expectations;
  /** The oracle; backend-reference by default. */
  reference?: ReferenceCache;
}

/** A pass, or a failure the list expects; anything else (unsupported included) throws its line. */
function settle(cell: CellResult, list: Expectations): CellResult {
  const listed = applyExpectation(cell, list);
  if (listed.status === 'pass' || listed.status === 'expected-fail') return listed;
  throw new Error(describeFailure(listed));
}

/**
 * One case on one backend, as a conformance cell: compiled with `compileOptions`, run, judged
 * against the float64 reference with the case's tolerance. Throws unless the cell passes.
 */
export async function expectConforms(
  backend: Backend,
  c: ConformanceCase,
  options: ConformsOptions = {},
): Promise<CellResult> {
  const label = options.label ?? `${backend.name}:${backend.variant}`;
  const list = options.expectations ?? listedExpectations;
  const expected = await (options.reference ?? sharedReferenceCache()).expected(c);
  const cell = await runCell(backend, c, expected, {
    label,
    tolerance: cellTolerance(list, label, c),
    compileOptions: options.compileOptions,
  });
  return settle(cell, list);
}

/**
 * A decodable case's decoding cell on one backend (its `model.decoder()` fed a chunk at a time),
 * judged against the reference's run on the whole sequence with the case's tolerance. Throws
 * unless the cell passes, or when the case is not decodable.
 */
export async function expectDecodes(
  backend: Backend,
  c: ConformanceCase,
  options: ConformsOptions = {},
): Promise<CellResult> {
  const decoding = decodingOf(c);
  if (decoding === undefined) throw new Error(`${c.id} is not decodable: it has no decoding cell`);
  const label = options.label ?? `${backend.name}:${backend.variant}`;
  const list = options.expectations ?? listedExpectations;
  const expected = await (options.reference ?? sharedReferenceCache()).expected(decoding.whole);
  const cell = await runDecodeCell(backend, decoding, expected, {
    label,
    tolerance: cellTolerance(list, label, c, decoding.id),
    compileOptions: options.compileOptions,
  });
  return settle(cell, list);
}

/**
 * Judges outputs a test computed itself, from `materialise(c)`'s spec, weights and inputs (to
 * watch a kernel hook, or to run one compiled model at several bindings). Throws unless they pass.
 */
export async function expectOutputsConform(
  got: Record<string, Tensor>,
  c: ConformanceCase,
  options: Omit<ConformsOptions, 'compileOptions'> & { label: string },
): Promise<CellResult> {
  const list = options.expectations ?? listedExpectations;
  const expected = await (options.reference ?? sharedReferenceCache()).expected(c);
  const cell = judgeCell(c.id, options.label, got, expected, cellTolerance(list, options.label, c));
  return settle(cell, list);
}
