// @vitest-environment node
// The worker's side of generation run in node on the reference backend: what it streams is what
// @tessera/lm's generate gives for the same model and prompt; stop, reuse and failures.
import { createBackend as createReference } from '@tessera/backend-reference';
import { generate, loadHfTokenizer } from '@tessera/lm';
import { buildPreset, initWeights, type ModelSpec, parseSpec } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import {
  checkSampling,
  type FromWorker,
  generationHost,
  maxTokensLimit,
  PAGE_MAX_TOKENS,
  type Sampling,
  type ToWorker,
  transferableWeights,
} from './generation';
import { playgroundTokenizer } from './tokens';

const spec: ModelSpec = parseSpec(buildPreset('transformerLM'));
const weights = initWeights(spec, 3);
const tokenizer = playgroundTokenizer(64);
const greedy: Sampling = { maxTokens: 12, temperature: 0, topK: 0, seed: 0, cache: true };

function startMessage(
  id: number,
  sampling: Sampling,
  fresh = true,
): Extract<ToWorker, { type: 'start' }> {
  return {
    type: 'start',
    id,
    assetsBase: 'http://127.0.0.1/',
    model: fresh
      ? {
          key: 1,
          value: { label: 'reference:f64', spec, weights: transferableWeights(weights).weights },
        }
      : { key: 1 },
    tokenizer: fresh ? { key: 2, value: { file: tokenizer.toJSON() } } : { key: 2 },
    prompt: 'the cat ',
    sampling,
  };
}

async function expected(sampling: Sampling): Promise<number[]> {
  const model = await (await createReference()).compile(spec, weights);
  const ids = await generate(model, tokenizer.encode('the cat '), {
    ...sampling,
    input: 'tokens',
    contextLength: 64,
  });
  await model.dispose();
  return ids;
}

describe('generationHost', () => {
  test('streams each token with the text so far, as generate gives them, then the stats', async () => {
    const got: FromWorker[] = [];
    const handle = generationHost((m) => got.push(m));
    await handle(startMessage(1, greedy));
    const want = await expected(greedy);
    expect(got.map((m) => m.type)).toEqual([
      'compiled',
      'started',
      ...want.map(() => 'token'),
      'done',
    ]);
    const tokens = got.filter((m) => m.type === 'token');
    expect(tokens.map((m) => m.token)).toEqual(want);
    expect(tokens.map((m) => m.index)).toEqual(want.map((_, i) => i));
    expect(tokens.map((m) => m.text)).toEqual(
      want.map((_, i) => tokenizer.decode(want.slice(0, i + 1))),
    );
    const done = got.at(-1) as Extract<FromWorker, { type: 'done' }>;
    expect(done.stats.ids).toEqual(want);
    expect(done.text).toBe(tokenizer.decode(want));
    expect(done.stopped).toBe(false);
    const started = got[1] as Extract<FromWorker, { type: 'started' }>;
    expect(started.info.cached).toBe(true);
    expect(done.stats.cached).toBe(true);
  });

  test('a start with only the keys reuses the model and tokenizer; cache off says why', async () => {
    const got: FromWorker[] = [];
    const handle = generationHost((m) => got.push(m));
    await handle(startMessage(1, greedy));
    got.length = 0;
    await handle(startMessage(2, { ...greedy, cache: false }, false));
    expect(got[0]).toEqual({ type: 'compiled', id: 2, ms: 0, reused: true });
    const started = got[1] as Extract<FromWorker, { type: 'started' }>;
    expect(started.info).toEqual({
      cached: false,
      reason: expect.stringContaining('cache: false'),
    });
    const done = got.at(-1) as Extract<FromWorker, { type: 'done' }>;
    expect(done.stats.ids).toEqual(await expected(greedy));
  });

  test('a stop arriving as a task of its own (as a message does) ends the generation', async () => {
    const got: FromWorker[] = [];
    let handle: (m: ToWorker) => Promise<void> = async () => undefined;
    handle = generationHost((m) => {
      got.push(m);
      // Not called from here: a worker takes a message only between tasks.
      if (m.type === 'token' && m.index === 2) setTimeout(() => handle({ type: 'stop', id: 7 }));
    });
    await handle(startMessage(7, { ...greedy, maxTokens: 56 }));
    const done = got.at(-1) as Extract<FromWorker, { type: 'done' }>;
    expect(done.type).toBe('done');
    expect(done.stopped).toBe(true);
    expect(done.stats.ids.length).toBeGreaterThanOrEqual(3);
    expect(done.stats.ids.length).toBeLessThan(56);
    expect(got.filter((m) => m.type === 'token')).toHaveLength(done.stats.ids.length);
  });

  test('a stop for another request is ignored', async () => {
    const got: FromWorker[] = [];
    let handle: (m: ToWorker) => Promise<void> = async () => undefined;
    handle = generationHost((m) => {
      got.push(m);
      if (m.type === 'token' && m.index === 0) void handle({ type: 'stop', id: 99 });
    });
    await handle(startMessage(8, greedy));
    const done = got.at(-1) as Extract<FromWorker, { type: 'done' }>;
    expect(done.stopped).toBe(false);
    expect(done.stats.ids).toHaveLength(greedy.maxTokens);
  });

  test('a variant that cannot start in a worker is an error of stage backend, with the reason', async () => {
    const got: FromWorker[] = [];
    const handle = generationHost((m) => got.push(m));
    const m = startMessage(3, greedy);
    // Node has no OffscreenCanvas: gpu.js's webgl2 variant cannot have its context here.
    await handle({ ...m, model: { key: 5, value: { ...m.model.value!, label: 'gpujs:webgl2' } } });
    expect(got).toEqual([
      {
        type: 'error',
        id: 3,
        stage: 'backend',
        message: expect.stringContaining('needs a webgl2 context'),
      },
    ]);
  });

  test('after a failure the worker holds nothing: a start with keys only is refused', async () => {
    const got: FromWorker[] = [];
    const handle = generationHost((m) => got.push(m));
    await handle(startMessage(1, greedy));
    await handle({ ...startMessage(2, greedy), prompt: '', tokenizer: { key: 9 } });
    expect(got.at(-1)).toMatchObject({ type: 'error', id: 2, stage: 'generate' });
    await handle(startMessage(3, greedy, false));
    expect(got.at(-1)).toMatchObject({ type: 'error', id: 3, stage: 'compile' });
  });
});

test('a Hugging Face tokenizer crosses with its config: its EOS (from the config) stops generation', async () => {
  // A WordPiece tokenizer.json of five ids; [EOS] is id 1 only by tokenizer_config.json.
  const file = {
    version: '1.0',
    added_tokens: ['[UNK]', '[EOS]'].map((content, id) => ({
      id,
      content,
      special: true,
      normalized: false,
      lstrip: false,
      rstrip: false,
      single_word: false,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: { '[UNK]': 0, '[EOS]': 1, the: 2, cat: 3, '##s': 4 },
    },
  };
  const config = { eos_token: '[EOS]' };
  const hf = loadHfTokenizer(file, config);
  expect(hf.eosId).toBe(1);
  const small = parseSpec(buildPreset('transformerLM', { vocabSize: 5 }));
  const w = initWeights(small, 1);
  const sampling: Sampling = { maxTokens: 30, temperature: 1, topK: 0, seed: 0, cache: true };
  const model = await (await createReference()).compile(small, w);
  // The first seed whose sample meets EOS before maxTokens, so that the stop token matters.
  let want: number[] = [];
  for (; sampling.seed < 50; sampling.seed++) {
    want = await generate(model, hf.encode('the cats'), {
      ...sampling,
      input: 'tokens',
      stopTokens: [1],
    });
    if (want.length < sampling.maxTokens) break;
  }
  await model.dispose();
  expect(want.at(-1)).toBe(1);
  const got: FromWorker[] = [];
  await generationHost((m) => got.push(m))({
    type: 'start',
    id: 1,
    assetsBase: 'http://127.0.0.1/',
    model: { key: 1, value: { label: 'reference:f64', spec: small, weights: w } },
    tokenizer: { key: 2, value: { file: hf.toJSON(), config } },
    prompt: 'the cats',
    sampling,
  });
  const done = got.at(-1) as Extract<FromWorker, { type: 'done' }>;
  expect(done.stats.ids).toEqual(want);
  expect(done.text).toBe(hf.decode(want));
});

describe('checkSampling', () => {
  const good = { maxTokens: '24', temperature: '0.8', topK: '8' };
  test('good settings', () => {
    expect(checkSampling(good, 56)).toEqual({
      ok: true,
      value: { maxTokens: 24, temperature: 0.8, topK: 8 },
    });
  });
  test.each([
    ['0', 'maxTokens'],
    ['57', 'maxTokens'],
    ['2.5', 'maxTokens'],
    ['', 'maxTokens'],
    ['ten', 'maxTokens'],
  ])('max tokens %j is refused', (maxTokens, field) => {
    const r = checkSampling({ ...good, maxTokens }, 56);
    expect(r).toEqual({ ok: false, problems: { [field]: 'a whole number from 1 to 56' } });
  });
  test('temperature and top-k', () => {
    expect(checkSampling({ ...good, temperature: '-1', topK: '1.5' }, 56)).toEqual({
      ok: false,
      problems: {
        temperature: 'a number ≥ 0 (0: always the most likely token)',
        topK: 'a whole number ≥ 0 (0: every token)',
      },
    });
  });
  test('a prompt that fills the context leaves no room', () => {
    expect(checkSampling(good, 0)).toMatchObject({ ok: false, problems: { maxTokens: /shorten/ } });
  });
});

test('maxTokensLimit: the positions left in the context, or the page cap without one', () => {
  expect(maxTokensLimit(spec, 8)).toBe(64 - 8);
  expect(maxTokensLimit(spec, 70)).toBe(0);
  expect(maxTokensLimit(parseSpec(buildPreset('llamaLM')), 8)).toBe(PAGE_MAX_TOKENS);
});

test('transferableWeights copies every tensor into a buffer of its own', () => {
  const { weights: copy, buffers } = transferableWeights(weights);
  expect([...copy.keys()]).toEqual([...weights.keys()]);
  expect(buffers).toHaveLength(weights.size);
  for (const [name, t] of weights) {
    const c = copy.get(name)!;
    expect(c.data).toEqual(t.data);
    expect(c.data.buffer).not.toBe(t.data.buffer);
    expect(c.data.byteLength).toBe(c.data.buffer.byteLength);
  }
});
