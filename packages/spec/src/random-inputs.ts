// Seeded random inputs for a spec at given bindings: float inputs uniform in [-scale, scale),
// int32 inputs uniform over the ids their embedding accepts, or over 1..T when they are lengths. Used by conformance, the CLI and the
// playground so that the same seed gives the same tensors everywhere.
import { InputError, SpecError } from './errors.js';
import { inferShapes } from './graph.js';
import { activationProblem, idRanges } from './inputs.js';
import { lengthsTimes } from './lengths.js';
import { type Limits, resolveLimits } from './limits.js';
import { Rng } from './rng.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor } from './tensor.js';

/** Options of randomInputs: the float range and the limits. */
export interface RandomInputOptions {
  /** Half-width of the float range; 1 by default. */
  scale?: number;
  /** Checked, with every value the model would compute, before anything is allocated. */
  limits?: Partial<Limits>;
}

/**
 * Seeded inputs for `spec` at `bindings`: floats uniform in [-scale, scale), ids below their
 * embedding's size, lengths in 1..time. Throws InputError for an unbound dim or a run over the
 * limits.
 *
 * @example
 * const inputs = randomInputs(spec, { batch: 2, time: 16 }, 0);
 * const outputs = await model.run(inputs);
 */
export function randomInputs(
  spec: ModelSpec,
  bindings: Record<string, number>,
  seed: number,
  options: RandomInputOptions = {},
): Record<string, Tensor> {
  const scale = options.scale ?? 1;
  const ranges = idRanges(spec);
  const shapes = Object.entries(spec.inputs).map(([name, input]) =>
    input.shape.map((d) => {
      if (typeof d === 'number') return d;
      if (!Object.hasOwn(bindings, d))
        throw new InputError(`dim ${JSON.stringify(d)} needs a size (e.g. --bind ${d}=4)`, name);
      return bindings[d];
    }),
  );
  // The limits first: random inputs for a run the limits refuse are never made.
  let shapesAt: ReturnType<typeof inferShapes> | undefined;
  try {
    shapesAt = inferShapes(spec, bindings);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e; // a shape rule the run itself will report
  }
  const problem =
    shapesAt && activationProblem(spec, shapesAt, bindings, resolveLimits(options.limits));
  if (problem) throw new InputError(problem.message, problem.name);
  const lengths = shapesAt === undefined ? new Map() : lengthsTimes(spec, shapesAt);
  const out: Record<string, Tensor> = {};
  for (const [k, [name, input]] of Object.entries(spec.inputs).entries()) {
    const shape = shapes[k];
    const rng = Rng.forName(seed, `input:${name}`);
    const n = numel(shape);
    if (input.dtype === 'int32') {
      // Lengths (§6.3) draw in 1..T, ids below their embedding's size.
      const time = lengths.get(name)?.time;
      const [lo, hi] = time === undefined ? [0, ranges.get(name) ?? 2] : [1, time + 1];
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.int(lo, hi);
      out[name] = { dtype: 'int32', shape, data };
    } else {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.range(-scale, scale);
      out[name] = { dtype: 'float32', shape, data };
    }
  }
  return out;
}

/** Binds every symbolic dim of the spec's inputs to `size` unless given in `bindings`. */
export function defaultBindings(
  spec: ModelSpec,
  bindings: Record<string, number> = {},
  size = 2,
): Record<string, number> {
  const out: Record<string, number> = { ...bindings };
  for (const input of Object.values(spec.inputs)) {
    for (const d of input.shape) if (typeof d === 'string' && !Object.hasOwn(out, d)) out[d] = size;
  }
  return out;
}
