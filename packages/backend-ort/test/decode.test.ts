// The ORT decoder against ORT's own run of the whole sequence (conformance holds run against the
// reference): a prompt, then one token at a time and chunks, must give the rows of run, on both
// variants that run in Node.js and on every attention path; reset starts over; the step graph's
// state is named as Hugging Face names it; dispose frees the sessions.
import {
  charRnnLM,
  decodePlan,
  initWeights,
  llamaLM,
  type ModelSpec,
  parseSpec,
  SpecError,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import type * as Ort from 'onnxruntime-node';
import { describe, expect, test, vi } from 'vitest';
import { buildGraph } from '../src/compile.js';
import { decoderFactory, stateNames } from '../src/decode.js';
import { decodeModel } from '../src/graph-builder.js';
import { type AttentionPath, attentionPaths, createBackend } from '../src/index.js';

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
function rows(t: Tensor, from: number, to: number): Float32Array {
  const [b, time, v] = t.shape;
  const out = new Float32Array(b * (to - from) * v);
  for (let i = 0; i < b; i++)
    out.set(
      t.data.subarray((i * time + from) * v, (i * time + to) * v) as Float32Array,
      i * (to - from) * v,
    );
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const variants = ['node', 'wasm'] as const;

/**
 * Steps of `chunks` positions against one run over all of them. The step graph sums in another
 * order than the full pass (ORT's kernels block other shapes differently), so the two agree to
 * float32 rounding, not bit for bit: at most 9.5e-7 measured here on logits of size about 1, held
 * to 1e-5.
 */
async function expectStepsMatchRun(
  variant: (typeof variants)[number],
  spec: ModelSpec,
  input: string,
  chunks: number[],
  options: { batch?: number; attention?: AttentionPath } = {},
) {
  const batch = options.batch ?? 2;
  const backend = await createBackend({ variant, intraOpNumThreads: 1 });
  const weights = initWeights(spec, 3, { randomizeConstants: true });
  const model = await backend.compile(spec, weights, { attention: options.attention });
  const time = chunks.reduce((a, b) => a + b, 0);
  const vocab = (spec.nodes[0] as { numEmbeddings: number }).numEmbeddings;
  const all = ids(batch, time, vocab);
  const full = (await model.run({ [input]: all })).logits;
  const decoder = await model.decoder!({ batch, maxLength: time + 2 });
  for (let round = 0; round < 2; round++) {
    let at = 0;
    for (const n of chunks) {
      const out = await decoder.step({ [input]: cols(all, at, at + n) });
      expect(out.logits.shape).toEqual([batch, n, vocab]);
      const diff = maxDiff(out.logits.data as Float32Array, rows(full, at, at + n));
      expect(diff, `positions ${at}..${at + n}`).toBeLessThan(1e-5);
      at += n;
      expect(decoder.position).toBe(at);
    }
    decoder.reset();
    expect(decoder.position).toBe(0);
  }
  await decoder.dispose();
  await model.dispose();
}

const llama = () =>
  llamaLM({
    vocabSize: 11,
    hiddenSize: 8,
    numLayers: 2,
    numHeads: 4,
    numKeyValueHeads: 2,
    intermediateSize: 12,
  });

const gpt = (positional: 'learned' | 'sinusoidal') =>
  transformerLM({
    vocabSize: 10,
    dModel: 8,
    nhead: 2,
    numLayers: 2,
    dimFeedforward: 16,
    maxLength: 12,
    positional,
  });

describe.each(variants)('ort:%s decoder', (variant) => {
  test('llamaLM with GQA and rope: a prompt, single tokens and a chunk', async () => {
    await expectStepsMatchRun(variant, llama(), 'input_ids', [3, 1, 1, 2, 1]);
  });

  test('llamaLM with partial interleaved rope and a tied head, one token at a time', async () => {
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

  test('transformerLM with learned and sinusoidal positions, on every attention path', async () => {
    for (const positional of ['learned', 'sinusoidal'] as const)
      for (const attention of attentionPaths)
        await expectStepsMatchRun(variant, gpt(positional), 'tokens', [4, 1, 3, 1], { attention });
  });

  test('2-layer LSTM, GRU and RNN keep h and c', async () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const spec = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, numLayers: 2, cell });
      await expectStepsMatchRun(variant, spec, 'tokens', [2, 1, 1, 3]);
    }
  });

  test('batch 1', async () => {
    await expectStepsMatchRun(variant, gpt('learned'), 'tokens', [2, 1, 1], { batch: 1 });
  });
});

describe('the decoder graphs', () => {
  test('the step graph takes and gives the state under Hugging Face names', () => {
    const spec = llama();
    const plan = decodePlan(spec);
    const weights = initWeights(spec, 1);
    const names = stateNames(plan.state);
    const graph = decodeModel(buildGraph(plan.step, weights, { onnxNames: names }).bytes).graph!;
    expect(graph.input!.map((i) => i.name)).toEqual([
      'input_ids',
      'position',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
    ]);
    expect(graph.output!.map((o) => o.name)).toEqual([
      'logits',
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
    ]);
    // [batch, numKeyValueHeads, past, headDim], the past length a named dim.
    const dims = graph.input![2].type!.tensorType!.shape!.dim!;
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 2, 'past', 2]);
    const prefill = decodeModel(buildGraph(plan.prefill, weights, { onnxNames: names }).bytes)
      .graph!;
    expect(prefill.input!.map((i) => i.name)).toEqual(['input_ids']);
    expect(prefill.output!.map((o) => o.name)).toEqual(graph.output!.map((o) => o.name));
  });

  test('a fused attention path decomposes a multiHeadAttention that keeps a cache', () => {
    const spec = gpt('learned');
    const weights = initWeights(spec, 1);
    const ops = (s: ModelSpec) =>
      new Set(
        decodeModel(buildGraph(s, weights, { attention: 'ms-attention' }).bytes).graph!.node!.map(
          (n) => `${n.domain || ''}:${n.opType}`,
        ),
      );
    expect(ops(spec).has('com.microsoft:Attention')).toBe(true);
    const step = ops(decodePlan(spec).step);
    expect(step.has('com.microsoft:Attention')).toBe(false);
    expect(step.has(':Softmax')).toBe(true);
  });

  test('the recurrences read h_0 and c_0 per layer', () => {
    const spec = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, numLayers: 2 });
    const plan = decodePlan(spec);
    const graph = decodeModel(buildGraph(plan.step, initWeights(spec, 1)).bytes).graph!;
    const lstms = graph.node!.filter((n) => n.opType === 'LSTM');
    expect(lstms).toHaveLength(2);
    for (const n of lstms) {
      expect(n.input).toHaveLength(7); // X, W, R, B, sequence_lens (none), initial_h, initial_c
      expect(n.input![4]).toBe('');
    }
  });

  test("later changes to the caller's spec and weights do not reach the decoder", async () => {
    const spec = gpt('learned');
    const weights = initWeights(spec, 2);
    const model = await (await createBackend({ intraOpNumThreads: 1 })).compile(spec, weights);
    const tokens = ids(1, 3, 10);
    const { logits } = await model.run({ tokens });
    for (const t of weights.values()) t.data.fill(0);
    (spec.nodes[0] as { numEmbeddings: number }).numEmbeddings = 3;
    const decoder = await model.decoder!({ batch: 1 });
    const out = await decoder.step({ tokens });
    expect(maxDiff(out.logits.data as Float32Array, logits.data as Float32Array)).toBeLessThan(
      1e-5,
    );
    await decoder.dispose();
    await model.dispose();
  });

  test('on webgpu the caches are asked for as GPU buffers, h and c are not', async () => {
    // The wiring only (webgpu needs a browser): the options each decoder session is created with.
    const ort = (await import('onnxruntime-node')) as typeof Ort;
    const asked: Ort.InferenceSession.SessionOptions[] = [];
    const fake = {
      ...ort,
      InferenceSession: {
        create: (bytes: Uint8Array, options: Ort.InferenceSession.SessionOptions) => {
          asked.push(options);
          const { preferredOutputLocation: _, ...cpu } = options;
          return ort.InferenceSession.create(bytes, cpu);
        },
      },
    } as unknown as typeof Ort;
    for (const spec of [llama(), charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5 })]) {
      asked.length = 0;
      const factory = decoderFactory(spec, initWeights(spec, 1), {
        ort: fake,
        sessionOptions: { executionProviders: ['cpu'] },
        gpuCaches: true,
        graphOptions: {},
        limits: undefined,
        label: 'ort:webgpu',
      });
      const decoder = await factory!({ batch: 1 });
      expect(asked).toHaveLength(2);
      const caches = decodePlan(spec).state.filter((s) => s.port === 'key' || s.port === 'value');
      for (const options of asked)
        expect(options.preferredOutputLocation).toEqual(
          Object.fromEntries(caches.map((s) => [s.hfOutput, 'gpu-buffer'])),
        );
      await decoder.dispose();
    }
  });

  test('a spec that cannot decode is refused with the reason', async () => {
    const bi = parseSpec({
      format: 'tessera.model/v1',
      name: 'bi',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
      outputs: { y: 'rnn' },
      nodes: [{ id: 'rnn', op: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true }],
    });
    const model = await (await createBackend()).compile(bi, initWeights(bi, 1));
    const refused = model.decoder!();
    await expect(refused).rejects.toThrow(SpecError);
    await expect(refused).rejects.toThrow(/node rnn \(gru\) is bidirectional/);
  });

  test('dispose releases both sessions and the state; a disposed decoder refuses to step', async () => {
    const ort = (await import('onnxruntime-node')) as typeof Ort;
    const created: Ort.InferenceSession[] = [];
    const create = ort.InferenceSession.create.bind(ort.InferenceSession);
    const spy = vi
      .spyOn(ort.InferenceSession, 'create')
      .mockImplementation(async (...args: Parameters<typeof create>) => {
        const s = await create(...args);
        created.push(s);
        vi.spyOn(s, 'release');
        return s;
      });
    try {
      const spec = gpt('learned');
      const model = await (await createBackend({ variant: 'node' })).compile(
        spec,
        initWeights(spec, 1),
      );
      const decoder = await model.decoder!({ batch: 1 });
      expect(created).toHaveLength(3); // the model's, the prefill's, the step's
      await decoder.step({ tokens: ids(1, 2, 10) });
      await decoder.step({ tokens: ids(1, 1, 10) });
      await decoder.dispose();
      expect(created[1].release).toHaveBeenCalledOnce();
      expect(created[2].release).toHaveBeenCalledOnce();
      expect(created[0].release).not.toHaveBeenCalled();
      await expect(decoder.step({ tokens: ids(1, 1, 10) })).rejects.toThrow(/disposed/);
      await model.dispose();
      expect(created[0].release).toHaveBeenCalledOnce();
    } finally {
      spy.mockRestore();
    }
  });
});
