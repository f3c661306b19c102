// The reference backend: every v1 op, float64, one variant.
import {
  type Backend,
  type BackendFactory,
  type CompileOptions,
  type ModelSpec,
  opNames,
  type Weights,
} from '@tessera/spec';
import { compileReference, type ReferenceModel } from './compile.js';

export interface ReferenceBackend extends Backend {
  compile(spec: ModelSpec, weights: Weights, options?: CompileOptions): Promise<ReferenceModel>;
}

/** The reference has no options; `variant`, if given, must be its only variant, 'f64'. */
export interface ReferenceBackendOptions {
  variant?: string;
  [option: string]: unknown;
}

const known = new Set<string>(opNames);

export async function createBackend(
  options: ReferenceBackendOptions = {},
): Promise<ReferenceBackend> {
  if (options.variant !== undefined && options.variant !== 'f64') {
    throw new Error(
      `the reference backend has one variant, "f64"; got ${JSON.stringify(options.variant)}`,
    );
  }
  return {
    name: 'reference',
    variant: 'f64',
    supports: (op) => (known.has(op) ? true : `${JSON.stringify(op)} is not a tessera.model/v1 op`),
    compile: async (spec, weights, compileOptions) =>
      compileReference(spec, weights, compileOptions),
  };
}

// createBackend fits the factory type every backend package exports.
createBackend satisfies BackendFactory;
