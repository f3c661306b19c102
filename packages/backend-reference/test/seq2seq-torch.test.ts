// The reference's encoder–decoder maths against PyTorch itself: nn.TransformerDecoderLayer (post-
// and pre-norm, relu and gelu, causal or not), nn.MultiheadAttention as cross-attention (query
// and memory of different lengths), and the translation tutorial's Seq2SeqTransformer, whose
// state_dict loads into the seq2seqTransformer preset by its own names. The expected values come
// from test/fixtures/make-seq2seq-fixtures.py (its header says how to regenerate); this test
// reads the committed JSON and needs no torch.
import { type Seq2seqTransformerOptions, seq2seqTransformer, type Tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import {
  buildSpec,
  expectClose,
  expectStateDict,
  readFixture,
  type Stored,
  storedFloats,
  storedValues,
  type TorchCase,
  weightsFor,
} from './harness.js';

const fixture = readFixture<{
  cases: Record<string, TorchCase>;
  preset: {
    options: Seq2seqTransformerOptions;
    inputs: Record<string, Stored>;
    weights: Record<string, Stored>;
    expected: { logits: Stored };
  };
}>('seq2seq-torch-cases.generated.json');

describe('agreement with PyTorch (nn.TransformerDecoderLayer, cross-attention, nn.Transformer)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} (${c.node.op})`, () => {
      const inputs = storedFloats(c.inputs);
      const spec = buildSpec(inputs, [{ ...c.node, input: Object.keys(inputs) }]);
      // The manifest is exactly PyTorch's state_dict: names and shapes.
      expectStateDict(spec, c.weights);
      const { out } = compileReference(spec, weightsFor(spec, storedValues(c.weights))).runFloat64(
        inputs,
      );
      expect(out.shape).toEqual(c.expected.out.shape);
      expectClose(out.data, c.expected.out.data, 1e-10);
    });
  }

  it('the tutorial Seq2SeqTransformer state_dict loads into seq2seqTransformer as it is', () => {
    const { options, inputs, weights, expected } = fixture.preset;
    const spec = seq2seqTransformer(options);
    expectStateDict(spec, weights);
    const ids = (t: Stored): Tensor => ({
      dtype: 'int32',
      shape: t.shape,
      data: Int32Array.from(t.data),
    });
    const { logits } = compileReference(spec, weightsFor(spec, storedValues(weights))).runFloat64({
      src: ids(inputs.src),
      tgt: ids(inputs.tgt),
    });
    expect(logits.shape).toEqual(expected.logits.shape);
    expectClose(logits.data, expected.logits.data, 1e-10);
  });
});
