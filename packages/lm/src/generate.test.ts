// Generation on the decoder against recomputation of the whole prefix on the reference backend:
// the same seed must give the same ids both ways (the decoder's logits are the rows of run), the
// decoder must really be used (no run call), and it must be freed however generation ends.
import { createBackend } from '@tessera/backend-reference';
import {
  type CompiledModel,
  charRnnLM,
  type Decoder,
  type DecoderOptions,
  InputError,
  initWeights,
  llamaLM,
  type ModelSpec,
  transformerLM,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import {
  type GenerateOptions,
  type GenerateStart,
  generate,
  generateStream,
  generateWithStats,
  lmOptionsOf,
} from './index.js';

const VOCAB = 13;
const presets: Record<string, ModelSpec> = {
  llamaLM: llamaLM({
    vocabSize: VOCAB,
    hiddenSize: 8,
    numLayers: 2,
    numHeads: 4,
    numKeyValueHeads: 2,
    intermediateSize: 12,
  }),
  transformerLM: transformerLM({
    vocabSize: VOCAB,
    dModel: 8,
    nhead: 2,
    numLayers: 2,
    dimFeedforward: 16,
    maxLength: 24,
  }),
  charRnnLM: charRnnLM({ vocabSize: VOCAB, embeddingDim: 4, hiddenSize: 6, numLayers: 2 }),
};

interface Counts {
  runs: number;
  steps: number;
  disposed: number;
  decoderOptions: (DecoderOptions | undefined)[];
}

/** The model with its run, its decoder's steps and disposals counted. */
function counted(model: CompiledModel): { model: CompiledModel; counts: Counts } {
  const counts: Counts = { runs: 0, steps: 0, disposed: 0, decoderOptions: [] };
  const wrapped: CompiledModel = {
    run: (inputs) => {
      counts.runs++;
      return model.run(inputs);
    },
    dispose: () => model.dispose(),
    async decoder(options) {
      counts.decoderOptions.push(options);
      const d = await model.decoder!(options);
      const spy: Decoder = {
        step: (inputs) => {
          counts.steps++;
          return d.step(inputs);
        },
        get position() {
          return d.position;
        },
        batch: d.batch,
        maxLength: d.maxLength,
        stateBytes: d.stateBytes,
        reset: () => d.reset(),
        dispose: () => {
          counts.disposed++;
          return d.dispose();
        },
      };
      return spy;
    },
  };
  return { model: wrapped, counts };
}

async function compile(spec: ModelSpec): Promise<CompiledModel> {
  return (await createBackend()).compile(spec, initWeights(spec, 3, { randomizeConstants: true }));
}

const prompt = [1, 4, 9];

describe('generate with the decoder', () => {
  describe.each(Object.keys(presets))('%s', (name) => {
    const spec = presets[name];
    const lm = lmOptionsOf(spec);
    it.each([
      ['greedy', { temperature: 0 }],
      ['sampled', { temperature: 1, topK: 8, topP: 0.95, seed: 7 }],
    ] as const)('%s: the same ids as recomputing the prefix', async (_, sampling) => {
      const { model, counts } = counted(await compile(spec));
      const options: GenerateOptions = { ...lm, ...sampling, maxTokens: 12 };
      const starts: GenerateStart[] = [];
      const cached = await generateWithStats(model, prompt, {
        ...options,
        onStart: (s) => starts.push(s),
      });
      expect(cached.cached).toBe(true);
      expect(cached.reason).toBeUndefined();
      expect(counts).toMatchObject({ runs: 0, steps: 12, disposed: 1 });
      // The last new token is never fed back: prompt + 11 positions.
      expect(counts.decoderOptions).toEqual([{ batch: 1, maxLength: prompt.length + 11 }]);
      expect(starts).toHaveLength(1);
      expect(starts[0].cached).toBe(true);

      const recomputed = await generateWithStats(model, prompt, {
        ...options,
        cache: false,
        onStart: (s) => starts.push(s),
      });
      expect(recomputed.cached).toBe(false);
      expect(recomputed.reason).toMatch(/cache: false/);
      expect(counts.runs).toBe(12);
      expect(starts[1]).toEqual({ cached: false, reason: recomputed.reason });

      expect(cached.ids).toHaveLength(12);
      expect(cached.ids).toEqual(recomputed.ids);
      expect(cached.ids.every((id) => Number.isInteger(id) && id >= 0 && id < VOCAB)).toBe(true);
      // A sampled run must not be greedy in disguise (the seed changes the draw).
      if (sampling.temperature !== 0)
        expect(await generate(model, prompt, { ...options, seed: 8 })).not.toEqual(cached.ids);
      await model.dispose();
    });
  });

  it('reports the state size and the speed; stop tokens end it (included)', async () => {
    // transformerLM, 2 layers of 2 heads of 4: keys and values [1, 2, L, 4] float32 each.
    const { model, counts } = counted(await compile(presets.transformerLM));
    const options: GenerateOptions = { ...lmOptionsOf(presets.transformerLM), maxTokens: 10 };
    let start: GenerateStart | undefined;
    const stats = await generateWithStats(model, prompt, {
      ...options,
      onStart: (s) => (start = s),
    });
    const positions = prompt.length + 9;
    expect(start).toEqual({ cached: true, stateBytes: 2 * 2 * (2 * positions * 4) * 4 });
    expect(stats.prefillMs).toBeGreaterThanOrEqual(0);
    expect(stats.tokensPerSecond).toBeGreaterThan(0);
    const stopAt = stats.ids.findIndex((id) => id !== stats.ids[0]);
    const stopped = await generate(model, prompt, { ...options, stopTokens: [stats.ids[stopAt]] });
    expect(stopped).toEqual(stats.ids.slice(0, stopAt + 1));
    expect(counts.disposed).toBe(2);
    await model.dispose();
  });

  it('contextLength caps the decoder and the tokens', async () => {
    const { model, counts } = counted(await compile(presets.llamaLM));
    const ids = await generate(model, prompt, {
      input: 'input_ids',
      maxTokens: 20,
      contextLength: 8,
    });
    expect(ids).toHaveLength(8 - prompt.length);
    expect(counts.decoderOptions).toEqual([{ batch: 1, maxLength: 7 }]);
    // A prompt that fills the context makes nothing, and says so.
    const full = await generateWithStats(model, [1, 2, 3, 4, 5, 6, 7, 8], {
      input: 'input_ids',
      maxTokens: 3,
      contextLength: 8,
    });
    expect(full).toMatchObject({ ids: [], cached: false });
    expect(full.reason).toMatch(/no token to generate/);
    await model.dispose();
  });

  it('a spec that cannot decode falls back to recomputation, saying why', async () => {
    const causal = presets.transformerLM;
    const spec = {
      ...causal,
      nodes: causal.nodes.map((n) =>
        n.op === 'transformerEncoderLayer' ? { ...n, causal: false } : n,
      ),
    } as ModelSpec;
    const { model, counts } = counted(await compile(spec));
    const starts: GenerateStart[] = [];
    const stats = await generateWithStats(model, prompt, {
      maxTokens: 5,
      seed: 2,
      onStart: (s) => starts.push(s),
    });
    expect(stats.cached).toBe(false);
    expect(stats.reason).toMatch(/node block0 \(transformerEncoderLayer\) .*not causal/);
    expect(starts).toEqual([{ cached: false, reason: stats.reason }]);
    expect(counts.runs).toBe(5);
    expect(stats.ids).toEqual(
      await generate(model, prompt, { maxTokens: 5, seed: 2, cache: false }),
    );
    await model.dispose();
  });

  it('any other decoder error propagates', async () => {
    // 3 + 29 positions are more than the 24 the positional embedding holds.
    const model = await compile(presets.transformerLM);
    await expect(generate(model, prompt, { maxTokens: 30 })).rejects.toThrow(InputError);
    await expect(generate(model, prompt, { maxTokens: 30 })).rejects.toThrow(/maxLength 32/);
    await model.dispose();
  });
});

describe('ending early frees the decoder', () => {
  it('abort: stops after the token in progress, keeping the tokens so far', async () => {
    const { model, counts } = counted(await compile(presets.charRnnLM));
    const all = await generate(model, prompt, { maxTokens: 8, seed: 1 });
    const abort = new AbortController();
    const ids = await generate(model, prompt, {
      maxTokens: 8,
      seed: 1,
      signal: abort.signal,
      onToken: (_, i) => {
        if (i === 2) abort.abort();
      },
    });
    expect(ids).toEqual(all.slice(0, 3));
    expect(counts.steps).toBe(8 + 3);
    expect(await generate(model, prompt, { maxTokens: 8, signal: abort.signal })).toEqual([]);
    expect(counts.disposed).toBe(3);
    await model.dispose();
  });

  it('breaking out of the stream, and an error thrown while generating', async () => {
    const { model, counts } = counted(await compile(presets.charRnnLM));
    const seen: number[] = [];
    for await (const id of generateStream(model, prompt, { maxTokens: 8, seed: 1 })) {
      seen.push(id);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual((await generate(model, prompt, { maxTokens: 8, seed: 1 })).slice(0, 2));
    expect(counts.disposed).toBe(2);
    await expect(
      generate(model, prompt, {
        maxTokens: 8,
        onToken: () => {
          throw new Error('listener failed');
        },
      }),
    ).rejects.toThrow('listener failed');
    expect(counts.disposed).toBe(3);
    await model.dispose();
  });

  it('the stream returns the stats', async () => {
    const model = await compile(presets.charRnnLM);
    const stream = generateStream(model, prompt, { maxTokens: 3, seed: 4 });
    const ids: number[] = [];
    let r = await stream.next();
    while (r.done !== true) {
      ids.push(r.value);
      r = await stream.next();
    }
    expect(r.value.ids).toEqual(ids);
    expect(r.value.cached).toBe(true);
    await model.dispose();
  });
});

describe('lmOptionsOf', () => {
  it('finds the token input, the logits and the positional limit', () => {
    expect(lmOptionsOf(presets.llamaLM)).toEqual({ input: 'input_ids', output: 'logits' });
    expect(lmOptionsOf(presets.transformerLM)).toEqual({
      input: 'tokens',
      output: 'logits',
      contextLength: 24,
    });
    expect(lmOptionsOf(presets.charRnnLM)).toEqual({ input: 'tokens', output: 'logits' });
    const noLogits = { ...presets.charRnnLM, outputs: { y: 'head' } } as ModelSpec;
    expect(() => lmOptionsOf(noLogits)).toThrow(/needs a logits output \(outputs: y\)/);
    const floats = {
      ...presets.charRnnLM,
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 4] } },
    } as ModelSpec;
    expect(() => lmOptionsOf(floats)).toThrow(/one int32 \[batch, time\] input/);
  });
});
