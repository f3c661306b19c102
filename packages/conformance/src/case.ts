// A conformance case: a spec, a weight seed and input seed (or explicit inputs), and the sizes of
// its symbolic dims. The expected outputs always come from the float64 reference.
import {
  initWeights,
  type ModelSpec,
  type ModelSpecInput,
  parseSpec,
  randomInputs,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import type { ToleranceOverride } from './tolerance.js';

export interface ConformanceCase {
  /** `<op>/<variant>`, `preset/<name>-small`, `edge/<what>`, `random/<seed>-<i>`. */
  id: string;
  description?: string;
  /** Built lazily, so that listing the catalogue costs nothing. */
  spec: () => ModelSpec;
  /** Sizes of the symbolic dims of the spec's inputs. */
  bindings: Record<string, number>;
  weightSeed: number;
  inputSeed: number;
  /** Float inputs are uniform in [-inputScale, inputScale); 1 by default. */
  inputScale?: number;
  /** Explicit tensors instead of seeded ones. */
  inputs?: () => Record<string, Tensor>;
  /** Explicit weights instead of seeded ones (every weight of the spec's manifest). */
  weights?: () => Weights;
  /** A widening of the default tolerance; it needs a reason, shown in every report. */
  tolerance?: ToleranceOverride;
}

export interface MaterialisedCase {
  spec: ModelSpec;
  weights: Weights;
  inputs: Record<string, Tensor>;
}

/**
 * The spec, weights and inputs of a case. Weights use `randomizeConstants` so that norm scales,
 * zero-initialised biases and running statistics are exercised rather than left at 1 and 0.
 */
export function materialise(c: ConformanceCase): MaterialisedCase {
  const spec = c.spec();
  const weights = c.weights
    ? c.weights()
    : initWeights(spec, c.weightSeed, { randomizeConstants: true });
  const inputs = c.inputs
    ? c.inputs()
    : randomInputs(spec, c.bindings, c.inputSeed, { scale: c.inputScale ?? 1 });
  return { spec, weights, inputs };
}

/** Parses a spec written as the JSON a person would write (the format field added). */
export function model(spec: Omit<ModelSpecInput, 'format'>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...spec });
}
