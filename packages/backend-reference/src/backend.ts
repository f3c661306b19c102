// The reference backend: every v1 op, float64, one variant; composites run as their decompositions.
import {
  type Backend,
  type BackendFactory,
  type CompileOptions,
  type ModelSpec,
  supportOf,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { compileReference, type ReferenceModel } from './compile.js';
import { kernels } from './kernels/index.js';
import { manifest } from './manifest.js';

export interface ReferenceBackend extends Backend {
  compile(
    spec: ModelSpec,
    weights: Weights | Record<string, Tensor>,
    options?: CompileOptions,
  ): Promise<ReferenceModel>;
}

/** The reference has no options; `variant`, if given, must be its only variant, 'f64'. */
export interface ReferenceBackendOptions {
  variant?: string;
  [option: string]: unknown;
}

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
      compileReference(spec, weights, compileOptions),
  };
}

// createBackend fits the factory type every backend package exports.
createBackend satisfies BackendFactory;
