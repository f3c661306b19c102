// The reference's decoder against its own run: a prompt, then one token at a time (and a chunk
// of two), must give the rows of run on the whole sequence; the state is the only memory.
import {
  charRnnLM,
  type Decoder,
  decodable,
  decodePlan,
  InputError,
  initWeights,
  llamaLM,
  type ModelSpec,
  parseSpec,
  SpecError,
  seq2seqTransformer,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/compile.js';

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

async function expectStepsMatchRun(spec: ModelSpec, input: string, chunks: number[], batch = 2) {
  const model = compileReference(spec, initWeights(spec, 3, { randomizeConstants: true }));
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
      // float32 rounding of the outputs only: the state stays float64.
      expect(maxDiff(out.logits.data as Float32Array, rows(full, at, at + n))).toBeLessThan(1e-6);
      at += n;
      expect(decoder.position).toBe(at);
    }
    decoder.reset();
    expect(decoder.position).toBe(0);
  }
  await decoder.dispose();
  await model.dispose();
}

describe('reference decoder', () => {
  it('llamaLM with GQA and rope: a prompt, single tokens and a chunk', async () => {
    const spec = llamaLM({
      vocabSize: 11,
      hiddenSize: 8,
      numLayers: 2,
      numHeads: 4,
      numKeyValueHeads: 2,
      intermediateSize: 12,
    });
    await expectStepsMatchRun(spec, 'input_ids', [3, 1, 1, 2, 1]);
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
    await expectStepsMatchRun(spec, 'input_ids', [1, 1, 1, 1]);
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
      await expectStepsMatchRun(spec, 'tokens', [4, 1, 3, 1]);
    }
  });
  it('attention without rope (the position is taken and unused)', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      name: 'no-rope',
      inputs: { ids: { dtype: 'int32', shape: ['batch', 'time'] } },
      outputs: { logits: 'head' },
      nodes: [
        { id: 'embed', op: 'embedding', numEmbeddings: 6, embeddingDim: 4 },
        {
          id: 'attn',
          op: 'attention',
          hiddenSize: 4,
          numHeads: 2,
          numKeyValueHeads: 1,
          rope: false,
        },
        { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 6 },
      ],
    });
    await expectStepsMatchRun(spec, 'ids', [2, 1, 1]);
  });

  it('multi-layer LSTM and GRU keep h and c', async () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const spec = charRnnLM({ vocabSize: 7, embeddingDim: 4, hiddenSize: 5, numLayers: 2, cell });
      await expectStepsMatchRun(spec, 'tokens', [2, 1, 1, 3]);
    }
  });

  it('returns an int32 output (an input passed through) as int32, exactly, at every step', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      name: 'ids-out',
      inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
      outputs: { ids: 'tokens', y: 'embed' },
      nodes: [{ id: 'embed', op: 'embedding', numEmbeddings: 3, embeddingDim: 2 }],
    });
    const model = compileReference(spec, initWeights(spec, 1));
    const decoder = await model.decoder!({ batch: 1, maxLength: 3 });
    const first = await decoder.step({ tokens: ids(1, 2, 3) });
    const second = await decoder.step({ tokens: cols(ids(1, 3, 3), 2, 3) });
    expect(first.ids.dtype).toBe('int32');
    expect([...first.ids.data, ...second.ids.data]).toEqual([...ids(1, 3, 3).data]);
    expect(second.y.dtype).toBe('float32');
  });

  it('plans caches with only the key/value heads, named as Hugging Face does', () => {
    const plan = decodePlan(
      llamaLM({
        vocabSize: 11,
        hiddenSize: 8,
        numLayers: 2,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 12,
      }),
    );
    expect(plan.state.map((s) => [s.hfInput, s.hfOutput, s.shape, s.timeDim])).toEqual([
      ['past_key_values.0.key', 'present.0.key', ['batch', 2, 'past', 2], 2],
      ['past_key_values.0.value', 'present.0.value', ['batch', 2, 'past', 2], 2],
      ['past_key_values.1.key', 'present.1.key', ['batch', 2, 'past', 2], 2],
      ['past_key_values.1.value', 'present.1.value', ['batch', 2, 'past', 2], 2],
    ]);
    const lstm = decodePlan(charRnnLM({ numLayers: 3, hiddenSize: 5 }));
    expect(lstm.state.map((s) => [s.port, s.shape])).toEqual([
      ['h_n', [3, 'batch', 5]],
      ['c_n', [3, 'batch', 5]],
    ]);
  });

  it('says why a spec cannot decode, naming the node', async () => {
    const bi = parseSpec({
      format: 'tessera.model/v1',
      name: 'bi',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
      outputs: { y: 'rnn' },
      nodes: [{ id: 'rnn', op: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true }],
    });
    expect(decodable(bi)).toMatch(/node rnn \(gru\) is bidirectional/);
    const encoder = transformerLM({ vocabSize: 5, dModel: 4, nhead: 1, numLayers: 1 });
    const notCausal = {
      ...encoder,
      nodes: encoder.nodes.map((n) =>
        n.op === 'transformerEncoderLayer' ? { ...n, causal: false } : n,
      ),
    };
    expect(decodable(notCausal as ModelSpec)).toMatch(/is not causal/);
    const model = compileReference(bi, initWeights(bi, 1));
    await expect(model.decoder!()).rejects.toThrow(SpecError);
  });

  it('checks the batch, the positions left and the state size before running', async () => {
    const spec = transformerLM({
      vocabSize: 10,
      dModel: 8,
      nhead: 2,
      numLayers: 1,
      dimFeedforward: 8,
      maxLength: 6,
    });
    const model = compileReference(spec, initWeights(spec, 1));
    await expect(model.decoder!({ maxLength: 7 })).rejects.toThrow(
      /maxLength 7 is more than the 6 positions/,
    );
    await expect(
      model.decoder!({ maxLength: 6, limits: { maxStateElements: 10 } }),
    ).rejects.toThrow(/over the limit of 10/);
    const decoder = await model.decoder!({ batch: 1, maxLength: 4 });
    expect(decoder.stateBytes).toBe(2 * 1 * 2 * 4 * 4 * 4); // key and value, [1, 2 heads, 4, 4] float32
    await expect(decoder.step({ tokens: ids(2, 1, 10) })).rejects.toThrow(InputError);
    await decoder.step({ tokens: ids(1, 3, 10) });
    await expect(decoder.step({ tokens: ids(1, 2, 10) })).rejects.toThrow(/past its maxLength 4/);
    expect(decoder.position).toBe(3);
    await decoder.dispose();
  });
});

describe('an encoder–decoder (seq2seqTransformer): the memory fixed, the target one token at a time', () => {
  it('gives the whole run’s rows; the source goes to the first step only', async () => {
    const spec = seq2seqTransformer({ dModel: 8, nhead: 2, dimFeedforward: 16, maxLength: 16 });
    const model = compileReference(spec, initWeights(spec, 3));
    const src = ids(2, 7, 64, 2);
    const tgt = ids(2, 6, 64, 5);
    const whole = (await model.run({ src, tgt })).logits;
    const decoder = await model.decoder!({ batch: 2, maxLength: 6 });
    const got: Float32Array[] = [];
    got.push((await decoder.step({ src, tgt: cols(tgt, 0, 3) })).logits.data as Float32Array);
    // Passing the source again is refused: its memory is already kept.
    await expect(decoder.step({ src, tgt: cols(tgt, 3, 4) })).rejects.toThrow(
      /^src: is read by the first step only/,
    );
    for (let t = 3; t < 6; t++) {
      // A step takes a Map as well as a plain object (one tensor-map contract).
      const next = cols(tgt, t, t + 1);
      const inputs = t === 4 ? new Map([['tgt', next]]) : { tgt: next };
      got.push((await decoder.step(inputs)).logits.data as Float32Array);
    }
    const joined = new Float32Array(got.reduce((n, g) => n + g.length, 0));
    // Steps come [batch, n, vocab]; put each back at its positions.
    const v = 64;
    const chunks = [3, 1, 1, 1];
    let at = 0;
    chunks.forEach((n, k) => {
      for (let b = 0; b < 2; b++)
        joined.set(got[k].subarray(b * n * v, (b + 1) * n * v), (b * 6 + at) * v);
      at += n;
    });
    expect(Math.max(...joined.map((x, i) => Math.abs(x - whole.data[i])))).toBeLessThan(1e-5);
    // After reset, a new source starts a new memory.
    decoder.reset();
    const again = await decoder.step({ src: ids(2, 4, 64, 9), tgt: cols(tgt, 0, 2) });
    expect(again.logits.shape).toEqual([2, 2, 64]);
    await decoder.dispose();
  });
});

describe('a padded batch of sources (sourceLengths): the memory and its lengths kept', () => {
  const options = { dModel: 8, nhead: 2, dimFeedforward: 16, maxLength: 16 };
  const padded = seq2seqTransformer({ ...options, sourceLengths: true });
  const plain = seq2seqTransformer(options);
  // The same weights: masks add none.
  const weights = initWeights(plain, 4);
  const lengths = [7, 3, 5];
  const src = ids(3, 7, 64, 2);
  const tgt = ids(3, 5, 64, 5);
  const srcLengths = (): Tensor => ({ dtype: 'int32', shape: [3], data: Int32Array.from(lengths) });

  /** Steps [2, 1, 1, 1] of the target; each step's logits [3, n, 64] put back at their positions. */
  async function decodeAll(decoder: Decoder, first: Record<string, Tensor>): Promise<Float32Array> {
    const out = new Float32Array(3 * 5 * 64);
    let at = 0;
    for (const n of [2, 1, 1, 1]) {
      const step = { ...(at === 0 ? first : {}), tgt: cols(tgt, at, at + n) };
      const got = (await decoder.step(step)).logits.data as Float32Array;
      for (let b = 0; b < 3; b++)
        out.set(got.subarray(b * n * 64, (b + 1) * n * 64), (b * 5 + at) * 64);
      at += n;
    }
    return out;
  }

  it('each row is its own source run alone, unpadded; the steps give the whole run', async () => {
    const model = compileReference(padded, weights);
    const whole = (await model.run({ src, tgt, src_lengths: srcLengths() })).logits;
    const decoder = await model.decoder!({ batch: 3, maxLength: 5 });
    const given = srcLengths();
    const first = { src, src_lengths: given };
    const stepped = await decodeAll(decoder, first);
    expect(maxDiff(stepped, whole.data as Float32Array)).toBeLessThan(1e-5);
    // The masking is truncation: row b equals the plain model on its first lengths[b] tokens.
    const alone = compileReference(plain, weights);
    for (let b = 0; b < 3; b++) {
      const row = (t: Tensor, n: number): Tensor => ({
        dtype: 'int32',
        shape: [1, n],
        data: (t.data as Int32Array).slice(b * t.shape[1], b * t.shape[1] + n),
      });
      const own = (await alone.run({ src: row(src, lengths[b]), tgt: row(tgt, 5) })).logits;
      expect(
        maxDiff(stepped.subarray(b * 5 * 64, (b + 1) * 5 * 64), own.data as Float32Array),
      ).toBeLessThan(1e-5);
    }
    // The decoder kept its own copy of the lengths: the caller's array may change.
    decoder.reset();
    const again = await decodeAll(decoder, first);
    given.data.fill(1);
    decoder.reset();
    expect(maxDiff(await decodeAll(decoder, { src, src_lengths: srcLengths() }), again)).toBe(0);
    await decoder.dispose();
  });

  it('the lengths go with the source, to the first step only, and are checked there', async () => {
    const model = compileReference(padded, weights);
    const decoder = await model.decoder!({ batch: 3, maxLength: 5 });
    await expect(decoder.step({ src, tgt: cols(tgt, 0, 2) })).rejects.toThrow(
      /^src_lengths: is missing \(expected int32 \[3\]\)/,
    );
    const tooLong: Tensor = { dtype: 'int32', shape: [3], data: Int32Array.of(7, 8, 5) };
    await expect(decoder.step({ src, src_lengths: tooLong, tgt: cols(tgt, 0, 2) })).rejects.toThrow(
      /src_lengths: row 1 is 8, outside 1\.\.7/,
    );
    await decoder.step({ src, src_lengths: srcLengths(), tgt: cols(tgt, 0, 2) });
    await expect(decoder.step({ src_lengths: srcLengths(), tgt: cols(tgt, 2, 3) })).rejects.toThrow(
      /^src_lengths: is read by the first step only/,
    );
    await decoder.dispose();
  });
});
