// The reference backend: every v1 op, float64, one variant; composites run as their decompositions.
import { type BackendFactory, supportOf, type TypedBackend, typedModel } from '@tessera/spec';
import { compileReference, type ReferenceModel } from './compile.js';
import { kernels } from './kernels/index.js';
import { manifest } from './manifest.js';

/**
 * The reference backend: its compile gives ReferenceModels (typed by the spec, TypedBackend),
 * which also evaluate in float64 without rounding (`runFloat64`).
 */
export type ReferenceBackend = TypedBackend<ReferenceModel>;

/** The reference has no options; `variant`, if given, must be its only variant, 'f64'. */
export interface ReferenceBackendOptions {
  variant?: string;
  [option: string]: unknown;
}

/**
 * Starts the reference backend (its one variant, `f64`).
 *
 * @example
 * const backend = await createBackend();
 * const model = await backend.compile(spec, initWeights(spec, 0));
 * const inputs = randomInputs(spec, { batch: 1, time: 8 }, 1);
 * const { logits } = await model.run(inputs); // float32
 * const exact = model.runFloat64(inputs); // the same outputs in float64, unrounded
 * await model.dispose();
 */
export async function createBackend(
  options: ReferenceBackendOptions = {},
): Promise<ReferenceBackend> {
  const [only] = manifest.variants;
  if (options.variant !== undefined && options.variant !== only.name) {
    throw new Error(
      `the reference backend has one variant, "${only.name}"; got ${JSON.stringify(options.variant)}`,
    );
  }
  return {
    name: manifest.name,
    variant: only.name,
    supports: (op) => supportOf(kernels, op),
    compile: async (spec, weights, compileOptions) =>
      typedModel(spec, compileReference(spec, weights, compileOptions)),
  };
}

// createBackend fits the factory type every backend package exports.
createBackend satisfies BackendFactory;
