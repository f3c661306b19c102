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
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';

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
