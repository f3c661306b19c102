// The reference against an independent numpy implementation of the same PyTorch semantics
// (test/fixtures/numpy-oracle.py): multi-layer bidirectional recurrences, grouped/dilated/strided
// convolutions, ceilMode pools, causal multi-head attention, both transformer layer variants and
// the smaller ops, on seeded weights and inputs. Agreement is to float64 rounding.
import { readFileSync } from 'node:fs';
import { parseSpec, type Tensor, type Weights } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import { expectClose } from './harness.js';

interface Stored {
  shape: number[];
  data: number[];
}
interface Case {
  spec: unknown;
  weights: Record<string, Stored>;
  inputs: Record<string, Stored & { dtype?: string }>;
  expected: Record<string, Stored>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/numpy-cases.generated.json', import.meta.url), 'utf8'),
) as { cases: Record<string, Case> };

describe('agreement with the numpy oracle', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, () => {
      const spec = parseSpec(c.spec);
      const weights: Weights = new Map(
        Object.entries(c.weights).map(([k, t]) => [
          k,
          { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) },
        ]),
      );
      const inputs: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(c.inputs)) {
        const dtype = spec.inputs[k].dtype;
        inputs[k] = {
          dtype,
          shape: t.shape,
          data: dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data),
        };
      }
      const out = compileReference(spec, weights).runFloat64(inputs);
      expect(Object.keys(c.expected).sort()).toEqual(Object.keys(out).sort());
      for (const [k, want] of Object.entries(c.expected)) {
        expect(out[k].shape, k).toEqual(want.shape);
        // Both sides are float64; different summation orders leave ~1e-15 differences.
        expectClose(out[k].data, want.data, 1e-12);
      }
    });
  }
});
