// `tessera generate` in-process on the reference backend: the ids it prints are the ones
// @tessera/lm's generate gives for the same spec, weights and sampling options (lm's own tests hold
// those against recomputing the prefix), with and without the decoder, on a tiny transformerLM
// preset and on a Hugging Face llama folder with its tokenizer.json.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '@tessera/backend-reference';
import { type GenerateOptions, generateWithStats, type HfTokenizerFile } from '@tessera/lm';
import { readTokenizer } from '@tessera/lm/node';
import {
  initWeights,
  llamaLM,
  type ModelSpec,
  rnnClassifier,
  transformerLM,
  writeSafetensors,
} from '@tessera/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';
import { runMain } from './in-process.js';

const w = workdir();
let modules: Record<string, unknown>;
beforeAll(async () => {
  modules = { '@tessera/backend-reference': await import('@tessera/backend-reference') };
});
const tessera = (...argv: string[]) => runMain(argv, { cwd: w.dir, modules });

const gpt = transformerLM({
  vocabSize: 13,
  dModel: 8,
  nhead: 2,
  numLayers: 2,
  dimFeedforward: 16,
  maxLength: 16,
});
const gptWeights = initWeights(gpt, 3, { randomizeConstants: true });
w.write('gpt.json', JSON.stringify(gpt));
w.write('gpt.safetensors', writeSafetensors(gptWeights));

/** What the library generates in-process on the reference for the same model. */
async function expected(
  spec: ModelSpec,
  prompt: number[],
  options: Omit<GenerateOptions, 'input'>,
): Promise<number[]> {
  const model = await (await createBackend()).compile(spec, gptOrLlama(spec));
  try {
    const input = Object.keys(spec.inputs)[0];
    return (await generateWithStats(model, prompt, { input, ...options })).ids;
  } finally {
    await model.dispose();
  }
}

interface Generated {
  ids: number[];
  text?: string;
  tokensPerSecond: number;
  prefillMs: number;
  cached: boolean;
  reason?: string;
}

async function json(...argv: string[]): Promise<Generated> {
  const r = await tessera('generate', ...argv, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Generated;
}

describe('tessera generate --prompt-ids', () => {
  it('--json: the library ids, on the decoder and with --no-cache', async () => {
    const want = await expected(gpt, [1, 2, 3], { maxTokens: 6, contextLength: 16 });
    const args = ['gpt.json', '--weights', 'gpt.safetensors', '--prompt-ids', '1,2,3'];
    const cached = await json(...args, '--max-tokens', '6');
    expect(cached.ids).toEqual(want);
    expect(cached.cached).toBe(true);
    expect(cached.text).toBeUndefined();
    expect(cached.tokensPerSecond).toBeGreaterThan(0);
    expect(cached.prefillMs).toBeGreaterThanOrEqual(0);
    const recomputed = await json(...args, '--max-tokens', '6', '--no-cache');
    expect(recomputed).toMatchObject({ ids: want, cached: false });
    expect(recomputed.reason).toMatch(/cache: false/);
  });

  it('sampling options reach the sampler; the same seed, the same ids', async () => {
    const sampling = { temperature: 0.8, topK: 5, topP: 0.9, seed: 11 };
    const want = await expected(gpt, [4], { maxTokens: 8, contextLength: 16, ...sampling });
    const args = ['gpt.json', '--weights', 'gpt.safetensors', '--prompt-ids', '4'];
    const flags = ['--temperature', '0.8', '--top-k', '5', '--top-p', '0.9', '--max-tokens', '8'];
    expect((await json(...args, ...flags, '--seed', '11')).ids).toEqual(want);
    // Another seed draws other ids, so the seed is not ignored.
    expect((await json(...args, ...flags, '--seed', '12')).ids).not.toEqual(want);
    // Greedy: --temperature 0.
    expect((await json(...args, '--temperature', '0', '--max-tokens', '8')).ids).toEqual(
      await expected(gpt, [4], { maxTokens: 8, contextLength: 16, temperature: 0 }),
    );
  });

  it('--stop ends at the id (included); the positional maxLength ends it too', async () => {
    const all = await expected(gpt, [1, 2], { maxTokens: 10, contextLength: 16 });
    const at = all.findIndex((id) => id !== all[0]);
    const args = ['gpt.json', '--weights', 'gpt.safetensors', '--prompt-ids', '1,2'];
    const stopped = await json(...args, '--max-tokens', '10', '--stop', `${all[at]},12`);
    expect(stopped.ids).toEqual(all.slice(0, at + 1));
    // 16 positions: 2 in the prompt, 14 new at most.
    expect((await json(...args, '--max-tokens', '40')).ids).toHaveLength(14);
  });

  it('streams the ids on stdout and says how they were made on stderr', async () => {
    const want = await expected(gpt, [1, 2, 3], { maxTokens: 5, contextLength: 16 });
    const r = await tessera(
      'generate',
      'gpt.json',
      '--weights',
      'gpt.safetensors',
      '--prompt-ids',
      '1,2,3',
      '--max-tokens',
      '5',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${want.join(',')}\n`);
    // The state: 2 layers × key and value × [1, 2 heads, 3 + 4 positions, 4] × 4 bytes = 896.
    expect(r.stderr).toMatch(
      /^5 tokens on reference:f64 with the decoder \(state 896 B\): prefill [\d.]+ ms, then [\d.]+ tokens\/s\n$/,
    );
  });

  it('a spec that cannot decode step by step recomputes, saying why', async () => {
    const bidirectional = {
      ...gpt,
      nodes: gpt.nodes.map((n) =>
        n.op === 'transformerEncoderLayer' ? { ...n, causal: false } : n,
      ),
    };
    w.write('encoder.json', JSON.stringify(bidirectional));
    const r = await json(
      'encoder.json',
      '--weights',
      'gpt.safetensors',
      '--prompt-ids',
      '1',
      '--max-tokens',
      '3',
    );
    expect(r.cached).toBe(false);
    expect(r.reason).toMatch(/node block0 \(transformerEncoderLayer\) .*not causal/);
    expect(r.ids).toEqual(
      await expected(bidirectional as ModelSpec, [1], { maxTokens: 3, contextLength: 16 }),
    );
  });
});

// A Hugging Face llama folder: config.json, model.safetensors and a character-level BPE
// tokenizer.json (as examples/language-model writes for the KJV): one token per character.
const CHARS = ['\uFFFD', ' ', ...'abcdefghijklmnopqrstuv'];
const llamaSizes = {
  vocabSize: CHARS.length,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  numKeyValueHeads: 2,
  intermediateSize: 24,
  rmsNormEps: 1e-5,
  maxLength: 32,
};
const llama = llamaLM(llamaSizes);
const llamaWeights = initWeights(llama, 5, { randomizeConstants: true });
function gptOrLlama(spec: ModelSpec) {
  return spec.name === llama.name ? llamaWeights : gptWeights;
}
function tokenizerJson(): HfTokenizerFile {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: {
      type: 'Split',
      pattern: { Regex: '[\\s\\S]' },
      behavior: 'Isolated',
      invert: false,
    },
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '\uFFFD',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(CHARS.map((c, i) => [c, i])),
      merges: [],
    },
  };
}
mkdirSync(join(w.dir, 'llama'));
w.write(
  'llama/config.json',
  JSON.stringify({
    model_type: 'llama',
    vocab_size: CHARS.length,
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 24,
    rms_norm_eps: 1e-5,
    max_position_embeddings: 32,
  }),
);
w.write('llama/model.safetensors', writeSafetensors(llamaWeights));
w.write('llama/tokenizer.json', JSON.stringify(tokenizerJson()));

describe('tessera generate --prompt on a Hugging Face folder', () => {
  beforeAll(async () => {
    const r = await tessera('import', 'llama', '-o', 'llama.json');
    expect(r.status).toBe(0);
  });
  const tokenizer = () => readTokenizer(join(w.dir, 'llama'));

  it('finds the folder tokenizer.json, encodes the prompt and decodes the new ids', async () => {
    const prompt = Array.from(tokenizer().encode('abc d'));
    expect(prompt).toEqual([2, 3, 4, 1, 5]);
    const want = await expected(llama, prompt, { maxTokens: 7, seed: 3 });
    const args = ['llama.json', '--weights', 'llama', '--prompt', 'abc d', '--max-tokens', '7'];
    const r = await json(...args, '--seed', '3');
    expect(r.ids).toEqual(want);
    expect(r.cached).toBe(true);
    expect(r.text).toBe(tokenizer().decode(want));
    const streamed = await tessera('generate', ...args, '--seed', '3');
    expect(streamed.status).toBe(0);
    expect(streamed.stdout).toBe(`${r.text}\n`);
    // --prompt-ids with a tokenizer found prints text too.
    const byIds = await json(
      'llama.json',
      '--weights',
      'llama',
      '--prompt-ids',
      prompt.join(','),
      '--max-tokens',
      '7',
      '--seed',
      '3',
    );
    expect(byIds).toMatchObject({ ids: want, text: r.text });
  });

  it('the tokenizer end-of-sequence id stops by default; --tokenizer names another file', async () => {
    const prompt = Array.from(tokenizer().encode('ab'));
    const all = await expected(llama, prompt, { maxTokens: 10, temperature: 0 });
    const at = all.findIndex((id) => id !== all[0] && id !== 0);
    mkdirSync(join(w.dir, 'tok'));
    w.write('tok/tokenizer.json', JSON.stringify(tokenizerJson()));
    w.write('tok/tokenizer_config.json', JSON.stringify({ eos_token: CHARS[all[at]] }));
    const args = ['llama.json', '--weights', 'llama/model.safetensors', '--prompt', 'ab'];
    const flags = ['--max-tokens', '10', '--temperature', '0', '--tokenizer', 'tok'];
    expect((await json(...args, ...flags)).ids).toEqual(all.slice(0, at + 1));
    expect((await json(...args, ...flags, '--stop', 'none')).ids).toEqual(all);
  });
});

describe('tessera generate: mistakes name the flag', () => {
  const base = ['gpt.json', '--weights', 'gpt.safetensors', '--max-tokens', '3'];

  it.each([
    [[], 'give exactly one of --prompt TEXT and --prompt-ids 1,2,3'],
    [['--prompt', 'x', '--prompt-ids', '1'], 'give exactly one of --prompt TEXT and --prompt-ids'],
    [['--prompt', 'abc'], '--prompt needs a tokenizer: give --tokenizer tokenizer.json'],
    [
      ['--prompt-ids', '1,x'],
      '--prompt-ids takes token ids (whole numbers ≥ 0, comma-separated), got "x"',
    ],
    [['--prompt-ids', '1', '--top-p', '0'], '--top-p must be a number > 0 and ≤ 1, got "0"'],
    [['--prompt-ids', '1', '--temperature=-1'], '--temperature must be a number ≥ 0'],
  ])('%j: a usage error', async (extra, message) => {
    const r = await tessera('generate', ...base, ...extra);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).toContain('tessera generate --help');
  });

  it('--max-tokens is required', async () => {
    const r = await tessera(
      'generate',
      'gpt.json',
      '--weights',
      'gpt.safetensors',
      '--prompt-ids',
      '1',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--max-tokens N is required');
  });

  it('an id out of the vocabulary, in --prompt-ids or --stop', async () => {
    const r = await tessera('generate', ...base, '--prompt-ids', '1,13');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "error: --prompt-ids: token id 13 is out of the model's vocabulary [0, 13) (input tokens)\n",
    );
    const s = await tessera('generate', ...base, '--prompt-ids', '1', '--stop', '99');
    expect(s.status).toBe(1);
    expect(s.stderr).toContain("--stop: token id 99 is out of the model's vocabulary [0, 13)");
  });

  it('a tokenizer whose ids the model does not have', async () => {
    // The llama tokenizer has 24 ids; the gpt's embedding 13 rows: "v" is id 23.
    const r = await tessera('generate', ...base, '--prompt', 'av', '--tokenizer', 'llama');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "error: --prompt: token id 23 (from llama) is out of the model's vocabulary [0, 13)",
    );
  });

  it('a spec that is not a language model', async () => {
    const classifier = rnnClassifier({ inputSize: 3, hiddenSize: 4, numClasses: 2 });
    w.write('classifier.json', JSON.stringify(classifier));
    w.write('classifier.safetensors', writeSafetensors(initWeights(classifier, 1)));
    const r = await tessera(
      'generate',
      'classifier.json',
      '--weights',
      'classifier.safetensors',
      '--prompt-ids',
      '1',
      '--max-tokens',
      '2',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'error: classifier.json: inputs: a language model takes one int32 [batch, time] input of token ids (inputs: x float32 [batch, time, 3])',
    );
  });
});
