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

/**
 * One named case of the catalogue: a spec, its sizes and seeds (or explicit tensors), and any
 * widening of the tolerance. Every backend runs it against the reference.
 */
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
  /** Values written over the seeded float inputs at chosen positions (NaN, ±Inf), by input name. */
  special?: Record<string, SpecialValue[]>;
  /**
   * The values of lengths inputs (§6.3), by input name, in place of seeded ones: a case says
   * which lengths it tests (unsorted, 1, T).
   */
  lengths?: Record<string, number[]>;
  /** Explicit weights instead of seeded ones (every weight of the spec's manifest). */
  weights?: () => Weights;
  /** A widening of the default tolerance; it needs a reason, shown in every report. */
  tolerance?: ToleranceOverride;
}

/** One element of a seeded input replaced: `at` is its multi-index, every entry in range. */
export interface SpecialValue {
  at: number[];
  value: number;
}

/** A case made concrete by materialise: its parsed spec, weights and inputs. */
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
  for (const [name, values] of Object.entries(c.special ?? {}))
    for (const v of values) writeSpecial(c.id, name, inputs[name], v);
  for (const [name, values] of Object.entries(c.lengths ?? {})) {
    const t = inputs[name];
    if (
      t === undefined ||
      t.dtype !== 'int32' ||
      t.shape.length !== 1 ||
      t.shape[0] !== values.length
    )
      throw new Error(
        `${c.id}: lengths ${name} = [${values.join(', ')}] do not fit an int32 input of one per batch row`,
      );
    inputs[name] = { dtype: 'int32', shape: [values.length], data: Int32Array.from(values) };
  }
  return { spec, weights, inputs };
}

function writeSpecial(id: string, name: string, t: Tensor | undefined, v: SpecialValue): void {
  const where = `${id}: special value at ${name}[${v.at.join(', ')}]`;
  if (t === undefined || t.dtype !== 'float32')
    throw new Error(`${where}: no float32 input ${name}`);
  if (v.at.length !== t.shape.length || v.at.some((k, d) => !(k >= 0 && k < t.shape[d])))
    throw new Error(`${where} is outside its shape [${t.shape.join(', ')}]`);
  let flat = 0;
  for (let d = 0; d < v.at.length; d++) flat = flat * t.shape[d] + v.at[d];
  t.data[flat] = v.value;
}

/** `x[0, 2, 1] = NaN`, one per special value of the case, for reports. */
export function describeSpecial(c: Pick<ConformanceCase, 'special'>): string[] {
  return Object.entries(c.special ?? {}).flatMap(([name, values]) =>
    values.map((v) => `${name}[${v.at.join(', ')}] = ${v.value}`),
  );
}

/** Parses a spec written as the JSON a person would write (the format field added). */
export function model(spec: Omit<ModelSpecInput, 'format'>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...spec });
}
