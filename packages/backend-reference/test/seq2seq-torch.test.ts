// The reference's encoder–decoder maths against PyTorch itself: nn.TransformerDecoderLayer (post-
// and pre-norm, relu and gelu, causal or not), nn.MultiheadAttention as cross-attention (query
// and memory of different lengths), and the translation tutorial's Seq2SeqTransformer, whose
// state_dict loads into the seq2seqTransformer preset by its own names. The expected values come
// from test/fixtures/make-seq2seq-fixtures.py (its header says how to regenerate); this test
// reads the committed JSON and needs no torch.
import { readFileSync } from 'node:fs';
import {
  type NodeInput,
  type Seq2seqTransformerOptions,
  seq2seqTransformer,
  type Tensor,
  weightManifest,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import { buildSpec, expectClose, f32, weightsFor } from './harness.js';

interface Stored {
  shape: number[];
  data: number[];
}
interface Case {
  node: NodeInput;
  inputs: Record<string, Stored>;
  weights: Record<string, Stored>;
  expected: { out: Stored };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/seq2seq-torch-cases.generated.json', import.meta.url), 'utf8'),
) as {
  cases: Record<string, Case>;
  preset: {
    options: Seq2seqTransformerOptions;
    inputs: Record<string, Stored>;
    weights: Record<string, Stored>;
    expected: { logits: Stored };
  };
};

const values = (w: Record<string, Stored>) =>
  Object.fromEntries(Object.entries(w).map(([k, t]) => [k, t.data]));

describe('agreement with PyTorch (nn.TransformerDecoderLayer, cross-attention, nn.Transformer)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} (${c.node.op})`, () => {
      const inputs = Object.fromEntries(
        Object.entries(c.inputs).map(([k, t]) => [k, f32(t.shape, t.data)]),
      );
      const spec = buildSpec(inputs, [{ ...c.node, input: Object.keys(inputs) }]);
      // The manifest is exactly PyTorch's state_dict: names and shapes.
      const manifest = weightManifest(spec);
      expect(manifest.map((w) => w.name).sort()).toEqual(Object.keys(c.weights).sort());
      for (const w of manifest) expect(w.shape, w.name).toEqual(c.weights[w.name].shape);
      const { out } = compileReference(spec, weightsFor(spec, values(c.weights))).runFloat64(
        inputs,
      );
      expect(out.shape).toEqual(c.expected.out.shape);
      expectClose(out.data, c.expected.out.data, 1e-10);
    });
  }

  it('the tutorial Seq2SeqTransformer state_dict loads into seq2seqTransformer as it is', () => {
    const { options, inputs, weights, expected } = fixture.preset;
    const spec = seq2seqTransformer(options);
    expect(
      weightManifest(spec)
        .map((w) => w.name)
        .sort(),
    ).toEqual(Object.keys(weights).sort());
    const ids = (t: Stored): Tensor => ({
      dtype: 'int32',
      shape: t.shape,
      data: Int32Array.from(t.data),
    });
    const { logits } = compileReference(spec, weightsFor(spec, values(weights))).runFloat64({
      src: ids(inputs.src),
      tgt: ids(inputs.tgt),
    });
    expect(logits.shape).toEqual(expected.logits.shape);
    expectClose(logits.data, expected.logits.data, 1e-10);
  });
});
