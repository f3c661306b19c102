import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { inferShapes, parseSpec } from '../graph.js';
import { specJsonSchema } from '../json-schema.js';
import { initWeights, weightManifest } from '../weights.js';
import { buildPreset, type PresetName, presetChoices, presetParameters, presets } from './index.js';

const names = Object.keys(presets) as PresetName[];

describe.each(names)('%s', (name) => {
  test('parses, infers shapes and initialises weights', () => {
    const spec = buildPreset(name);
    const shapes = inferShapes(spec, { batch: 2, time: 5, frames: 9 });
    for (const ref of Object.values(spec.outputs))
      expect(shapes.get(ref)!.shape.every((d) => typeof d === 'number')).toBe(true);
    expect(initWeights(spec, 0).size).toBe(weightManifest(spec).length);
    expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  test('every listed size parameter is honoured', () => {
    expect(buildPreset(name, presetParameters[name])).toEqual(buildPreset(name));
  });
});

test('every string parameter lists its choices, and each choice builds', () => {
  for (const name of names) {
    for (const [key, value] of Object.entries(presetParameters[name])) {
      if (typeof value !== 'string') continue;
      const choices = presetChoices[name]?.[key];
      expect(choices, `${name}.${key}`).toContain(value);
      for (const choice of choices!)
        expect(() => buildPreset(name, { [key]: choice })).not.toThrow();
    }
  }
});

test('preset sizes change the spec', () => {
  const lm = presets.transformerLM({ vocabSize: 11, dModel: 16, nhead: 2, numLayers: 3 });
  expect(lm.nodes.filter((n) => n.op === 'transformerEncoderLayer')).toHaveLength(3);
  expect(inferShapes(lm, { batch: 1, time: 4 }).get('head')!.shape).toEqual([1, 4, 11]);
  const cnn = presets.cnnClassifier({ height: 32, width: 32, inChannels: 3 });
  // LeNet on 32×32: conv(5, pad 2) 32 → pool 16 → conv(5) 12 → pool 6: 16·6·6 = 576 features.
  expect(cnn.nodes.find((n) => n.id === 'fc1')).toMatchObject({ inFeatures: 576 });
  const speech = presets.speechRecognizer({ numClasses: 12 });
  expect(inferShapes(speech, { batch: 2, frames: 50 }).get('head')!.shape).toEqual([2, 50, 12]);
});

describe('JSON Schema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(specJsonSchema());

  test.each(names)('accepts the %s preset', (name) => {
    const ok = validate(JSON.parse(JSON.stringify(buildPreset(name))));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('accepts a spec written with defaults left out and rejects unknown attributes and ops', () => {
    const spec = {
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['batch', 4] } },
      outputs: { y: 'l' },
      nodes: [{ id: 'l', op: 'linear', inFeatures: 4, outFeatures: 2 }],
    };
    expect(validate(spec)).toBe(true);
    expect(
      validate({
        ...spec,
        nodes: [{ id: 'l', op: 'linear', inFeatures: 4, outFeatures: 2, foo: 1 }],
      }),
    ).toBe(false);
    expect(validate({ ...spec, nodes: [{ id: 'l', op: 'nope' }] })).toBe(false);
  });
});

test("llamaLM names its weights as Hugging Face's LlamaForCausalLM state_dict", () => {
  const lm = presets.llamaLM({ vocabSize: 11, hiddenSize: 8, numLayers: 2, numHeads: 4 });
  const names = weightManifest(lm).map((w) => w.name);
  expect(names).toContain('model.embed_tokens.weight');
  expect(names).toContain('model.layers.1.self_attn.k_proj.weight');
  expect(names).toContain('model.layers.0.mlp.gate_proj.weight');
  expect(names).toContain('model.layers.1.post_attention_layernorm.weight');
  expect(names).toContain('model.norm.weight');
  expect(names).toContain('lm_head.weight');
  // Per layer: 4 attention projections, 3 MLP projections, 2 norms; plus embed, norm, head.
  expect(names).toHaveLength(2 * 9 + 3);
  expect(inferShapes(lm, { batch: 1, time: 3 }).get('lm_head')!.shape).toEqual([1, 3, 11]);
  const tied = presets.llamaLM({ vocabSize: 11, hiddenSize: 8, tieWordEmbeddings: true });
  expect(weightManifest(tied).map((w) => w.name)).not.toContain('lm_head.weight');
  expect(tied.nodes.find((n) => n.id === 'lm_head')).toMatchObject({ tiedTo: 'embed_tokens' });
});
