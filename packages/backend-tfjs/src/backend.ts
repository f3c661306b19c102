// The tfjs backend: one object per variant. createBackend starts the variant (or rejects with the
// reason it cannot start here) so that a Backend in hand can compile.
import { supportOf, type TypedBackend, typedModel } from '@tessera/spec';
import { compileTfjs, type TfjsModel } from './compile.js';
import { kernels } from './kernels/index.js';
import { manifest } from './manifest.js';
import {
  ensureTfBackend,
  type TfVariant,
  tfVariants,
  type VariantOptions,
  VariantUnavailableError,
} from './variants.js';

/** Options of createBackend: the variant, and where the wasm variant finds its binaries. */
export interface TfjsBackendOptions extends VariantOptions {
  /** 'cpu' (default) and 'wasm' run in Node.js and browsers; 'webgl' and 'webgpu' in browsers. */
  variant?: TfVariant;
}

/** A started tfjs variant; its compile gives TfjsModels, typed by the spec (TypedBackend). */
export interface TfjsBackend extends TypedBackend<TfjsModel> {
  name: 'tfjs';
  variant: TfVariant;
}

/**
 * Starts a tfjs variant (`cpu` when none is named), loading its tfjs backend the first time;
 * rejects with a VariantUnavailableError saying why when it cannot start here.
 *
 * @example
 * const backend = await createBackend({ variant: 'wasm' });
 * const model = await backend.compile(spec, initWeights(spec, 42));
 * const { logits } = await model.run(randomInputs(spec, { batch: 1, time: 16 }, 1));
 * await model.dispose();
 */
export async function createBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  const variant = options.variant ?? manifest.variants[0].name;
  if (!tfVariants.includes(variant)) {
    throw new VariantUnavailableError(
      String(variant),
      `unknown variant; the tfjs variants are ${tfVariants.join(', ')}`,
    );
  }
  await ensureTfBackend(variant, options);
  return {
    name: 'tfjs',
    variant,
    supports: (op) => supportOf(kernels, op),
    compile: async (spec, weights, compileOptions = {}) =>
      typedModel(
        spec,
        await compileTfjs(spec, weights, variant, { ...options, ...compileOptions }),
      ),
  };
}
