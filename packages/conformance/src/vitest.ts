// `@tessera/conformance/vitest`: a backend package runs the catalogue in its own test suite with
//   conformanceTests('ort:node', () => createBackend({ variant: 'node' }));
// one vitest test per case, named by the case id, judged against the float64 reference.
import type { Backend } from '@tessera/spec';
import { beforeAll, describe, test } from 'vitest';
import type { ConformanceCase } from './case.js';
import { catalogue } from './cases/index.js';
import { describeFailure, runCell } from './cell.js';
import {
  type Expectations,
  expectedFailure,
  expectations as listedExpectations,
  toleranceExpectations,
} from './expectations.js';
import { type ReferenceCache, sharedReferenceCache } from './reference.js';
import { defaultTolerance, resolveTolerance } from './tolerance.js';

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
}

export function conformanceTests(
  label: string,
  create: () => Promise<Backend>,
  options: ConformanceTestOptions = {},
): void {
  const cases = (options.cases ?? catalogue).filter(options.filter ?? (() => true));
  const list = options.expectations ?? listedExpectations;
  const cache = options.reference ?? sharedReferenceCache();
  describe(`conformance ${label}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await create();
    });
    for (const c of cases) {
      const expected = expectedFailure(list, label, c.id);
      test(c.id, async (context) => {
        if (expected !== undefined)
          context.skip(`expected to fail on ${label}: ${expected.reason}`);
        const reference = await cache.expected(c);
        const tolerance = resolveTolerance(
          defaultTolerance,
          c.tolerance,
          ...toleranceExpectations(list, label, c.id),
        );
        const cell = await runCell(backend, c, reference, {
          label,
          tolerance,
          timeoutMs: options.cellTimeoutMs,
        });
        if (cell.status === 'unsupported') context.skip(`unsupported on ${label}: ${cell.reason}`);
        if (cell.status !== 'pass') throw new Error(describeFailure(cell));
      });
    }
  });
}
