// The tfjs decoder (§6.5) on the variants that run in Node.js: a prompt, then one token at a time
// (and chunks), must give the rows of run on the whole sequence, and the rows of the float64
// reference, within conformance's default tolerance; its state lives in tf tensors that
// reset() and dispose() free. The kernels' new inputs (positions, initial states) are checked
// against the reference on their own, bidirectional layouts included.

import * as tf from '@tensorflow/tfjs';
import { compileReference } from '@tessera/backend-reference';
import { compareTensors, defaultTolerance } from '@tessera/conformance';
import {
  charRnnLM,
  initWeights,
  llamaLM,
  type ModelSpec,
  randomInputs,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend, type TfjsModel } from '../src/index.js';
import { spec, variants } from './helpers.js';

function ids(batch: number, time: number, vocab: number, seed = 1): Tensor {
  const data = Int32Array.from({ length: batch * time }, (_, i) => (i * 7 + seed * 3) % vocab);
  return { dtype: 'int32', shape: [batch, time], data };
}

/** Columns [from, to) of ids [B, T]. */
function cols(t: Tensor, from: number, to: number): Tensor {
  const [b, time] = t.shape;
  const data = new Int32Array(b * (to - from));
  for (let i = 0; i < b; i++)
    data.set(t.data.subarray(i * time + from, i * time + to) as Int32Array, i * (to - from));
  return { dtype: 'int32', shape: [b, to - from], data };
}

/** Rows [from, to) along dim 1 of [B, T, V], as a [B, to − from, V] tensor of the same array type. */
function rows<D extends Float32Array | Float64Array>(
  t: { shape: number[]; data: D },
  from: number,
  to: number,
): { shape: number[]; data: D } {
  const [b, time, v] = t.shape;
  const data = new (t.data.constructor as new (n: number) => D)(b * (to - from) * v);
  for (let i = 0; i < b; i++)
    data.set(t.data.subarray((i * time + from) * v, (i * time + to) * v), i * (to - from) * v);
  return { shape: [b, to - from, v], data };
}

/** compareTensors at the default tolerance, failing with where and by how much. */
function expectClose(got: Tensor, want: { shape: number[]; data: Float64Array }, what: string) {
  const c = compareTensors(got, want, defaultTolerance);
  expect(
    c.ok,
    `${what}: ${c.reason ?? `${c.mismatches} mismatches, worst at [${c.worstPosition}] got ${c.got} want ${c.want}`}`,
  ).toBe(true);
}

async function compile(variant: (typeof variants)[number], s: ModelSpec): Promise<TfjsModel> {
  return (await createBackend({ variant })).compile(
    s,
    initWeights(s, 3, { randomizeConstants: true }),
  );
}

async function expectStepsMatchRun(
  variant: (typeof variants)[number],
  s: ModelSpec,
  input: string,
  chunks: number[],
  batch = 2,
) {
  const weights = initWeights(s, 3, { randomizeConstants: true });
  const model = await (await createBackend({ variant })).compile(s, weights);
  const reference = compileReference(s, weights);
  const time = chunks.reduce((a, b) => a + b, 0);
  const vocab = (s.nodes[0] as { numEmbeddings: number }).numEmbeddings;
  const all = ids(batch, time, vocab);
  const full = (await model.run({ [input]: all })).logits;
  const want = reference.runFloat64({ [input]: all }).logits;
  const before = tf.memory().numTensors;
  const decoder = await model.decoder({ batch, maxLength: time + 2 });
  for (let round = 0; round < 2; round++) {
    let at = 0;
    for (const n of chunks) {
      const out = (await decoder.step({ [input]: cols(all, at, at + n) })).logits;
      expect(out.shape).toEqual([batch, n, vocab]);
      const where = `${s.name} round ${round}, positions ${at}..${at + n - 1}`;
      expectClose(out, rows(want, at, at + n), `${where} against the reference`);
      const mine = rows(full as { shape: number[]; data: Float32Array }, at, at + n);
      expectClose(out, { ...mine, data: Float64Array.from(mine.data) }, `${where} against run`);
      at += n;
      expect(decoder.position).toBe(at);
    }
    decoder.reset();
    expect(tf.memory().numTensors, 'reset() frees the state').toBe(before);
  }
  await decoder.step({ [input]: cols(all, 0, 2) });
  await decoder.dispose();
  expect(tf.memory().numTensors, 'dispose() frees everything the decoder made').toBe(before);
  await model.dispose();
}

const tinyRnn = spec({
  name: 'tiny-rnn',
  inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
  outputs: { logits: 'rnn' },
  nodes: [
    { id: 'embed', op: 'embedding', numEmbeddings: 5, embeddingDim: 2 },
    { id: 'rnn', op: 'rnn', inputSize: 2, hiddenSize: 2 },
  ],
});
const tinyTransformer = transformerLM({
  vocabSize: 5,
  dModel: 4,
  nhead: 1,
  numLayers: 1,
  dimFeedforward: 4,
  maxLength: 16,
});

describe.each(variants)('the tfjs:%s decoder', (variant) => {
  test('llamaLM with GQA and rope: a prompt, single tokens and a chunk', async () => {
    const s = llamaLM({
      vocabSize: 11,
      hiddenSize: 8,
      numLayers: 2,
      numHeads: 4,
      numKeyValueHeads: 2,
      intermediateSize: 12,
    });
    await expectStepsMatchRun(variant, s, 'input_ids', [3, 1, 1, 2, 1]);
    await expectStepsMatchRun(variant, s, 'input_ids', [1, 1, 1, 1], 1);
  });

  test('llamaLM with partial interleaved rope and a tied head', async () => {
    const s = llamaLM({
      vocabSize: 9,
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 2,
      numKeyValueHeads: 1,
      intermediateSize: 8,
      tieWordEmbeddings: true,
      headDim: 6,
    });
    await expectStepsMatchRun(variant, s, 'input_ids', [1, 1, 1, 1]);
  });

  test('transformerLM with learned and sinusoidal positions', async () => {
    for (const positional of ['learned', 'sinusoidal'] as const) {
      const s = transformerLM({
        vocabSize: 10,
        dModel: 8,
        nhead: 2,
        numLayers: 2,
        dimFeedforward: 16,
        maxLength: 12,
        positional,
      });
      await expectStepsMatchRun(variant, s, 'tokens', [4, 1, 3, 1]);
    }
  });

  test('a lone multiHeadAttention (cache: true on the op itself, not inside an encoder layer)', async () => {
    const s = spec({
      name: 'mha-lm',
      inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
      outputs: { logits: 'head' },
      nodes: [
        { id: 'embed', op: 'embedding', numEmbeddings: 7, embeddingDim: 6 },
        { id: 'att', op: 'multiHeadAttention', embedDim: 6, numHeads: 2, causal: true },
        { id: 'head', op: 'linear', inFeatures: 6, outFeatures: 7 },
      ],
    });
    await expectStepsMatchRun(variant, s, 'tokens', [2, 1, 3, 1]);
  });

  test('2-layer LSTM, GRU and RNN keep h and c', async () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const s = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, numLayers: 2, cell });
      await expectStepsMatchRun(variant, s, 'tokens', [2, 1, 1, 3]);
    }
  });

  test('a state output the spec also returns (h_n) is kept, not freed after the read', async () => {
    const base = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, cell: 'gru' });
    const s: ModelSpec = { ...base, outputs: { ...base.outputs, h: 'rnn:h_n' } };
    const model = await compile(variant, s);
    const all = ids(1, 3, 7);
    const full = await model.run({ tokens: all });
    const decoder = await model.decoder({ maxLength: 3 });
    await decoder.step({ tokens: cols(all, 0, 2) });
    const last = await decoder.step({ tokens: cols(all, 2, 3) });
    expect(Array.from(last.h.data)).toEqual(Array.from(full.h.data));
    await decoder.dispose();
    await model.dispose();
  });

  // The smallest model with state (tfjs costs tens of µs per kernel, so 10,000 steps of a
  // transformer would take half a minute); the attention caches' bookkeeping is the same code,
  // run for 160 steps (10 resets) of a one-layer transformerLM.
  test.each([
    ['an embedding and an rnn', 10_000, tinyRnn],
    ['a one-layer transformerLM', 160, tinyTransformer],
  ] as const)(
    '%s: %i single-token steps leave the tensor count flat, reset at maxLength',
    async (_name, steps, s) => {
      const model = await compile(variant, s);
      const before = tf.memory().numTensors;
      const decoder = await model.decoder({ maxLength: 16 });
      const token = ids(1, 1, 5);
      await decoder.step({ tokens: token });
      const steady = tf.memory().numTensors;
      const bytes: number[] = [];
      for (let i = 1; i < steps; i++) {
        if (decoder.position === decoder.maxLength) {
          bytes.push(tf.memory().numBytes);
          decoder.reset();
        }
        await decoder.step({ tokens: token });
        // One state tensor replaces another: the count never moves, whatever the position.
        if (tf.memory().numTensors !== steady)
          expect(tf.memory().numTensors, `after step ${i}`).toBe(steady);
      }
      // The full state takes the same bytes at every reset.
      expect(bytes.length).toBe(Math.floor((steps - 1) / 16));
      expect(new Set(bytes).size).toBe(1);
      await decoder.dispose();
      expect(tf.memory().numTensors).toBe(before);
      await model.dispose();
    },
  );

  test('a decoder of a disposed model says so', async () => {
    const s = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, cell: 'lstm' });
    const model = await compile(variant, s);
    const decoder = await model.decoder();
    await decoder.step({ tokens: ids(1, 2, 7) });
    await model.dispose();
    await expect(decoder.step({ tokens: ids(1, 1, 7) })).rejects.toThrow(/disposed/);
    await decoder.dispose();
    await expect(model.decoder()).rejects.toThrow(/disposed/);
  });
});

// The kernels' new inputs on their own, as model inputs: rope's and positionalEmbedding's offset,
// the recurrences' initial state in h_n's layout (layer-major, bidirectional).
const withState = (
  op: 'lstm' | 'gru' | 'rnn',
): { model: ModelSpec; bindings: Record<string, number> } => {
  const state = { dtype: 'float32' as const, shape: [4, 'batch', 3] };
  return {
    model: spec({
      name: `${op}-initial-state`,
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 'time', 2] },
        h0: state,
        ...(op === 'lstm' ? { c0: state } : {}),
      },
      outputs: { y: 'r', h: 'r:h_n', ...(op === 'lstm' ? { c: 'r:c_n' } : {}) },
      nodes: [
        {
          id: 'r',
          op,
          input: ['x', 'h0', ...(op === 'lstm' ? ['c0'] : [])],
          inputSize: 2,
          hiddenSize: 3,
          numLayers: 2,
          bidirectional: true,
        },
      ],
    }),
    bindings: { batch: 2, time: 3 },
  };
};
const position = { dtype: 'int32' as const, shape: [1] };
const offsetCases: { model: ModelSpec; bindings: Record<string, number>; at?: number }[] = [
  ...(['lstm', 'gru', 'rnn'] as const).map(withState),
  ...[false, true].map((interleaved) => ({
    model: spec({
      name: 'rope-offset',
      inputs: { x: { dtype: 'float32', shape: ['batch', 2, 'time', 6] }, p: position },
      outputs: { y: 'r' },
      nodes: [{ id: 'r', op: 'rope', input: ['x', 'p'], dim: 4, interleaved }],
    }),
    bindings: { batch: 1, time: 3 },
    at: 1000,
  })),
  ...(['learned', 'sinusoidal'] as const).map((kind) => ({
    model: spec({
      name: 'positions-offset',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 4] }, p: position },
      outputs: { y: 'pe' },
      nodes: [
        {
          id: 'pe',
          op: 'positionalEmbedding',
          input: ['x', 'p'],
          kind,
          maxLength: 9,
          embeddingDim: 4,
        },
      ],
    }),
    bindings: { batch: 2, time: 3 },
    at: 6,
  })),
];

describe.each(variants)('the new kernel inputs on tfjs:%s', (variant) => {
  test.each(offsetCases)('$model.name matches the reference', async ({ model, bindings, at }) => {
    const weights = initWeights(model, 5, { randomizeConstants: true });
    const inputs = randomInputs(model, bindings, 6);
    if (at !== undefined) inputs.p = { dtype: 'int32', shape: [1], data: Int32Array.of(at) };
    const tfjs = await (await createBackend({ variant })).compile(model, weights);
    const got = await tfjs.run(inputs);
    const want = compileReference(model, weights).runFloat64(inputs);
    for (const name of Object.keys(model.outputs)) expectClose(got[name], want[name], name);
    await tfjs.dispose();
  });

  test('rope tables grow as later positions come (and negative ones turn back)', async () => {
    // A theta no other test uses, so the tables start empty here.
    const model = spec({
      name: 'rope-growth',
      inputs: { x: { dtype: 'float32', shape: ['batch', 2, 'time', 6] }, p: position },
      outputs: { y: 'r' },
      nodes: [{ id: 'r', op: 'rope', input: ['x', 'p'], dim: 6, theta: 12345 }],
    });
    const tfjs = await (await createBackend({ variant })).compile(model, initWeights(model, 1));
    const reference = compileReference(model, initWeights(model, 1));
    for (const at of [3, 40, 1000, 5000, 2, -3]) {
      const inputs = randomInputs(model, { batch: 1, time: 3 }, at + 10);
      inputs.p = { dtype: 'int32', shape: [1], data: Int32Array.of(at) };
      expectClose((await tfjs.run(inputs)).y, reference.runFloat64(inputs).y, `offset ${at}`);
    }
    await tfjs.dispose();
  });

  test('an offset past positionalEmbedding maxLength is refused, naming the node', async () => {
    const { model } = offsetCases.at(-1)!;
    const tfjs = await (await createBackend({ variant })).compile(model, initWeights(model, 1));
    const inputs = randomInputs(model, { batch: 1, time: 3 }, 2);
    inputs.p = { dtype: 'int32', shape: [1], data: Int32Array.of(7) };
    await expect(tfjs.run(inputs)).rejects.toThrow(
      /3 steps from position 7 .*"pe" has maxLength 9/,
    );
    await tfjs.dispose();
  });
});
