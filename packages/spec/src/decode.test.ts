// decodePlan's specs and decodable's reasons; the numbers a decoder gives are checked on every
// backend (backend-reference/test/decode.test.ts and the conformance decoding cells).
import { describe, expect, test } from 'vitest';
import { decodable, decodePlan } from './decode.js';
import { inferShapes, parseSpec } from './graph.js';
import { lowerAll } from './lower.js';
import { buildPreset, type PresetName, presets } from './presets/index.js';

const spec = (nodes: unknown[], shape: (string | number)[] = ['batch', 'time', 4]) =>
  parseSpec({
    format: 'tessera.model/v1',
    name: 't',
    inputs: { x: { dtype: 'float32', shape } },
    outputs: { y: (nodes.at(-1) as { id: string }).id },
    nodes,
  });

describe('decodable', () => {
  test('the presets: language models decode, classifiers and convolutions say why', () => {
    const answers = Object.fromEntries(
      (Object.keys(presets) as PresetName[]).map((name) => [name, decodable(buildPreset(name))]),
    );
    expect(answers.transformerLM).toBe(true);
    expect(answers.llamaLM).toBe(true);
    expect(answers.charRnnLM).toBe(true);
    expect(answers.rnnClassifier).toMatch(/^node \w+ \(\w+\) /);
    expect(answers.cnnClassifier).toMatch(/input \w+ is \[/);
    expect(answers.speechRecognizer).toMatch(/input features is \[batch, 40, frames\]/);
  });

  test('each op rule: pointwise over features, refused over time or batch', () => {
    expect(decodable(spec([{ id: 'a', op: 'softmax', dim: -1 }]))).toBe(true);
    expect(decodable(spec([{ id: 'a', op: 'softmax', dim: 1 }]))).toMatch(
      /node a \(softmax\) normalises over dim 1/,
    );
    expect(decodable(spec([{ id: 'a', op: 'mean', dim: 1 }]))).toMatch(/averages over dim 1/);
    expect(decodable(spec([{ id: 'a', op: 'layerNorm', normalizedShape: [4] }]))).toBe(true);
    expect(
      decodable(
        spec([{ id: 'a', op: 'layerNorm', normalizedShape: [3, 4] }], ['batch', 'time', 3, 4]),
      ),
    ).toBe(true);
    expect(
      decodable(
        spec([{ id: 'a', op: 'layerNorm', normalizedShape: [5, 4] }], ['batch', 'time', 4]),
      ),
    ).toMatch(/normalises over dim 1/);
    expect(decodable(spec([{ id: 'a', op: 'permute', dims: [0, 2, 1] }]))).toMatch(
      /moves the dim over dim 1/,
    );
    expect(decodable(spec([{ id: 'a', op: 'permute', dims: [0, 1, 2] }]))).toBe(true);
    expect(decodable(spec([{ id: 'a', op: 'flatten', startDim: 1 }]))).toMatch(
      /flattens over dim 1/,
    );
    expect(
      decodable(
        spec(
          [{ id: 'a', op: 'conv1d', inChannels: 4, outChannels: 2, kernelSize: 1 }],
          ['batch', 4, 'time'],
        ),
      ),
    ).toMatch(/input x is \[batch, 4, time\]/);
    expect(decodable(spec([{ id: 'a', op: 'relu' }], [2, 5, 4]))).toMatch(/symbolic time/);
    expect(
      decodable(spec([{ id: 'a', op: 'multiHeadAttention', embedDim: 4, numHeads: 2 }])),
    ).toMatch(/node a \(multiHeadAttention\) is not causal/);
    expect(
      decodable(spec([{ id: 'a', op: 'lstm', inputSize: 4, hiddenSize: 2, bidirectional: true }])),
    ).toMatch(/is bidirectional/);
  });
});

describe('decodePlan', () => {
  test('the step spec reads the position and the past, the prefill returns the state', () => {
    const lm = presets.transformerLM({
      vocabSize: 10,
      dModel: 8,
      nhead: 2,
      numLayers: 2,
      maxLength: 32,
    });
    const plan = decodePlan(lm);
    expect(plan.maxPositions).toBe(32);
    expect(Object.keys(plan.step.inputs)).toEqual([
      'tokens',
      'position',
      'past_key_values_0_key',
      'past_key_values_0_value',
      'past_key_values_1_key',
      'past_key_values_1_value',
    ]);
    expect(plan.step.inputs.past_key_values_1_value).toEqual({
      dtype: 'float32',
      shape: ['batch', 2, 'past', 4],
    });
    expect(Object.keys(plan.prefill.outputs)).toEqual([
      'logits',
      'present_0_key',
      'present_0_value',
      'present_1_key',
      'present_1_value',
    ]);
    expect(plan.prefill.inputs).toEqual(lm.inputs);
    const positional = plan.step.nodes.find((n) => n.op === 'positionalEmbedding')!;
    expect(positional.input.at(-1)).toBe('position');
    const layer = plan.step.nodes.find((n) => n.op === 'transformerEncoderLayer')!;
    expect(layer).toMatchObject({ cache: true });
    expect(layer.input.slice(1)).toEqual(['past_key_values_0_key', 'past_key_values_0_value']);
    // The step's present keys hold the past positions and the new ones.
    const shapes = inferShapes(plan.step, { batch: 3, time: 2, past: 5 });
    expect(shapes.get(`${layer.id}:key`)!.shape).toEqual([3, 2, 7, 4]);
  });

  test('state names never collide with the spec own inputs and outputs', () => {
    const lm = presets.charRnnLM({ numLayers: 1 });
    const taken = {
      ...lm,
      inputs: { ...lm.inputs, position: { dtype: 'int32' as const, shape: ['batch', 'time'] } },
    };
    const plan = decodePlan(taken);
    expect(plan.position).toBe('position_');
    expect(plan.state.map((s) => s.input)).toEqual(['past_state_rnn_h_n', 'past_state_rnn_c_n']);
  });
});

describe('an encoder–decoder decodes with its memory fixed', () => {
  const s2s = buildPreset('seq2seqTransformer', { numEncoderLayers: 2, numDecoderLayers: 2 });

  test('the source is fed to the prefill only; the step spec has no encoder and no memory projection', () => {
    expect(decodable(s2s)).toBe(true);
    const plan = decodePlan(s2s);
    expect(plan.timeDim).toBe('time');
    expect(plan.fixedInputs).toEqual(['src']);
    expect(Object.keys(plan.step.inputs)).not.toContain('src');
    // Every node of the step reads the target's positions or the state: none of the encoder's.
    const stepIds = plan.step.nodes.map((n) => n.id);
    expect(stepIds.filter((id) => id.startsWith('src_') || id.startsWith('encoder'))).toEqual([]);
    expect(stepIds).not.toContain('memory');
    const lowered = lowerAll(plan.step).nodes.map((n) => n.id);
    expect(lowered.filter((id) => id.includes('memory_in_proj'))).toEqual([]);
    expect(
      lowerAll(plan.prefill).nodes.filter((n) => n.id.endsWith('memory_in_proj')),
    ).toHaveLength(2);
  });

  test("state: each layer's self-attention cache grows, its cross-attention keys and values are constant", () => {
    const plan = decodePlan(s2s);
    expect(plan.state.map((s) => [s.hfInput, s.constant === true, s.timeDim])).toEqual([
      ['past_key_values.0.key', false, 2],
      ['past_key_values.0.value', false, 2],
      ['past_key_values.0.encoder.key', true, undefined],
      ['past_key_values.0.encoder.value', true, undefined],
      ['past_key_values.1.key', false, 2],
      ['past_key_values.1.value', false, 2],
      ['past_key_values.1.encoder.key', true, undefined],
      ['past_key_values.1.encoder.value', true, undefined],
    ]);
    // The memory's keys are [batch, heads, srcTime, headDim]; the step returns only the caches.
    expect(plan.state[2].shape).toEqual(['batch', 4, 'srcTime', 8]);
    const constant = plan.state.filter((s) => s.constant).map((s) => s.output);
    expect(Object.keys(plan.step.outputs).filter((o) => constant.includes(o))).toEqual([]);
    expect(Object.keys(plan.prefill.outputs)).toEqual(expect.arrayContaining(constant));
  });

  test("a padded batch of sources: the memory's lengths are kept and fed to every step", () => {
    const padded = buildPreset('seq2seqTransformer', { sourceLengths: true });
    expect(decodable(padded)).toBe(true);
    const plan = decodePlan(padded);
    expect(plan.fixedInputs).toEqual(['src', 'src_lengths']);
    expect(plan.keptInputs).toEqual(['src_lengths']);
    expect(Object.keys(plan.step.inputs)).toContain('src_lengths');
    expect(Object.keys(plan.step.inputs)).not.toContain('src');
    // In the step, each cross-attention masks the memory's cached keys [batch, heads, srcTime, d]
    // at their dim 2.
    const masks = lowerAll(plan.step).nodes.filter((n) => n.op === 'lengthMask');
    expect(masks.map((n) => n.input)).toEqual([
      ['decoder0.multihead_attn.scores', 'src_lengths'],
      ['decoder1.multihead_attn.scores', 'src_lengths'],
    ]);
    // The encoder's masks are the prefill's only.
    expect(
      lowerAll(plan.prefill)
        .nodes.filter((n) => n.op === 'lengthMask')
        .map((n) => n.id),
    ).toEqual([
      'encoder0.self_attn.padded',
      'encoder1.self_attn.padded',
      'decoder0.multihead_attn.padded',
      'decoder1.multihead_attn.padded',
    ]);
  });

  test('lengths of the decoded time cannot decode: each row would need positions of its own', () => {
    expect(decodable(buildPreset('seq2seqTransformer', { lengths: true }))).toMatch(
      /^node decoder0 \(transformerDecoderLayer\) masks the padded positions of the decoded time "time" with lengths "tgt_lengths": a decoder feeds every row the same positions/,
    );
    const packed = parseSpec({
      format: 'tessera.model/v1',
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 'time', 4] },
        len: { dtype: 'int32', shape: ['batch'] },
      },
      outputs: { y: 'rnn' },
      nodes: [{ id: 'rnn', op: 'gru', input: 'x', inputSize: 4, hiddenSize: 3, lengths: 'len' }],
    });
    expect(decodable(packed)).toMatch(
      /^node rnn \(gru\) masks the padded positions of the decoded time "time" with lengths "len"/,
    );
  });

  test('a node reading an encoder value outside a memory slot cannot decode', () => {
    const mixed = parseSpec({
      format: 'tessera.model/v1',
      inputs: {
        tgt: { dtype: 'float32', shape: ['batch', 'time', 4] },
        mem: { dtype: 'float32', shape: ['batch', 'memTime', 4] },
      },
      outputs: { y: 'cat' },
      nodes: [
        { id: 'pooled', op: 'mean', input: 'mem', dim: 1, keepdim: true },
        { id: 'cat', op: 'add', input: ['tgt', 'pooled'] },
      ],
    });
    expect(decodable(mixed)).toMatch(
      /node cat \(add\) reads pooled, computed from mem alone, beside the decoded time/,
    );
  });
});
