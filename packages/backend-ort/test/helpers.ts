// Shared by the tests: run a spec on ORT and on the float64 reference, and compare with the
// default conformance tolerance (atol 1e-5, rtol 1e-4).
import { compileReference } from '@tessera/backend-reference';
import { compareTensors, defaultTolerance, type Tolerance } from '@tessera/conformance';
import {
  type Backend,
  defaultBindings,
  initWeights,
  type ModelSpec,
  parseSpec,
  randomInputs,
  type Tensor,
} from '@tessera/spec';
import { expect } from 'vitest';

export function spec(json: Record<string, unknown>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...json });
}

export interface CompareOptions {
  bindings?: Record<string, number>;
  seed?: number;
  compileOptions?: Record<string, unknown>;
  tolerance?: Tolerance;
  inputs?: Record<string, Tensor>;
}

/** Runs `s` on `backend` and on the reference with the same random weights and inputs. */
export async function expectMatchesReference(
  backend: Backend,
  s: ModelSpec,
  o: CompareOptions = {},
): Promise<void> {
  const seed = o.seed ?? 7;
  // randomizeConstants: norm scales, biases and running statistics are exercised too.
  const weights = initWeights(s, seed, { randomizeConstants: true });
  const inputs = o.inputs ?? randomInputs(s, defaultBindings(s, o.bindings ?? {}, 3), seed + 1);
  const want = compileReference(s, weights).runFloat64(inputs);
  const model = await backend.compile(s, weights, o.compileOptions);
  try {
    const got = await model.run(inputs);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const name of Object.keys(want)) {
      const cmp = compareTensors(got[name], want[name], o.tolerance ?? defaultTolerance);
      expect(
        cmp.ok,
        `${name}: ${cmp.reason ?? `max abs error ${cmp.maxAbsError} at ${cmp.worstPosition}`}`,
      ).toBe(true);
    }
  } finally {
    await model.dispose();
  }
}
