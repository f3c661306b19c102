// The reference's LLaMA-family maths against what PyTorch computes: rope (rotate_half and GPT-J
// pairings, partial, theta 10000 and 500000), repeatInterleave (transformers' repeat_kv),
// rmsNorm (LlamaRMSNorm), gatedMlp (LlamaMLP with silu, gelu, gelu tanh) and attention
// (LlamaAttention: MHA, GQA, MQA, q/k/v and output bias, headDim ≠ hidden/heads, causal or not).
// The expected values are transformers' functions written with torch ops in float64, in
// test/fixtures/make-llama-fixtures.py (its header says how to regenerate); this test reads the
// committed JSON and needs no torch. Weights are given by their Hugging Face names.
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import {
  buildSpec,
  expectClose,
  expectStateDict,
  readFixture,
  storedFloats,
  storedValues,
  type TorchCase,
  weightsFor,
} from './harness.js';

const fixture = readFixture<{ cases: Record<string, TorchCase> }>(
  'llama-torch-cases.generated.json',
);

describe('agreement with PyTorch (transformers modeling_llama)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} (${c.node.op})`, () => {
      // Inputs and weights are multiples of 1/64, exact in float32.
      const inputs = storedFloats(c.inputs);
      const spec = buildSpec(inputs, [{ ...c.node, input: Object.keys(inputs) }]);
      // The manifest names exactly the fixture's Hugging Face weight names, with their shapes.
      expectStateDict(spec, c.weights);
      const weights = weightsFor(spec, storedValues(c.weights));
      const { out } = compileReference(spec, weights).runFloat64(inputs);
      expect(out.shape).toEqual(c.expected.out.shape);
      // float64 on both sides; summation orders and cos/sin of slightly different angles differ
      // by ~1e-15.
      expectClose(out.data, c.expected.out.data, 1e-10);
    });
  }
});
