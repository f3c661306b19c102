// Every preset compiles and runs; each node's output shape is checked against inferShapes inside
// the evaluator, and here the outputs are checked against inferShapes at the same bindings.
import {
  buildPreset,
  defaultBindings,
  inferShapes,
  initWeights,
  type PresetName,
  presets,
  randomInputs,
  type Tensor,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference, createBackend } from '../src/index.js';

const small: Record<PresetName, Record<string, unknown>> = {
  rnnClassifier: { cell: 'gru', numLayers: 2, bidirectional: true },
  charRnnLM: {},
  cnnClassifier: {},
  resnetTiny: {},
  transformerLM: { positional: 'sinusoidal', numLayers: 1 },
  llamaLM: { tieWordEmbeddings: true },
  speechRecognizer: { numFeatures: 8, convChannels: 8, hiddenSize: 8 },
  seq2seqTransformer: { numEncoderLayers: 1, numDecoderLayers: 1 },
};

describe('presets', () => {
  for (const name of Object.keys(presets) as PresetName[]) {
    it(`${name} runs and its outputs have the inferred shapes`, async () => {
      const spec = buildPreset(name, small[name]);
      const bindings = defaultBindings(spec, {}, 3);
      const backend = await createBackend();
      const model = await backend.compile(spec, initWeights(spec, 7));
      const seen: string[] = [];
      const out64 = model.runFloat64(randomInputs(spec, bindings, 1), {
        observe: (ref) => seen.push(ref),
      });
      const out = await model.run(randomInputs(spec, bindings, 1));
      const shapes = inferShapes(spec, bindings);
      expect(seen).toEqual(
        spec.nodes.flatMap((n) => [
          n.id,
          ...[...shapes.keys()].filter((k) => k.startsWith(`${n.id}:`)),
        ]),
      );
      for (const [outName, ref] of Object.entries(spec.outputs)) {
        expect(out[outName].shape).toEqual(shapes.get(ref)!.shape);
        expect(out[outName].dtype).toBe('float32');
        expect(out[outName].data).toBeInstanceOf(Float32Array);
        expect(out[outName].data.every(Number.isFinite)).toBe(true);
        // run() is runFloat64 rounded to float32.
        expect(out[outName].data).toEqual(Float32Array.from(out64[outName].data));
      }
      await model.dispose();
    });
  }
});

describe('padded batches change nothing: each row of a padded batch is the row run alone', () => {
  // The presets' `lengths` option (§6.3): a batch padded to the longest row gives, at every
  // valid position, what each row gives alone at its own length. Run in float64, so any leak of
  // padding shows far above rounding.
  interface Padded {
    name: string;
    preset: PresetName;
    options: Record<string, unknown>;
    lengths: Record<string, number[]>;
    /** Each timed input: its padded size, its time dim, and the lengths input that cuts it. */
    time: Record<string, { size: number; dim: number; by: string }>;
    /** The output, and its time dim (none: one row per sequence). */
    out: { name: string; dim?: number };
  }
  /** Row b of t with its time dim `dim` cut to `keep`. */
  const row = (
    t: { shape: number[]; data: ArrayLike<number> },
    b: number,
    keep: number,
    dim: number,
  ) => {
    const shape = [...t.shape];
    const outer = shape.slice(1, dim).reduce((p, q) => p * q, 1);
    const inner = shape.slice(dim + 1).reduce((p, q) => p * q, 1);
    const perRow = t.data.length / shape[0];
    const out: number[] = [];
    for (let o = 0; o < outer; o++)
      for (let s = 0; s < keep; s++)
        for (let i = 0; i < inner; i++)
          out.push(t.data[b * perRow + (o * shape[dim] + s) * inner + i]);
    shape[0] = 1;
    shape[dim] = keep;
    return { shape, data: out };
  };
  const cases: Padded[] = [
    {
      name: 'rnnClassifier (bidirectional LSTM, h_n)',
      preset: 'rnnClassifier',
      options: { cell: 'lstm', numLayers: 2, bidirectional: true, lengths: true },
      lengths: { lengths: [6, 2, 4] },
      time: { x: { size: 6, dim: 1, by: 'lengths' } },
      out: { name: 'logits' },
    },
    {
      name: 'speechRecognizer (conv1d, bidirectional GRU)',
      preset: 'speechRecognizer',
      options: { numFeatures: 6, convChannels: 5, kernelSize: 3, hiddenSize: 4, lengths: true },
      lengths: { lengths: [9, 4, 7] },
      time: { features: { size: 9, dim: 2, by: 'lengths' } },
      out: { name: 'logits', dim: 1 },
    },
    {
      name: 'seq2seqTransformer (both masks)',
      preset: 'seq2seqTransformer',
      options: {
        dModel: 8,
        nhead: 2,
        dimFeedforward: 16,
        numEncoderLayers: 1,
        numDecoderLayers: 2,
        lengths: true,
      },
      lengths: { src_lengths: [7, 3, 5], tgt_lengths: [2, 5, 4] },
      time: {
        src: { size: 7, dim: 1, by: 'src_lengths' },
        tgt: { size: 5, dim: 1, by: 'tgt_lengths' },
      },
      out: { name: 'logits', dim: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = buildPreset(c.preset, c.options);
      const weights = initWeights(spec, 5, { randomizeConstants: true });
      const bindings: Record<string, number> = { batch: 3 };
      for (const [name, { size, dim }] of Object.entries(c.time))
        bindings[spec.inputs[name].shape[dim] as string] = size;
      const inputs = randomInputs(spec, bindings, 11);
      for (const [name, values] of Object.entries(c.lengths))
        inputs[name] = { dtype: 'int32', shape: [3], data: Int32Array.from(values) };
      if (c.preset === 'speechRecognizer') {
        // Padding is zeros, as a padded batch of audio features is: the "same" convolution at
        // the last valid frames reads them, as it reads its own zero padding when run alone.
        const [, f, frames] = inputs.features.shape;
        for (let b = 0; b < 3; b++)
          for (let k = 0; k < f; k++)
            for (let t = c.lengths.lengths[b]; t < frames; t++)
              inputs.features.data[(b * f + k) * frames + t] = 0;
      }
      const model = compileReference(spec, weights);
      const whole = model.runFloat64(inputs)[c.out.name];
      for (let b = 0; b < 3; b++) {
        const alone: Record<string, Tensor> = {};
        for (const [name, t] of Object.entries(inputs)) {
          const timed = c.time[name];
          if (timed === undefined) {
            alone[name] = { dtype: 'int32', shape: [1], data: Int32Array.of(t.data[b]) };
            continue;
          }
          const r = row(t, b, c.lengths[timed.by][b], timed.dim);
          alone[name] =
            t.dtype === 'int32'
              ? { dtype: 'int32', shape: r.shape, data: Int32Array.from(r.data) }
              : { dtype: 'float32', shape: r.shape, data: Float32Array.from(r.data) };
        }
        const got = model.runFloat64(alone)[c.out.name];
        const want =
          c.out.dim === undefined
            ? row(whole, b, whole.shape[1], 1)
            : row(whole, b, got.shape[c.out.dim], c.out.dim);
        expect(got.shape).toEqual(want.shape);
        for (let i = 0; i < got.data.length; i++)
          expect(Math.abs(got.data[i] - want.data[i])).toBeLessThan(1e-12);
      }
    });
  }
});
