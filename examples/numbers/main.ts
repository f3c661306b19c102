// Numbers in words: digits → English words ("4071" → "four thousand seventy one") with
// seq2seqTransformer({ lengths: true }), trained with tfjs on padded batches (each number and each
// wording of its own length), decoded greedily in padded batches of sources with the decoder (the
// encoder's memory and its lengths fixed, its keys and values computed once) and scored on every
// Node.js backend variant.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTfBackend } from '@tessera/backend-tfjs';
import {
  type CompiledModel,
  initWeights,
  parameterCount,
  seq2seqTransformer,
  type Tensor,
} from '@tessera/spec';
import { onEveryVariant } from '../shared/backends.ts';
import { exampleOptions, seconds } from '../shared/cli.ts';
import { trainingProgress } from '../shared/progress.ts';
import { saveModel } from '../shared/save.ts';
import { train } from '../shared/train.ts';
import { BOS, EOS, editDistance, numberPairs, type Pair, padPairs, vocabularies } from './data.ts';

const opts = exampleOptions(new URL('./output', import.meta.url).pathname);
const started = performance.now();
const vocab = vocabularies();
const split = numberPairs(0.1, opts.seed);
const trainSet = opts.quick ? split.train.slice(0, 256) : split.train;
const testSet = opts.quick ? split.test.slice(0, 64) : split.test;
console.log(
  `numbers 0–9999 in words: ${trainSet.length} to train, ${testSet.length} held out (never trained on), ${vocab.tgt.size - 3} words; e.g. ${testSet
    .slice(0, 3)
    .map((p) => `${p.digits} → ${p.words.join(' ')}`)
    .join(', ')}; seed ${opts.seed}${opts.quick ? '; --quick' : ''}`,
);

const shape = {
  srcVocabSize: vocab.src.size,
  tgtVocabSize: vocab.tgt.size,
  dModel: 32,
  nhead: 4,
  numEncoderLayers: 2,
  numDecoderLayers: 2,
  dimFeedforward: 64,
  maxLength: 16,
};
const spec = seq2seqTransformer({ ...shape, lengths: true });
const epochs = opts.quick ? 1 : 6;
const batchSize = 64;
const learningRate = 3e-3;
console.log(
  `model: seq2seqTransformer (dModel ${shape.dModel}, ${shape.numEncoderLayers} + ${shape.numDecoderLayers} layers, ${shape.nhead} heads, ff ${shape.dimFeedforward}, src_lengths and tgt_lengths), ${parameterCount(spec)} parameters; cross-entropy, Adam lr ${learningRate}, clip 1, batch ${batchSize}, ${epochs} epochs, on tfjs:wasm`,
);
await ensureTfBackend('wasm');
const steps = epochs * Math.ceil(trainSet.length / batchSize);
const bar = trainingProgress('train', steps);
const trainStart = performance.now();
const { weights, history } = await train(
  spec,
  initWeights(spec, opts.seed),
  padPairs(trainSet, vocab),
  {
    loss: { kind: 'crossEntropy', ignoreIndex: -1 },
    optimizer: 'adam',
    learningRate,
    clipGradNorm: 1,
    batchSize,
    epochs,
    seed: opts.seed,
    onProgress: bar.onProgress,
  },
);
bar.done();
const trainSeconds = seconds(trainStart);
const lastLosses = history.slice(-20).map((h) => h.loss);
const finalLoss = lastLosses.reduce((a, b) => a + b, 0) / lastLosses.length;
console.log(
  `trained in ${trainSeconds} s; mean loss of the last ${lastLosses.length} steps ${finalLoss.toFixed(4)}`,
);
const saved = saveModel(opts.out, 'numbers-seq2seq', spec, weights, {
  'tessera.seed': String(opts.seed),
  'tessera.vocab': JSON.stringify({ src: vocab.src.symbols, tgt: vocab.tgt.symbols }),
});
console.log(`weights: ${saved.weights} (spec: ${saved.spec})`);

function argmax(x: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (x[offset + k] > x[offset + best]) best = k;
  return best;
}

/** Next-word accuracy with the true previous words fed in (padded batches, with lengths). */
async function teacherForced(model: CompiledModel, set: Pair[], chunk = 250): Promise<number> {
  let right = 0;
  let total = 0;
  for (let at = 0; at < set.length; at += chunk) {
    const b = padPairs(set.slice(at, at + chunk), vocab);
    const { logits } = await model.run(b.inputs);
    const V = logits.shape[2];
    b.targets.data.forEach((want, i) => {
      if (want < 0) return;
      total++;
      if (argmax(logits.data, i * V, V) === want) right++;
    });
  }
  return right / total;
}

/**
 * Greedy decoding in padded batches of sources (`chunk` numbers of every digit count at once):
 * the first step feeds the padded digits, their src_lengths and <s>; every later step the
 * previous choices only (the decoder keeps the memory and its lengths).
 */
async function spellOut(
  model: CompiledModel,
  set: Pair[],
  maxSteps = 10,
  chunk = 250,
): Promise<string[][]> {
  if (model.decoder === undefined) throw new Error('this backend has no decoder');
  const out: string[][] = [];
  for (let at = 0; at < set.length; at += chunk) {
    const rows = set.slice(at, at + chunk);
    const n = rows.length;
    const { src, src_lengths } = padPairs(rows, vocab).inputs;
    const decoder = await model.decoder({ batch: n, maxLength: maxSteps });
    try {
      const ids: number[][] = rows.map(() => []);
      const done = new Array<boolean>(n).fill(false);
      let last = new Int32Array(n).fill(BOS);
      for (let t = 0; t < maxSteps && done.includes(false); t++) {
        const tgt: Tensor = { dtype: 'int32', shape: [n, 1], data: last };
        const { logits } = await decoder.step(t === 0 ? { src, src_lengths, tgt } : { tgt });
        const V = logits.shape[2];
        last = Int32Array.from(rows, (_, r) => argmax(logits.data, r * V, V));
        last.forEach((id, r) => {
          if (done[r]) return;
          if (id === EOS) done[r] = true;
          else ids[r].push(id);
        });
      }
      for (const r of ids) out.push(vocab.tgt.decode(r));
    } finally {
      await decoder.dispose();
    }
  }
  return out;
}

/**
 * Exact-match accuracy, character error rate (Σ edit distance / Σ reference length, over the
 * words written with single spaces) and word error rate (the same over words).
 */
function score(set: Pair[], got: string[][]): { exact: number; cer: number; wer: number } {
  let exact = 0;
  let charEdits = 0;
  let chars = 0;
  let wordEdits = 0;
  let words = 0;
  set.forEach((p, i) => {
    const want = p.words.join(' ');
    const have = got[i].join(' ');
    if (have === want) exact++;
    charEdits += editDistance([...have], [...want]);
    chars += want.length;
    wordEdits += editDistance(got[i], p.words);
    words += p.words.length;
  });
  return { exact: exact / set.length, cer: charEdits / chars, wer: wordEdits / words };
}

console.error('teacher forcing on padded batches (src_lengths, tgt_lengths) on every variant:');
const forced = await onEveryVariant(spec, weights, (model) => teacherForced(model, testSet));
// The decoding spec: the same preset with the source's lengths only (a target decoded one word at
// a time has no padding), over the same weights.
const decodeSpec = seq2seqTransformer({ ...shape, sourceLengths: true });
console.error('greedy decoding of the held-out numbers on every variant:');
const decoded = await onEveryVariant(decodeSpec, weights, (model) => spellOut(model, testSet));
const first = decoded.find((r) => r.value !== undefined);
if (first?.value === undefined)
  throw new Error(
    `no backend could decode: ${decoded.map((r) => `${r.label}: ${r.error}`).join('; ')}`,
  );
const firstText = first.value.map((w) => w.join(' '));

console.log(
  `\n| variant | exact match | CER | WER | decodings equal to ${first.label}'s | next-word accuracy (teacher forcing, lengths) | s |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const byVariant: Record<string, unknown> = {};
for (const [i, r] of decoded.entries()) {
  const f = forced[i];
  const forcedCell = f.value === undefined ? `error: ${f.error}` : `${(100 * f.value).toFixed(2)}%`;
  const teacherForcedValue = f.value ?? { error: f.error };
  if (r.value === undefined) {
    console.log(`| ${r.label} | error: ${r.error} | | | | ${forcedCell} | |`);
    byVariant[r.label] = { error: r.error, teacherForced: teacherForcedValue };
    continue;
  }
  const s = score(testSet, r.value);
  const same = r.value.filter((w, k) => w.join(' ') === firstText[k]).length;
  console.log(
    `| ${r.label} | ${(100 * s.exact).toFixed(2)}% | ${(100 * s.cer).toFixed(2)}% | ${(100 * s.wer).toFixed(2)}% | ${same}/${testSet.length} | ${forcedCell} | ${(r.seconds + f.seconds).toFixed(1)} |`,
  );
  byVariant[r.label] = { ...s, sameAsFirst: same, teacherForced: teacherForcedValue };
}
// The first few held-out numbers, and those decoded wrongly (up to 20).
const rows = testSet.map((p, i) => ({
  digits: p.digits,
  want: p.words.join(' '),
  got: firstText[i],
}));
const wrong = rows.filter((e) => e.got !== e.want);
const line = (e: (typeof rows)[number]) =>
  `  ${e.digits.padStart(4)} → ${e.got}${e.got === e.want ? '' : `  (want: ${e.want})`}`;
console.log(`\nheld-out numbers (${first.label}):`);
for (const e of rows.slice(0, 6)) console.log(line(e));
console.log(`decoded wrongly: ${wrong.length}${wrong.length > 20 ? ' (first 20)' : ''}`);
for (const e of wrong.slice(0, 20)) console.log(line(e));
const report = {
  seed: opts.seed,
  quick: opts.quick,
  train: trainSet.length,
  test: testSet.length,
  epochs,
  parameters: parameterCount(spec),
  trainSeconds: Number(trainSeconds),
  finalLoss,
  byVariant,
  examples: rows.slice(0, 6),
  wrong: wrong.slice(0, 20),
  totalSeconds: Number(seconds(started)),
};
writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreport: ${join(opts.out, 'report.json')}; total ${report.totalSeconds} s`);
