// The oracle: backend-reference in float64. Its outputs are computed once per case and cached.
import { inferShapes, type ModelSpec, type Tensor, type Weights } from '@tessera/spec';
import { type ConformanceCase, type MaterialisedCase, materialise } from './case.js';
import type { Float64Output } from './compare.js';

/** What the runner needs of the reference backend. */
export interface ReferenceModel {
  /** The outputs by name, unrounded. */
  runFloat64(
    inputs: Record<string, Tensor>,
  ): Promise<Record<string, Float64Output>> | Record<string, Float64Output>;
  /** Frees the model. */
  dispose?(): Promise<void> | void;
}

/** What the runner needs of the reference backend: a compile giving models that run in float64. */
export interface ReferenceBackend {
  /** Compiles a case's spec with its weights. */
  compile(spec: ModelSpec, weights: Weights | Record<string, Tensor>): Promise<ReferenceModel>;
}

/** backend-reference, loaded on first use. */
export async function referenceBackend(): Promise<ReferenceBackend> {
  const mod = await import('@tessera/backend-reference');
  return (await mod.createBackend()) as unknown as ReferenceBackend;
}

/** A materialised case with the reference's float64 outputs. */
export interface Expected extends MaterialisedCase {
  outputs: Record<string, Float64Output>;
}

/** Reference outputs per case, computed once (a rejected computation is cached too: it is a property of the case). */
export class ReferenceCache {
  private backend: Promise<ReferenceBackend> | undefined;
  private readonly results = new WeakMap<ConformanceCase, Promise<Expected>>();

  constructor(private readonly source: () => Promise<ReferenceBackend> = referenceBackend) {}

  /** The case materialised with the reference's outputs, computed on the first call. */
  expected(c: ConformanceCase): Promise<Expected> {
    let result = this.results.get(c);
    if (result === undefined) {
      result = this.compute(c);
      // Keep the rejection from being reported as unhandled before a caller awaits it.
      result.catch(() => {});
      this.results.set(c, result);
    }
    return result;
  }

  private async compute(c: ConformanceCase): Promise<Expected> {
    this.backend ??= this.source();
    const reference = await this.backend;
    const m = materialise(c);
    const model = await reference.compile(m.spec, m.weights);
    try {
      const values = await model.runFloat64(m.inputs);
      // Each output carries the dtype the spec gives it, so that a backend's is checked too.
      const shapes = inferShapes(m.spec, c.bindings);
      const outputs = Object.fromEntries(
        Object.entries(values).map(([name, v]) => [
          name,
          { ...v, dtype: shapes.get(m.spec.outputs[name])?.dtype ?? 'float32' },
        ]),
      );
      return { ...m, outputs };
    } finally {
      await model.dispose?.();
    }
  }
}

let shared: ReferenceCache | undefined;

/** The process-wide cache over backend-reference, shared by every run and vitest file in a process. */
export function sharedReferenceCache(): ReferenceCache {
  shared ??= new ReferenceCache();
  return shared;
}
