// Shared by the tests: a spec written as JSON. (Numbers are judged by @tessera/conformance only.)
import { type ModelSpec, parseSpec } from '@tessera/spec';

export function spec(json: Record<string, unknown>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...json });
}
