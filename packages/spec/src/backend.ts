// The interface every backend package implements.
import type { Limits } from './limits.js';
import type { OpName } from './ops/registry.js';
import type { ModelSpec } from './schema.js';
import type { Tensor, Weights } from './tensor.js';

export interface CompileOptions {
  limits?: Partial<Limits>;
  /** Backend-specific options (thread counts, optimisation levels, ...). */
  [option: string]: unknown;
}

export interface CompiledModel {
  run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

export interface Backend {
  /** 'reference' | 'tfjs' | 'ort' | 'gpujs' */
  name: string;
  /** 'f64', 'cpu', 'wasm', 'node', 'webgl2', ... */
  variant: string;
  /** true, or the reason the op cannot run here. */
  supports(op: OpName | string): true | string;
  compile(spec: ModelSpec, weights: Weights, options?: CompileOptions): Promise<CompiledModel>;
}

/** What a backend package's createBackend returns when a variant cannot start here. */
export type BackendFactory = (options?: {
  variant?: string;
  [option: string]: unknown;
}) => Promise<Backend>;
