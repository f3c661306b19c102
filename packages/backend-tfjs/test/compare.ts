// Runs a spec on backend-reference (float64) and on a tfjs variant with the same seeded weights
// and inputs, and reports the worst violation of |got − want| ≤ atol + rtol·|want| per output.
import { createBackend as createReference } from '@tessera/backend-reference';
import {
  defaultBindings,
  initWeights,
  type ModelSpec,
  type ModelSpecInput,
  parseSpec,
  randomInputs,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { expect } from 'vitest';
import { createBackend, type TfVariant } from '../src/index.js';

export const variants: TfVariant[] = ['cpu', 'wasm'];

export interface CompareOptions {
  bindings?: Record<string, number>;
  seed?: number;
  atol?: number;
  rtol?: number;
  /** Explicit inputs instead of seeded random ones. */
  inputs?: Record<string, Tensor>;
  weights?: Weights;
}

export function spec(json: Omit<ModelSpecInput, 'format'>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...json });
}

export interface Mismatch {
  output: string;
  index: number;
  got: number;
  want: number;
}

/** The first element per output that is outside tolerance, or [] when all agree. */
export function mismatches(
  want: Record<string, Tensor>,
  got: Record<string, Tensor>,
  atol: number,
  rtol: number,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    expect(g?.shape, `shape of ${name}`).toEqual(w.shape);
    expect(g.dtype).toBe('float32');
    for (let i = 0; i < w.data.length; i++) {
      const a = g.data[i];
      const b = w.data[i];
      const ok = Number.isNaN(b)
        ? Number.isNaN(a)
        : b === a || Math.abs(a - b) <= atol + rtol * Math.abs(b);
      if (!ok) {
        out.push({ output: name, index: i, got: a, want: b });
        break;
      }
    }
  }
  return out;
}

/** Asserts the tfjs variant matches the float64 reference on `model`. */
export async function expectMatchesReference(
  variant: TfVariant,
  model: ModelSpec,
  o: CompareOptions = {},
): Promise<void> {
  const seed = o.seed ?? 7;
  const weights = o.weights ?? initWeights(model, seed, { randomizeConstants: true });
  const inputs =
    o.inputs ?? randomInputs(model, defaultBindings(model, o.bindings ?? {}, 3), seed + 1);
  const reference = await (await createReference()).compile(model, weights);
  const want = await reference.run(inputs);
  const compiled = await (await createBackend({ variant })).compile(model, weights);
  try {
    const got = await compiled.run(inputs);
    expect(mismatches(want, got, o.atol ?? 1e-5, o.rtol ?? 1e-4)).toEqual([]);
  } finally {
    await compiled.dispose();
  }
}
