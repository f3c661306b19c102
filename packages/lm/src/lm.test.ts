import { createBackend } from '@tessera/backend-reference';
import {
  type CompiledModel,
  initWeights,
  parseSpec,
  Rng,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { beforeAll, describe, expect, test } from 'vitest';
import { generate, logLikelihood, perplexity, sampleNext } from './index.js';
import { ByteTokenizer, CharTokenizer, tokenizerFromJSON, UNKNOWN } from './tokenizer.js';

describe('tokenizers', () => {
  test('character vocabulary, exact round trip, unknown rule', () => {
    const tok = CharTokenizer.fromText('hello, wörld 🙂');
    // U+FFFD first, then the 11 distinct code points sorted: ' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w', 'ö', '🙂'.
    expect(tok.vocabSize).toBe(12);
    expect(tok.decode(tok.encode('hello, wörld 🙂'))).toBe('hello, wörld 🙂');
    expect([...tok.encode('hx')]).toEqual([5, 0]);
    expect(tok.decode(tok.encode('hx'))).toBe(`h${UNKNOWN}`);
    const again = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect([...again.encode('world')]).toEqual([...tok.encode('world')]);
    expect(() => tok.decode([12])).toThrow(/out of range/);
  });

  test('maxVocab keeps the most frequent characters', () => {
    const tok = CharTokenizer.fromText('aaabbc', { maxVocab: 3 });
    expect(tok.toJSON().tokens).toEqual([UNKNOWN, 'a', 'b']);
    expect([...tok.encode('abc')]).toEqual([1, 2, 0]);
  });

  test('a malformed vocabulary file is refused', () => {
    expect(() =>
      CharTokenizer.fromJSON({ format: 'tessera.vocab/v1', kind: 'char', tokens: ['a'] }),
    ).toThrow(/U\+FFFD/);
    expect(() =>
      CharTokenizer.fromJSON({
        format: 'tessera.vocab/v1',
        kind: 'char',
        tokens: [UNKNOWN, 'a', 'a'],
      }),
    ).toThrow(/repeats/);
  });

  test('byte level round-trips any string', () => {
    const tok = new ByteTokenizer();
    const text = 'naïve 🙂 \u0000';
    expect([...tok.encode('é')]).toEqual([0xc3, 0xa9]);
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.decode([0xc3])).toBe(UNKNOWN);
  });
});

/**
 * A bigram model written as a spec: one-hot embedding (identity table) then a linear layer whose
 * weight column j holds log P(· | j). The logits at step t are then log P(· | x_t) exactly, and
 * already normalised, so every expected value below is a sum of entries of `table`.
 */
const table = [
  [0.1, 0.6, 0.3],
  [0.5, 0.25, 0.25],
  [0.2, 0.2, 0.6],
]; // table[prev][next]

let bigram: CompiledModel;
beforeAll(async () => {
  const spec = parseSpec({
    format: 'tessera.model/v1',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    outputs: { logits: 'head' },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: 3, embeddingDim: 3 },
      { id: 'head', op: 'linear', inFeatures: 3, outFeatures: 3, bias: false },
    ],
  });
  const eye = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const w = new Float32Array(9);
  for (let next = 0; next < 3; next++)
    for (let prev = 0; prev < 3; prev++) w[next * 3 + prev] = Math.log(table[prev][next]);
  const weights = new Map<string, Tensor>([
    ['embed.weight', { dtype: 'float32', shape: [3, 3], data: eye }],
    ['head.weight', { dtype: 'float32', shape: [3, 3], data: w }],
  ]);
  bigram = await (await createBackend()).compile(spec, weights);
});

describe('likelihood', () => {
  test('log P(x) is the sum of the conditional log-probabilities', async () => {
    const ll = await logLikelihood(bigram, [0, 1, 2, 2]);
    // log P(1|0) + log P(2|1) + log P(2|2) = log 0.6 + log 0.25 + log 0.6
    expect(ll.tokens).toBe(3);
    expect(ll.logProb).toBeCloseTo(Math.log(0.6) + Math.log(0.25) + Math.log(0.6), 5);
    expect(await perplexity(bigram, [0, 1, 2, 2])).toBeCloseTo(
      Math.exp(-(Math.log(0.6) + Math.log(0.25) + Math.log(0.6)) / 3),
      5,
    );
  });

  test('windows over a long sequence score every token once', async () => {
    const ids = [0, 1, 0, 2, 2, 1, 1, 0, 2];
    const whole = await logLikelihood(bigram, ids);
    const windowed = await logLikelihood(bigram, ids, { contextLength: 3 });
    expect(windowed.tokens).toBe(8);
    // A bigram model only looks one step back, so windows change nothing.
    expect(windowed.logProb).toBeCloseTo(whole.logProb, 5);
  });
});

describe('generate', () => {
  test('greedy follows the most likely successor', async () => {
    // From 0 the argmax is 1 (0.6); from 1 it is 0 (0.5); so 0 → 1 → 0 → 1.
    expect(await generate(bigram, [0], { maxTokens: 3, temperature: 0 })).toEqual([1, 0, 1]);
    expect(await generate(bigram, [0], { maxTokens: 3, topK: 1, seed: 5 })).toEqual([1, 0, 1]);
  });

  test('reproducible for a seed, streams tokens, stops at a stop token and at the context length', async () => {
    const seen: number[] = [];
    const a = await generate(bigram, [2], {
      maxTokens: 20,
      seed: 11,
      onToken: (id) => void seen.push(id),
    });
    expect(a).toHaveLength(20);
    expect(seen).toEqual(a);
    expect(await generate(bigram, [2], { maxTokens: 20, seed: 11 })).toEqual(a);
    const stopped = await generate(bigram, [2], { maxTokens: 20, seed: 11, stopTokens: [0] });
    expect(stopped[stopped.length - 1]).toBe(0);
    expect(stopped).toEqual(a.slice(0, a.indexOf(0) + 1));
    expect(
      await generate(bigram, [2, 2], { maxTokens: 20, seed: 1, contextLength: 5 }),
    ).toHaveLength(3);
  });

  test('sampling frequencies follow the distribution, and top-p trims the tail', () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleNext(logits, 0, 3, {}, rng)]++;
    expect(counts[0] / 20000).toBeCloseTo(0.5, 1);
    expect(counts[2] / 20000).toBeCloseTo(0.2, 1);
    // top-p 0.75: the set {0 (0.5), 1 (0.3)} is the smallest reaching 0.75, so 2 never appears.
    const nucleus = [0, 0, 0];
    for (let i = 0; i < 2000; i++) nucleus[sampleNext(logits, 0, 3, { topP: 0.75 }, rng)]++;
    expect(nucleus[2]).toBe(0);
    expect(nucleus[1]).toBeGreaterThan(0);
  });

  test('works on a transformer LM', async () => {
    const spec = transformerLM({ vocabSize: 12, maxLength: 8, dModel: 8, nhead: 2, numLayers: 1 });
    const model = await (await createBackend()).compile(spec, initWeights(spec, 1));
    const out = await generate(model, [1, 2], { maxTokens: 10, seed: 3, contextLength: 8 });
    expect(out).toHaveLength(6);
    expect(out.every((id) => id >= 0 && id < 12)).toBe(true);
    const ppl = await perplexity(model, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { contextLength: 8 });
    expect(ppl).toBeGreaterThan(1);
    expect(Number.isFinite(ppl)).toBe(true);
  });
});
