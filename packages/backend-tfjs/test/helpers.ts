// Shared by the tests: the variants that run in Node.js, and a spec written as JSON.
import { type ModelSpec, type ModelSpecInput, parseSpec } from '@tessera/spec';
import type { TfVariant } from '../src/index.js';

export const variants: TfVariant[] = ['cpu', 'wasm'];

export function spec(json: Omit<ModelSpecInput, 'format'>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...json });
}
