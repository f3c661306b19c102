// gpu.js's decoder on the node variants: a prompt, then one position at a time (and chunks),
// must give the rows of the reference's run on the whole sequence within the conformance
// tolerance, and steady-state steps must not compile kernels (the cache grows every step, so a
// kernel baked for each size would be compiled at every step).

import { compileReference } from '@tessera/backend-reference';
import { compareTensors, defaultTolerance, type Float64Output } from '@tessera/conformance';
import {
  charRnnLM,
  initWeights,
  llamaLM,
  type ModelSpec,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { createBackend, type Variant } from '../src/index.js';

const variants: Variant[] = ['cpu', 'webasm'];

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

/** Rows [from, to) along dim 1 of [B, T, V]. */
function rows(t: Float64Output, from: number, to: number): Float64Output {
  const [b, time, v] = t.shape;
  const data = new Float64Array(b * (to - from) * v);
  for (let i = 0; i < b; i++)
    data.set(t.data.subarray((i * time + from) * v, (i * time + to) * v), i * (to - from) * v);
  return { shape: [b, to - from, v], data };
}

const vocabOf = (spec: ModelSpec) => (spec.nodes[0] as { numEmbeddings: number }).numEmbeddings;

async function expectStepsMatchRun(
  variant: Variant,
  spec: ModelSpec,
  input: string,
  chunks: number[],
  batch = 2,
) {
  const weights = initWeights(spec, 3, { randomizeConstants: true });
  const time = chunks.reduce((a, b) => a + b, 0);
  const all = ids(batch, time, vocabOf(spec));
  const reference = compileReference(spec, weights);
  const full = reference.runFloat64({ [input]: all }).logits;
  await reference.dispose();
  const model = await (await createBackend({ variant })).compile(spec, weights);
  const decoder = await model.decoder!({ batch, maxLength: time + 2 });
  for (let round = 0; round < 2; round++) {
    let at = 0;
    for (const n of chunks) {
      const out = await decoder.step({ [input]: cols(all, at, at + n) });
      const verdict = compareTensors(out.logits, rows(full, at, at + n), defaultTolerance);
      expect(verdict, `positions ${at}..${at + n - 1}, round ${round}`).toMatchObject({ ok: true });
      at += n;
      expect(decoder.position).toBe(at);
    }
    decoder.reset();
  }
  await decoder.dispose();
  await model.dispose();
}

describe.each(variants)('gpujs:%s decoder', (variant) => {
  it('llamaLM with GQA and rope: a prompt, single tokens and a chunk', async () => {
    const spec = llamaLM({
      vocabSize: 11,
      hiddenSize: 8,
      numLayers: 2,
      numHeads: 4,
      numKeyValueHeads: 2,
      intermediateSize: 12,
    });
    await expectStepsMatchRun(variant, spec, 'input_ids', [3, 1, 1, 2, 1]);
  });

  it('llamaLM with partial interleaved rope and tied head', async () => {
    const spec = llamaLM({
      vocabSize: 9,
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 2,
      numKeyValueHeads: 1,
      intermediateSize: 8,
      tieWordEmbeddings: true,
      headDim: 6,
    });
    await expectStepsMatchRun(variant, spec, 'input_ids', [1, 1, 1, 1]);
  });

  it('transformerLM with learned and sinusoidal positions', async () => {
    for (const positional of ['learned', 'sinusoidal'] as const) {
      const spec = transformerLM({
        vocabSize: 10,
        dModel: 8,
        nhead: 2,
        numLayers: 2,
        dimFeedforward: 16,
        maxLength: 12,
        positional,
      });
      await expectStepsMatchRun(variant, spec, 'tokens', [4, 1, 3, 1]);
    }
  });

  it('many single steps: plans derived from the fit to the cache length (src/template.ts)', async () => {
    const singles = Array.from({ length: 16 }, () => 1);
    // Batch 3 of 3 heads of 4: sizes such as 36 that webasm's size classes round up (to 40).
    const llama = llamaLM({
      vocabSize: 11,
      hiddenSize: 12,
      numLayers: 2,
      numHeads: 3,
      numKeyValueHeads: 1,
      intermediateSize: 12,
    });
    await expectStepsMatchRun(variant, llama, 'input_ids', singles, 3);
    const gpt = transformerLM({ vocabSize: 10, dModel: 8, nhead: 2, numLayers: 1, maxLength: 20 });
    await expectStepsMatchRun(variant, gpt, 'tokens', singles, 1);
  });

  it('2-layer LSTM, GRU and RNN keep h and c', async () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const spec = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, numLayers: 2, cell });
      await expectStepsMatchRun(variant, spec, 'tokens', [2, 1, 1, 3]);
    }
  });
});

describe('kernel compilations while decoding', () => {
  it.each(variants)(
    'stay flat over many steps once every kernel has run once (%s)',
    async (variant) => {
      const spec = llamaLM({
        vocabSize: 16,
        hiddenSize: 8,
        numLayers: 2,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 12,
      });
      const weights = initWeights(spec, 1);
      const sources: string[] = [];
      const model = await (await createBackend({ variant })).compile(spec, weights, {
        onKernelSource: (s: string) => sources.push(s),
      });
      const prompt = ids(1, 4, 16);
      // The model's own run and the decoder's prefill share the kernel cache.
      await model.run({ input_ids: prompt });
      const afterRun = sources.length;
      const decoder = await model.decoder!({ maxLength: 64 });
      await decoder.step({ input_ids: prompt });
      expect(sources.length).toBe(afterRun);
      // The first steps build the kernels that take the cache's sizes as arguments.
      for (let i = 0; i < 2; i++) await decoder.step({ input_ids: ids(1, 1, 16, i) });
      const warm = sources.length;
      for (let i = 0; i < 40; i++) await decoder.step({ input_ids: ids(1, 1, 16, i) });
      expect(sources.length).toBe(warm);
      expect(decoder.position).toBe(46);
      await decoder.dispose();
      await model.dispose();
    },
  );
});

describe('decoder lifetime', () => {
  it('disposing the model stops its decoder, which shares its kernels and weights', async () => {
    const spec = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, cell: 'gru' });
    const model = await (await createBackend()).compile(spec, initWeights(spec, 1));
    const decoder = await model.decoder!();
    await decoder.step({ tokens: ids(1, 2, 7) });
    await decoder.step({ tokens: ids(1, 1, 7) });
    await model.dispose();
    await expect(decoder.step({ tokens: ids(1, 1, 7) })).rejects.toThrow(/disposed/);
    await expect(model.decoder!()).rejects.toThrow(/disposed/);
    await decoder.dispose();
  });
});
