// Character-level language models on the King James Version: a GPT-style transformerLM, an
// LSTM charRnnLM and a LLaMA-style llamaLM pre-trained with TensorFlow.js, then the transformer
// fine-tuned on the World English Bible's New Testament with its embedding frozen; perplexities
// before and after each phase. The LLaMA model is saved as a Hugging Face folder and read back
// with `tessera import`. The final models' test perplexity on every Node.js backend variant, and
// a sample.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createBackend, ensureTfBackend } from '@tessera/backend-tfjs';
import { CharTokenizer, generate, perplexity } from '@tessera/lm';
import {
  charRnnLM,
  initWeights,
  type LlamaLMOptions,
  llamaLM,
  type ModelSpec,
  parameterCount,
  transformerLM,
  type Weights,
} from '@tessera/spec';
import { agreeTo, onEveryVariant } from '../shared/backends.ts';
import { exampleOptions, seconds } from '../shared/cli.ts';
import {
  charTokenizerConfig,
  charTokenizerJson,
  llamaConfigJson,
  llamaInit,
  loadHfFolder,
  saveHfFolder,
  tesseraImport,
} from '../shared/hf.ts';
import { trainingProgress } from '../shared/progress.ts';
import { saveModel } from '../shared/save.ts';
import { type TrainOptions, train } from '../shared/train.ts';
import { ensureTexts, kjvText, splitText, webText } from './data.ts';
import { randomWindows } from './windows.ts';

const opts = exampleOptions(new URL('./output', import.meta.url).pathname);
const started = performance.now();
const T = 64; // context length: the transformer's maxLength and the training window
const batchSize = 32;
const steps = opts.quick
  ? { transformer: 3, lstm: 3, llama: 3, finetune: 3 }
  : { transformer: 250, lstm: 150, llama: 250, finetune: 100 };
// Perplexity slices: validation during training, and the bounded test slice every backend scores.
const evalChars = opts.quick ? 256 : 8192;
const testChars = opts.quick ? 256 : 2048;

ensureTexts();
const kjv = splitText(kjvText());
const web = splitText(webText());
const tok = CharTokenizer.fromText(kjv.train + web.train);
writeFileSync(join(opts.out, 'vocab.json'), `${JSON.stringify(tok.toJSON())}\n`);
const enc = (s: string) => tok.encode(s);
const ids = {
  kjvTrain: enc(kjv.train),
  kjvVal: enc(kjv.validation.slice(0, evalChars)),
  kjvTest: enc(kjv.test.slice(0, testChars)),
  webTrain: enc(web.train),
  webVal: enc(web.validation.slice(0, evalChars)),
  webTest: enc(web.test.slice(0, testChars)),
};
console.log(
  `KJV (Debian bible-kjv): ${kjv.train.length + kjv.validation.length + kjv.test.length} characters, split 90/5/5 → train ${kjv.train.length}, validation ${kjv.validation.length} (first ${ids.kjvVal.length} scored), test ${kjv.test.length} (first ${ids.kjvTest.length} scored)`,
);
console.log(
  `WEB New Testament (Debian sword-text-web): ${web.train.length + web.validation.length + web.test.length} characters, same split`,
);
console.log(
  `character vocabulary: ${tok.vocabSize} tokens (id 0 = unknown); context ${T}; seed ${opts.seed}${opts.quick ? '; --quick' : ''}`,
);

// Training runs on tfjs's wasm variant (its matrix products are several times faster than the
// pure-JS cpu variant's); the embedding gradient needs the segment-sum kernel wasm lacks.
await ensureTfBackend('wasm');
const tfjsWasm = await createBackend({ variant: 'wasm' });

/** The name of a spec's token input: `tokens` for the tessera presets, `input_ids` for llamaLM. */
const inputOf = (spec: ModelSpec) => Object.keys(spec.inputs)[0];

async function ppl(spec: ModelSpec, weights: Weights, text: Int32Array): Promise<number> {
  const model = await tfjsWasm.compile(spec, weights);
  try {
    return await perplexity(model, text, { contextLength: T, input: inputOf(spec) });
  } finally {
    await model.dispose();
  }
}

async function phase(
  label: string,
  spec: ModelSpec,
  weights: Weights,
  text: Int32Array,
  n: number,
  seed: number,
  o: Partial<TrainOptions>,
): Promise<Weights> {
  const bar = trainingProgress(label, n);
  const t0 = performance.now();
  const windows = randomWindows(text, n * batchSize, T, seed);
  const data = { inputs: { [inputOf(spec)]: windows.inputs.tokens }, targets: windows.targets };
  const result = await train(spec, weights, data, {
    loss: 'crossEntropy',
    optimizer: 'adam',
    batchSize,
    epochs: 1,
    seed,
    clipGradNorm: 1,
    onProgress: bar.onProgress,
    ...o,
  });
  bar.done();
  const last = result.history.slice(-10);
  console.log(
    `${label}: ${n} steps × ${batchSize} windows of ${T} in ${seconds(t0)} s; mean loss of the last ${last.length} steps ${(last.reduce((s, h) => s + h.loss, 0) / last.length).toFixed(4)}`,
  );
  return result.weights;
}

const table: string[] = [
  '| phase | model | validation text | perplexity before | perplexity after |',
  '| --- | --- | --- | --- | --- |',
];
const report: Record<string, unknown> = {
  seed: opts.seed,
  quick: opts.quick,
  steps,
  batchSize,
  context: T,
  vocab: tok.vocabSize,
};

// 1. Transformer on the KJV.
const transformer = transformerLM({
  vocabSize: tok.vocabSize,
  dModel: 64,
  nhead: 4,
  numLayers: 2,
  dimFeedforward: 256,
  maxLength: T,
});
const lrTransformer = 2e-3;
console.log(
  `\ntransformerLM: dModel 64, 2 layers, 4 heads, ff 256, ${parameterCount(transformer)} parameters; Adam lr ${lrTransformer}, clip 1`,
);
let w = initWeights(transformer, opts.seed);
const trBefore = await ppl(transformer, w, ids.kjvVal);
w = await phase(
  'pre-train transformer (KJV)',
  transformer,
  w,
  ids.kjvTrain,
  steps.transformer,
  opts.seed,
  { learningRate: lrTransformer },
);
const trAfter = await ppl(transformer, w, ids.kjvVal);
table.push(`| pre-train | transformerLM | KJV | ${trBefore.toFixed(3)} | ${trAfter.toFixed(3)} |`);
saveModel(opts.out, 'transformer-kjv', transformer, w, {
  'tessera.seed': String(opts.seed),
  'tessera.vocab': JSON.stringify(tok.toJSON()),
});
const transformerKjv = w;

// 2. LSTM on the KJV.
const lstm = charRnnLM({
  vocabSize: tok.vocabSize,
  embeddingDim: 32,
  hiddenSize: 128,
  cell: 'lstm',
});
const lrLstm = 5e-3;
console.log(
  `\ncharRnnLM: embedding 32, LSTM 128, ${parameterCount(lstm)} parameters; Adam lr ${lrLstm}, clip 1`,
);
let l = initWeights(lstm, opts.seed);
const lstmBefore = await ppl(lstm, l, ids.kjvVal);
l = await phase('pre-train LSTM (KJV)', lstm, l, ids.kjvTrain, steps.lstm, opts.seed + 1, {
  learningRate: lrLstm,
});
const lstmAfter = await ppl(lstm, l, ids.kjvVal);
table.push(
  `| pre-train | charRnnLM (LSTM) | KJV | ${lstmBefore.toFixed(3)} | ${lstmAfter.toFixed(3)} |`,
);
saveModel(opts.out, 'lstm-kjv', lstm, l, {
  'tessera.seed': String(opts.seed),
  'tessera.vocab': JSON.stringify(tok.toJSON()),
});

// 3. A LLaMA-style decoder on the KJV (RMSNorm, rotary positions, grouped-query attention with
// 2 key/value heads for 4 query heads, SwiGLU MLP, head tied to the embedding), initialised as
// transformers initialises LlamaForCausalLM; saved as a Hugging Face folder, read back with
// `tessera import`, and the imported model is the one every backend scores below.
const llamaOptions = {
  vocabSize: tok.vocabSize,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  numKeyValueHeads: 2,
  headDim: 16, // config.json's head_dim, which the import passes on
  intermediateSize: 172,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  maxLength: T,
} satisfies LlamaLMOptions;
const llama = llamaLM(llamaOptions);
const lrLlama = 3e-3;
console.log(
  `\nllamaLM: hidden 64, 2 layers, 4 heads (2 key/value heads, head_dim 16), intermediate 172, tied head, ${parameterCount(llama)} parameters; N(0, 0.02) init, Adam lr ${lrLlama}, clip 1`,
);
let lw = llamaInit(initWeights(llama, opts.seed), opts.seed);
const llamaBefore = await ppl(llama, lw, ids.kjvVal);
lw = await phase('pre-train LLaMA (KJV)', llama, lw, ids.kjvTrain, steps.llama, opts.seed + 3, {
  learningRate: lrLlama,
});
const llamaAfter = await ppl(llama, lw, ids.kjvVal);
table.push(`| pre-train | llamaLM | KJV | ${llamaBefore.toFixed(3)} | ${llamaAfter.toFixed(3)} |`);

// The Hugging Face folder: config.json, model.safetensors (model.embed_tokens.weight and no
// lm_head.weight: the head is tied), tokenizer.json and tokenizer_config.json.
const hfDir = join(opts.out, 'llama-kjv');
saveHfFolder(hfDir, {
  config: llamaConfigJson(llamaOptions),
  weights: lw,
  tokenizer: charTokenizerJson(tok),
  tokenizerConfig: charTokenizerConfig(tok, T),
});
const importedSpecFile = join(opts.out, 'llama-kjv.json');
const imported = tesseraImport(hfDir, importedSpecFile);
console.log(`Hugging Face folder: ${hfDir}\n$ tessera import ${hfDir} -o ${importedSpecFile}`);
process.stdout.write(imported.replace(/^/gm, '  '));
const {
  spec: importedSpec,
  weights: importedWeights,
  tokenizer: hfTok,
} = loadHfFolder(hfDir, importedSpecFile);
const importedSameSpec = isDeepStrictEqual(importedSpec, llama);
const valIds = hfTok.encode(kjv.validation);
const charIds = enc(kjv.validation);
const tokenizerSameIds =
  valIds.length === charIds.length && valIds.every((v, i) => v === charIds[i]);
console.log(
  `imported spec equal to the trained one: ${importedSameSpec}; tokenizer.json read back by @tessera/lm gives the char tokenizer's ids on the whole KJV validation split (${charIds.length} characters): ${tokenizerSameIds}`,
);
if (!importedSameSpec || !tokenizerSameIds)
  throw new Error('the Hugging Face folder does not read back as it was written');

// 4. Fine-tune the transformer on the WEB New Testament, embedding frozen.
console.log(
  '\nfine-tune transformerLM on the WEB New Testament with freeze: ["embed"], Adam lr 1e-3',
);
const ftBeforeWeb = await ppl(transformer, transformerKjv, ids.webVal);
const ft = await phase(
  'fine-tune transformer (WEB)',
  transformer,
  transformerKjv,
  ids.webTrain,
  steps.finetune,
  opts.seed + 2,
  { learningRate: 1e-3, freeze: ['embed'] },
);
const embedUnchanged = transformerKjv
  .get('embed.weight')!
  .data.every((v, i) => v === ft.get('embed.weight')!.data[i]);
const ftAfterWeb = await ppl(transformer, ft, ids.webVal);
const ftAfterKjv = await ppl(transformer, ft, ids.kjvVal);
table.push(
  `| fine-tune (embed frozen) | transformerLM | WEB | ${ftBeforeWeb.toFixed(3)} | ${ftAfterWeb.toFixed(3)} |`,
);
table.push(
  `| fine-tune (embed frozen) | transformerLM | KJV | ${trAfter.toFixed(3)} | ${ftAfterKjv.toFixed(3)} |`,
);
console.log(`embedding unchanged by fine-tuning: ${embedUnchanged}`);
const saved = saveModel(opts.out, 'transformer-web', transformer, ft, {
  'tessera.seed': String(opts.seed),
  'tessera.vocab': JSON.stringify(tok.toJSON()),
});
console.log(`weights: ${saved.weights} (spec: ${saved.spec})`);

console.log(
  '\nvalidation perplexity (first',
  ids.kjvVal.length,
  'characters of each validation split):',
);
for (const row of table) console.log(row);

// 5. Test perplexity of the final models on every Node.js backend variant.
console.error('\ntest perplexity on every backend variant:');
const scoreOn = async (spec: ModelSpec, weights: Weights, text: Int32Array) =>
  onEveryVariant(spec, weights, (model) =>
    perplexity(model, text, { contextLength: T, input: inputOf(spec) }),
  );
const finalTransformer = await scoreOn(transformer, ft, ids.webTest);
const finalLstm = await scoreOn(lstm, l, ids.kjvTest);
const finalLlama = await scoreOn(importedSpec, importedWeights, ids.kjvTest);
console.log(`\ntest perplexity (first ${ids.webTest.length} characters of each test split):`);
console.log(
  '| variant | transformerLM fine-tuned, WEB test | s | charRnnLM (LSTM), KJV test | s | llamaLM imported from its Hugging Face folder, KJV test | s |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
finalTransformer.forEach((r, i) => {
  const s = finalLstm[i];
  const m = finalLlama[i];
  const cell = (x: typeof r) =>
    x.value === undefined ? `error: ${x.error}` : x.value.toPrecision(6);
  console.log(
    `| ${r.label} | ${cell(r)} | ${r.seconds.toFixed(1)} | ${cell(s)} | ${s.seconds.toFixed(1)} | ${cell(m)} | ${m.seconds.toFixed(1)} |`,
  );
});
const ok = (rs: typeof finalTransformer) =>
  rs.filter((r) => r.value !== undefined).map((r) => r.value!);
/** The largest |p − p_reference| / p_reference over the variants (the reference is first). */
const spread = (rs: typeof finalTransformer) =>
  Math.max(...ok(rs).map((v) => Math.abs(v - ok(rs)[0]) / ok(rs)[0]));
console.log(
  `agree to 3 significant figures: transformer ${agreeTo(ok(finalTransformer), 3)} (${ok(finalTransformer).length} variants), LSTM ${agreeTo(ok(finalLstm), 3)} (${ok(finalLstm).length} variants), LLaMA ${agreeTo(ok(finalLlama), 3)} (${ok(finalLlama).length} variants)`,
);
console.log(
  `largest |Δppl| / ppl against reference:f64: transformer ${spread(finalTransformer).toExponential(2)}, LSTM ${spread(finalLstm).toExponential(2)}, LLaMA ${spread(finalLlama).toExponential(2)}`,
);

// 6. A sample from the fine-tuned transformer, sliding the context window as it grows.
const prompt = 'Jesus said to them, ';
let context = Array.from(enc(prompt));
const generated: number[] = [];
const model = await tfjsWasm.compile(transformer, ft);
for (let chunk = 0; generated.length < (opts.quick ? 40 : 400); chunk++) {
  const keep = context.slice(-T / 2);
  const next = await generate(model, keep, {
    maxTokens: T - keep.length,
    temperature: 0.8,
    topK: 10,
    seed: opts.seed + chunk,
    contextLength: T,
  });
  generated.push(...next);
  context = [...keep, ...next];
}
await model.dispose();
const sample = prompt + tok.decode(generated);
console.log(
  `\nsample (fine-tuned transformer, temperature 0.8, top-k 10, seed ${opts.seed}):\n${sample}`,
);

Object.assign(report, {
  validation: {
    transformer: { before: trBefore, after: trAfter },
    lstm: { before: lstmBefore, after: lstmAfter },
    llama: { before: llamaBefore, after: llamaAfter },
    finetune: {
      webBefore: ftBeforeWeb,
      webAfter: ftAfterWeb,
      kjvAfter: ftAfterKjv,
      embedUnchanged,
    },
  },
  test: {
    transformerWeb: Object.fromEntries(
      finalTransformer.map((r) => [r.label, r.value ?? { error: r.error }]),
    ),
    lstmKjv: Object.fromEntries(finalLstm.map((r) => [r.label, r.value ?? { error: r.error }])),
    llamaKjv: Object.fromEntries(finalLlama.map((r) => [r.label, r.value ?? { error: r.error }])),
  },
  llama: {
    folder: hfDir,
    spec: importedSpecFile,
    parameters: parameterCount(llama),
    importedSameSpec,
    tokenizerSameIds,
    maxRelativeDeviation: spread(finalLlama),
  },
  sample,
  totalSeconds: Number(seconds(started)),
});
writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreport: ${join(opts.out, 'report.json')}; total ${report.totalSeconds} s`);
