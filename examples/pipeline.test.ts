// The four applications end to end in --quick mode (a few training steps): each command runs,
// writes weights that load against the spec saved beside them, and reports figures that are
// consistent across the backend variants. Checks the pipeline, not the full runs' figures.
// Then a tiny LLaMA-style model on its own: trained, saved as a Hugging Face folder, read back
// with `tessera import`, and scored on the reference and two other variants.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTfBackend } from '@tessera/backend-tfjs';
import { CharTokenizer, loadHfTokenizer, perplexity } from '@tessera/lm';
import { initWeights, llamaLM, readSafetensors } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { randomWindows } from './language-model/windows.ts';
import { onEveryVariant } from './shared/backends.ts';
import {
  charTokenizerConfig,
  charTokenizerJson,
  llamaConfigJson,
  llamaInit,
  loadHfFolder,
  saveHfFolder,
  tesseraImport,
} from './shared/hf.ts';
import { loadModel } from './shared/save.ts';
import { train } from './shared/train.ts';

const here = new URL('.', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: report.json read back; the assertions check its fields
type Report = Record<string, any>;

function quickRun(
  name: string,
  flags: string[] = [],
): { out: string; stdout: string; report: Report } {
  const out = mkdtempSync(join(tmpdir(), `tessera-${name}-`));
  const r = spawnSync(
    join(here, 'node_modules/.bin/tsx'),
    [join(here, name, 'run.ts'), '--quick', ...flags, '--out', out],
    { encoding: 'utf8', cwd: here, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0)
    throw new Error(`${name} --quick exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return {
    out,
    stdout: r.stdout,
    report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
  };
}

const variants = [
  'reference:f64',
  'tfjs:cpu',
  'tfjs:wasm',
  'ort:node',
  'ort:wasm',
  'gpujs:cpu',
  'gpujs:webasm',
];

/** The largest |x − values[0]| / values[0]. */
const relativeSpread = (values: number[]) =>
  Math.max(...values.map((x) => Math.abs(x - values[0]) / values[0]));

describe('examples --quick', () => {
  test('language model: four phases, perplexities on every variant agree to 3 significant figures', () => {
    const { out, report } = quickRun('language-model');
    const v = report.validation;
    expect(v.transformer.after).toBeLessThan(v.transformer.before);
    expect(v.lstm.after).toBeLessThan(v.lstm.before);
    expect(v.llama.after).toBeLessThan(v.llama.before);
    expect(v.finetune.embedUnchanged).toBe(true);
    for (const key of ['transformerWeb', 'lstmKjv', 'llamaKjv']) {
      const values = variants.map((label) => report.test[key][label]);
      for (const x of values)
        expect(typeof x, `${key}: ${JSON.stringify(report.test[key])}`).toBe('number');
      for (const x of values) expect(x.toPrecision(3)).toBe(values[0].toPrecision(3));
    }
    // The LLaMA model was scored after the round trip through its Hugging Face folder.
    expect(relativeSpread(variants.map((label) => report.test.llamaKjv[label]))).toBeLessThan(1e-4);
    expect(report.llama.importedSameSpec).toBe(true);
    expect(report.llama.tokenizerSameIds).toBe(true);
    expect(report.sample.length).toBeGreaterThan(20);
    for (const name of ['transformer-kjv', 'lstm-kjv', 'transformer-web']) {
      const { spec, metadata } = loadModel(out, name);
      expect(JSON.parse(metadata['tessera.spec'])).toEqual(JSON.parse(JSON.stringify(spec)));
    }
    const hf = loadHfFolder(join(out, 'llama-kjv'), join(out, 'llama-kjv.json'));
    expect([...hf.weights.keys()]).toContain('model.embed_tokens.weight');
    expect([...hf.weights.keys()]).not.toContain('lm_head.weight');
    const vocab = CharTokenizer.fromJSON(JSON.parse(readFileSync(join(out, 'vocab.json'), 'utf8')));
    const text = 'And God said, Let there be light: and there was light.\n';
    expect(Array.from(hf.tokenizer.encode(text))).toEqual(Array.from(vocab.encode(text)));
  });

  test('mnist: every variant predicts the same digits; confusion matrix SVG written', () => {
    const { out, report, stdout } = quickRun('mnist');
    const accuracies = variants.map((label) => report.accuracy[label]);
    for (const a of accuracies) expect(typeof a, JSON.stringify(report.accuracy)).toBe('number');
    expect(new Set(accuracies).size).toBe(1);
    expect(stdout).toContain(`${report.test}/${report.test} |`); // predictions equal to the first variant's
    const total = report.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    expect(total).toBe(report.test);
    const svg = readFileSync(join(out, 'confusion.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(100);
    loadModel(out, 'mnist-cnn');
  });

  test("speech: CTC on each utterance's own frames, held-out voices decoded alike on three variants", () => {
    const { out, report } = quickRun('speech');
    expect(report.mode).toBe('lengths');
    // Own lengths: utterances differ in frame count, none reaches the one-second cap of 50.
    expect(report.frames.min).toBeLessThan(report.frames.max);
    expect(report.frames.max).toBeLessThan(50);
    expect(report.test).toBeGreaterThan(0);
    expect(report.heldOut.accuracy).toBeGreaterThanOrEqual(0);
    expect(report.heldOut.accuracy).toBeLessThanOrEqual(1);
    expect(report.heldOut.perClass).toHaveLength(10);
    expect(
      report.heldOut.perClass.reduce((s: number, c: { support: number }) => s + c.support, 0),
    ).toBe(report.test);
    for (const label of ['ort:node', 'reference:f64']) {
      expect(typeof report.byVariant[label], JSON.stringify(report.byVariant)).toBe('number');
      expect(report.byVariant[label]).toBe(report.byVariant['tfjs:cpu']);
    }
    const { spec, metadata } = loadModel(out, 'speech-ctc');
    expect(Object.keys(spec.inputs)).toEqual(['features', 'lengths']);
    expect(JSON.parse(metadata['tessera.features']).mode).toBe('lengths');
  });

  test('speech --padded: the fixed-length version (one second, no lengths) still runs', () => {
    const { out, report } = quickRun('speech', ['--padded']);
    expect(report.mode).toBe('padded');
    expect(report.frames).toEqual({ min: 50, max: 50, mean: 50 });
    expect(typeof report.byVariant['ort:node']).toBe('number');
    expect(report.byVariant['ort:node']).toBe(report.byVariant['tfjs:cpu']);
    expect(Object.keys(loadModel(out, 'speech-ctc').spec.inputs)).toEqual(['features']);
  });

  test('numbers: seq2seq with lengths trained, decoded greedily with the same figures on every variant', () => {
    const { out, report } = quickRun('numbers');
    expect(report.test).toBe(64);
    const figures = variants.map((label) => report.byVariant[label]);
    for (const [i, f] of figures.entries()) {
      expect(typeof f.exact, `${variants[i]}: ${JSON.stringify(f)}`).toBe('number');
      expect(typeof f.teacherForced, `${variants[i]}: ${JSON.stringify(f)}`).toBe('number');
      expect(f.sameAsFirst).toBe(report.test); // every decoding equal to the reference's
      for (const key of ['exact', 'cer', 'wer', 'teacherForced'])
        expect(f[key]).toBe(figures[0][key]);
    }
    expect(figures[0].cer).toBeGreaterThanOrEqual(0);
    expect(figures[0].teacherForced).toBeGreaterThan(0);
    expect(figures[0].teacherForced).toBeLessThanOrEqual(1);
    const { spec } = loadModel(out, 'numbers-seq2seq');
    expect(Object.keys(spec.inputs)).toEqual(['src', 'tgt', 'src_lengths', 'tgt_lengths']);
  });
});

describe('a LLaMA-style model through a Hugging Face folder', () => {
  test('trained, saved, read back by tessera import, same perplexity on reference:f64, tfjs:cpu and ort:node', async () => {
    const text = 'In the beginning God created the heaven and the earth.\n'.repeat(8);
    const tok = CharTokenizer.fromText(text);
    const ids = tok.encode(text);
    const T = 16;
    const options = {
      vocabSize: tok.vocabSize,
      hiddenSize: 16,
      numLayers: 1,
      numHeads: 2,
      numKeyValueHeads: 1,
      headDim: 8,
      intermediateSize: 24,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: true,
      maxLength: T,
    };
    const spec = llamaLM(options);
    await ensureTfBackend('cpu');
    const w = randomWindows(ids, 8, T, 1);
    const { weights } = await train(
      spec,
      llamaInit(initWeights(spec, 1), 1),
      { inputs: { input_ids: w.inputs.tokens }, targets: w.targets },
      { loss: 'crossEntropy', optimizer: 'adam', learningRate: 1e-2, batchSize: 4, epochs: 1 },
    );

    const dir = mkdtempSync(join(tmpdir(), 'tessera-llama-hf-'));
    saveHfFolder(dir, {
      config: llamaConfigJson(options),
      weights,
      tokenizer: charTokenizerJson(tok),
      tokenizerConfig: charTokenizerConfig(tok, T),
    });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      vocab_size: tok.vocabSize,
      hidden_size: 16,
      intermediate_size: 24,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      head_dim: 8,
      hidden_act: 'silu',
      max_position_embeddings: T,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      tie_word_embeddings: true,
      torch_dtype: 'float32',
    });
    const file = readSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()].sort()).toEqual([...weights.keys()].sort());
    expect(file.tensors.has('lm_head.weight')).toBe(false); // tied: saved as transformers saves it
    const hfTok = loadHfTokenizer(
      readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
      readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'),
    );
    const odd = 'the earth. Zebra!\n';
    expect(Array.from(hfTok.encode(odd))).toEqual(Array.from(tok.encode(odd))); // Z and ! are unknown: 0
    expect(hfTok.decode(tok.encode(text))).toBe(text);

    const specFile = join(dir, 'spec.json');
    expect(tesseraImport(dir, specFile)).toContain('against the spec: they match');
    const imported = loadHfFolder(dir, specFile);
    expect(JSON.parse(JSON.stringify(imported.spec))).toEqual(JSON.parse(JSON.stringify(spec)));
    const results = await onEveryVariant(
      imported.spec,
      imported.weights,
      (model) => perplexity(model, ids.slice(0, 48), { contextLength: T, input: 'input_ids' }),
      ['reference:f64', 'tfjs:cpu', 'ort:node'],
    );
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    const values = results.map((r) => r.value!);
    expect(values[0]).toBeLessThan(tok.vocabSize); // trained: better than uniform
    expect(relativeSpread(values)).toBeLessThan(1e-4);
  });
});
