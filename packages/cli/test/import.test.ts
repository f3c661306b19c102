// `tessera import` on small Hugging Face folders built here, and `--weights` on shard indexes
// (float32, bfloat16 and float16 shards), run in-process on the backends' sources.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  initWeights,
  type LlamaLMOptions,
  llamaLM,
  type ModelSpec,
  readSafetensors,
  type Tensor,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';
import { runMain } from './in-process.js';

const w = workdir();
let modules: Record<string, unknown>;
beforeAll(async () => {
  modules = {
    '@tessera/backend-reference': await import('@tessera/backend-reference'),
    '@tessera/backend-tfjs': await import('@tessera/backend-tfjs'),
  };
});
const tessera = (...argv: string[]) => runMain(argv, { cwd: w.dir, modules });

type Dtype = 'F32' | 'BF16' | 'F16';

/** float32 → bfloat16 bits: the top 16 bits (the values below are made exact in bf16 first). */
function bf16Bits(v: number): number {
  return new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16;
}

/** float16 bits of a value that f16 holds exactly and that is 0 or normal (|v| ≥ 2^-14). */
function f16Bits(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === 0) return sign;
  const e = Math.floor(Math.log2(a));
  const f = (a / 2 ** e - 1) * 1024;
  if (!Number.isInteger(f) || e < -14 || e > 15) throw new Error(`${v} is not an f16 normal`);
  return sign | ((e + 15) << 10) | f;
}

/** Rounds every value to one the dtype holds exactly, so a float32 copy is the same model. */
function exactIn(dtype: Dtype, t: Tensor): Tensor {
  const data = Float32Array.from(t.data, (v) =>
    dtype === 'BF16'
      ? new Float32Array(new Uint32Array([bf16Bits(v) << 16]).buffer)[0]
      : dtype === 'F16'
        ? Math.round(v * 1024) / 1024 // k/1024 with |k| < 2048 is exact in f16
        : v,
  );
  return { ...t, data };
}

/** A safetensors file with each tensor stored as `dtype` (written by hand: the writer is F32-only). */
function encode(tensors: Map<string, Tensor>, dtype: Dtype): Uint8Array {
  if (dtype === 'F32') return writeSafetensors(tensors);
  const header: Record<string, unknown> = {};
  const chunks: number[] = [];
  for (const [name, t] of tensors) {
    const begin = chunks.length;
    for (const v of t.data) {
      const bits = dtype === 'BF16' ? bf16Bits(v) : f16Bits(v);
      chunks.push(bits & 0xff, bits >> 8);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [begin, chunks.length] };
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + chunks.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(chunks, 8 + h.length);
  return out;
}

const SHARD1 = 'model-00001-of-00002.safetensors';
const SHARD2 = 'model-00002-of-00002.safetensors';

interface Folder {
  dir: string;
  spec: ModelSpec;
  /** The same weights, float32, in one file: the model the shards must reproduce. */
  full: string;
}

/**
 * Writes DIR/config.json and the weights of llamaLM(options): sharded in two files with an index
 * (the second shard in `dtype`), or as one model.safetensors.
 */
function folder(
  dir: string,
  config: Record<string, unknown>,
  options: LlamaLMOptions,
  layout: { sharded: false } | { sharded: true; dtype: Dtype },
): Folder {
  mkdirSync(join(w.dir, dir), { recursive: true });
  w.write(join(dir, 'config.json'), JSON.stringify(config));
  const spec = llamaLM(options);
  const names = [...initWeights(spec, 7).keys()];
  // Layer 0 and the embedding in shard 1, the rest in shard 2 (as save_pretrained splits by size).
  const inFirst = (n: string) =>
    n.startsWith('model.embed_tokens') || n.startsWith('model.layers.0.');
  const dtype = layout.sharded ? layout.dtype : 'F32';
  const weights: Weights = new Map(
    [...initWeights(spec, 7)].map(([n, t]) => [n, inFirst(n) ? t : exactIn(dtype, t)]),
  );
  const full = `${dir}.full.safetensors`;
  w.write(full, writeSafetensors(weights));
  if (!layout.sharded) w.write(join(dir, 'model.safetensors'), writeSafetensors(weights));
  else {
    const one = new Map([...weights].filter(([n]) => inFirst(n)));
    const two = new Map([...weights].filter(([n]) => !inFirst(n)));
    w.write(join(dir, SHARD1), encode(one, 'F32'));
    w.write(join(dir, SHARD2), encode(two, layout.dtype));
    const weight_map = Object.fromEntries(names.map((n) => [n, inFirst(n) ? SHARD1 : SHARD2]));
    w.write(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: { total_size: 0 }, weight_map }),
    );
  }
  return { dir, spec, full };
}

const base = {
  vocab_size: 24,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 24,
  rms_norm_eps: 1e-5,
  max_position_embeddings: 64,
  hidden_act: 'silu',
};
const sizes: LlamaLMOptions = {
  vocabSize: 24,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  numKeyValueHeads: 2,
  intermediateSize: 24,
  rmsNormEps: 1e-5,
  maxLength: 64,
};

const llama = folder(
  'llama',
  { ...base, model_type: 'llama', rope_theta: 500000, rope_scaling: null },
  { ...sizes, ropeTheta: 500000 },
  { sharded: true, dtype: 'BF16' },
);
const qwen2 = folder(
  'qwen2',
  {
    ...base,
    model_type: 'qwen2',
    tie_word_embeddings: true,
    head_dim: 6,
    use_sliding_window: false,
    sliding_window: 4,
  },
  { ...sizes, tieWordEmbeddings: true, headDim: 6, attentionBias: true },
  { sharded: true, dtype: 'F16' },
);
const mistral = folder(
  'mistral',
  { ...base, model_type: 'mistral', sliding_window: null, hidden_act: 'gelu_pytorch_tanh' },
  { ...sizes, activation: 'geluTanh' },
  { sharded: false },
);
w.write(
  'ids.safetensors',
  writeSafetensors(
    new Map([
      [
        'input_ids',
        { dtype: 'int32', shape: [2, 5], data: new Int32Array([1, 5, 9, 23, 0, 7, 7, 2, 11, 3]) },
      ],
    ]),
  ),
);

async function logits(spec: string, weights: string, backend: string): Promise<Float32Array> {
  const out = `out-${spec}-${backend}-${weights.replace(/\W/g, '_')}.safetensors`;
  const r = await tessera(
    'run',
    spec,
    '--weights',
    weights,
    '--inputs',
    'ids.safetensors',
    '--backend',
    backend,
    '-o',
    out,
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const t = w.tensors(out).get('logits')!;
  expect(t.shape).toEqual([2, 5, 24]);
  return t.data as Float32Array;
}

function close(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('tessera import', () => {
  it.each([llama, qwen2, mistral])(
    '$dir: writes the preset spec and checks the weights',
    async (f) => {
      const r = await tessera('import', f.dir, '-o', `${f.dir}.json`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/checked \d+ tensors in .* against the spec: they match/);
      expect(JSON.parse(w.read(`${f.dir}.json`).toString())).toEqual(f.spec);
    },
  );

  it.each([
    { f: llama, weights: 'llama/model.safetensors.index.json' },
    { f: qwen2, weights: 'qwen2' },
    { f: mistral, weights: 'mistral/model.safetensors' },
  ])(
    '$f.dir: run --weights $weights equals the float32 weights, on two backends',
    async ({ f, weights }) => {
      const want = await logits(`${f.dir}.json`, f.full, 'reference');
      close(await logits(`${f.dir}.json`, weights, 'reference'), want, 0);
      close(await logits(`${f.dir}.json`, weights, 'tfjs'), want, 1e-4);
    },
  );

  it('llama attention_bias and mlp_bias become biases', async () => {
    mkdirSync(join(w.dir, 'biased'));
    w.write(
      'biased/config.json',
      JSON.stringify({ ...base, model_type: 'llama', attention_bias: true, mlp_bias: true }),
    );
    const r = await tessera('import', 'biased', '-o', 'biased.json');
    expect(r.stdout).toContain('weights not checked');
    expect(r.status).toBe(0);
    const spec = JSON.parse(w.read('biased.json').toString()) as ModelSpec;
    expect(spec).toEqual(
      llamaLM({ ...sizes, attentionBias: true, outputBias: true, mlpBias: true }),
    );
  });
});

describe('tessera import: bad inputs', () => {
  /** Imports a folder holding only this config; returns the run's stderr. */
  async function refused(name: string, config: Record<string, unknown>): Promise<string> {
    mkdirSync(join(w.dir, name), { recursive: true });
    w.write(join(name, 'config.json'), JSON.stringify(config));
    const r = await tessera('import', name, '-o', `${name}.json`);
    expect(r.status).toBe(1);
    expect(() => w.read(`${name}.json`)).toThrow();
    return r.stderr;
  }

  it.each([
    ['rope_scaling', { rope_scaling: { rope_type: 'llama3', factor: 8 } }],
    ['rope_parameters', { rope_parameters: { rope_type: 'yarn', rope_theta: 1e4 } }],
    ['hidden_act', { hidden_act: 'relu' }],
    ['quantization_config', { quantization_config: { quant_method: 'gptq' } }],
    ['partial_rotary_factor', { partial_rotary_factor: 0.5 }],
    ['vocab_size', { vocab_size: undefined }],
    ['num_attention_heads', { num_attention_heads: 2.5 }],
  ])('%s is refused by name', async (field, change) => {
    const stderr = await refused(`bad-${field}`, { ...base, model_type: 'llama', ...change });
    expect(stderr).toContain(`bad-${field}/config.json: ${field}: `);
  });

  it('an unknown model_type', async () => {
    expect(await refused('gpt2', { ...base, model_type: 'gpt2' })).toContain(
      'gpt2/config.json: model_type: is "gpt2"; tessera import reads llama, mistral, qwen2',
    );
  });

  it('a sliding window shorter than the context', async () => {
    expect(
      await refused('slide-m', { ...base, model_type: 'mistral', sliding_window: 16 }),
    ).toContain(
      'slide-m/config.json: sliding_window: is 16, shorter than max_position_embeddings 64',
    );
    expect(
      await refused('slide-q', {
        ...base,
        model_type: 'qwen2',
        use_sliding_window: true,
        sliding_window: 16,
        max_window_layers: 1,
      }),
    ).toContain('sliding_window: is 16');
    // A window as long as the context changes nothing.
    mkdirSync(join(w.dir, 'slide-ok'));
    w.write(
      'slide-ok/config.json',
      JSON.stringify({ ...base, model_type: 'mistral', sliding_window: 64 }),
    );
    expect((await tessera('import', 'slide-ok', '-o', 'slide-ok.json')).status).toBe(0);
  });

  it('a missing or unreadable config.json', async () => {
    mkdirSync(join(w.dir, 'empty'));
    const r = await tessera('import', 'empty', '-o', 'e.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('empty/config.json: cannot read: no such file');
    w.write('empty/config.json', '{');
    expect((await tessera('import', 'empty', '-o', 'e.json')).stderr).toContain(
      'empty/config.json: is not valid JSON',
    );
  });

  it('weights that do not match the config: every mismatch, and no spec', async () => {
    mkdirSync(join(w.dir, 'mismatch'));
    w.write('mismatch/config.json', JSON.stringify({ ...base, model_type: 'llama' }));
    const weights = initWeights(llama.spec, 1);
    weights.delete('model.norm.weight');
    weights.set('model.layers.1.mlp.up_proj.weight', {
      dtype: 'float32',
      shape: [3, 16],
      data: new Float32Array(48),
    });
    weights.set('extra.weight', { dtype: 'float32', shape: [1], data: new Float32Array(1) });
    w.write('mismatch/model.safetensors', writeSafetensors(weights));
    const r = await tessera('import', 'mismatch', '-o', 'mismatch.json');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^error: mismatch\/model\.safetensors: model\.norm\.weight: is missing/,
        ),
        expect.stringMatching(
          /^error: mismatch\/model\.safetensors: model\.layers\.1\.mlp\.up_proj\.weight: has shape \[3, 16\], expected \[24, 16\]/,
        ),
        expect.stringMatching(
          /^error: mismatch\/model\.safetensors: extra\.weight: is not a weight/,
        ),
      ]),
    );
    expect(() => w.read('mismatch.json')).toThrow();
  });
});

describe('--weights with a shard index: bad shards', () => {
  beforeAll(() => {
    w.write('llama.json', JSON.stringify(llama.spec));
    mkdirSync(join(w.dir, 'no-weights'), { recursive: true });
  });
  const names = [...initWeights(llama.spec, 7).keys()];
  const weights = readSafetensors(new Uint8Array(w.read(llama.full))).tensors;
  const half = Math.floor(names.length / 2);

  /** A folder with the given shards and weight_map; returns `run`'s stderr lines. */
  async function runWith(
    name: string,
    shards: Record<string, string[]>,
    weightMap: Record<string, string>,
  ): Promise<string> {
    mkdirSync(join(w.dir, name));
    for (const [file, ns] of Object.entries(shards))
      w.write(join(name, file), writeSafetensors(new Map(ns.map((n) => [n, weights.get(n)!]))));
    w.write(join(name, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
    const r = await tessera('run', 'llama.json', '--weights', name, '--inputs', 'ids.safetensors');
    expect(r.status).toBe(1);
    return r.stderr;
  }
  const split = Object.fromEntries(names.map((n, i) => [n, i < half ? SHARD1 : SHARD2]));
  const prefix = (name: string) => `${name}/model.safetensors.index.json: `;

  it('a missing shard file', async () => {
    const stderr = await runWith('s-missing', { [SHARD1]: names.slice(0, half) }, split);
    expect(stderr).toContain(
      `${prefix('s-missing')}${names[half]}: is in shard ${SHARD2} according to the index, but that file is missing (and ${names.length - half - 1} more tensors`,
    );
  });

  it('a tensor the index lists but its shard lacks', async () => {
    const stderr = await runWith(
      's-absent',
      { [SHARD1]: names.slice(0, half), [SHARD2]: names.slice(half + 1) },
      split,
    );
    expect(stderr).toContain(
      `${prefix('s-absent')}${names[half]}: is in ${SHARD2} according to the index, but ${SHARD2} does not hold it`,
    );
  });

  it('a tensor in a shard but not in the index', async () => {
    const { [names[0]]: _, ...less } = split;
    const stderr = await runWith(
      's-unlisted',
      { [SHARD1]: names.slice(0, half), [SHARD2]: names.slice(half) },
      less,
    );
    expect(stderr).toContain(
      `${prefix('s-unlisted')}${names[0]}: is in ${SHARD1} but not in the index's weight_map`,
    );
  });

  it('a tensor in two shards', async () => {
    const stderr = await runWith(
      's-twice',
      { [SHARD1]: names.slice(0, half + 1), [SHARD2]: names.slice(half) },
      split,
    );
    expect(stderr).toContain(
      `${prefix('s-twice')}${names[half]}: is in two shards, ${SHARD1} and ${SHARD2}`,
    );
  });

  it('a weight stored as I64 or BOOL', async () => {
    mkdirSync(join(w.dir, 's-dtype'));
    const one = new Map(
      names.filter((n) => n !== 'model.norm.weight').map((n) => [n, weights.get(n)!]),
    );
    w.write(join('s-dtype', SHARD1), writeSafetensors(one));
    // By hand: model.norm.weight as I64 [16] (128 bytes), and a BOOL tensor.
    const header = JSON.stringify({
      'model.norm.weight': { dtype: 'I64', shape: [16], data_offsets: [0, 128] },
    });
    const h = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + h.length + 128);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true);
    bytes.set(h, 8);
    w.write(join('s-dtype', SHARD2), bytes);
    const map = Object.fromEntries(
      names.map((n) => [n, n === 'model.norm.weight' ? SHARD2 : SHARD1]),
    );
    w.write(join('s-dtype', 'model.safetensors.index.json'), JSON.stringify({ weight_map: map }));
    const r = await tessera(
      'run',
      'llama.json',
      '--weights',
      's-dtype',
      '--inputs',
      'ids.safetensors',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${prefix('s-dtype')}model.norm.weight: has dtype int32, expected float32`,
    );
    const boolFile = new TextEncoder().encode(
      JSON.stringify({
        'model.norm.weight': { dtype: 'BOOL', shape: [16], data_offsets: [0, 16] },
      }),
    );
    const b = new Uint8Array(8 + boolFile.length + 16);
    new DataView(b.buffer).setBigUint64(0, BigInt(boolFile.length), true);
    b.set(boolFile, 8);
    w.write(join('s-dtype', SHARD2), b);
    const r2 = await tessera(
      'run',
      'llama.json',
      '--weights',
      's-dtype',
      '--inputs',
      'ids.safetensors',
    );
    expect(r2.stderr).toContain(
      `${prefix('s-dtype')}model.norm.weight: in ${SHARD2}: has unsupported dtype "BOOL"`,
    );
  });

  it('a folder without weights', async () => {
    const r = await tessera(
      'run',
      'llama.json',
      '--weights',
      'no-weights',
      '--inputs',
      'ids.safetensors',
    );
    expect(r.stderr).toContain(
      'no-weights: the folder holds neither model.safetensors.index.json nor model.safetensors',
    );
  });
});
