// Spoken digits: espeak-ng voices → log-mel features → speechRecognizer (conv1d, bidirectional
// GRU, per-frame logits) trained with CTC on some voices, tested on voices it never heard, decoded
// greedily (class 0 = blank, word class = digit + 1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTfBackend } from '@tessera/backend-tfjs';
import { type CompiledModel, initWeights, parameterCount, speechRecognizer } from '@tessera/spec';
import { onEveryVariant } from '../shared/backends.ts';
import { exampleOptions, seconds } from '../shared/cli.ts';
import { trainingProgress } from '../shared/progress.ts';
import { saveModel } from '../shared/save.ts';
import { train } from '../shared/train.ts';
import {
  defaultMel,
  ensureEspeak,
  HELD_OUT,
  isHeldOut,
  logMel,
  synthesize,
  synthesizeAll,
  type Utterance,
  utterances,
  WORDS,
} from './data.ts';
import { classification, greedyCtc } from './metrics.ts';

const opts = exampleOptions(new URL('./output', import.meta.url).pathname);
const started = performance.now();
ensureEspeak();
let all = utterances();
if (opts.quick)
  all = all.filter(
    (u) =>
      ['en-us', 'en-gb', 'en-029'].includes(u.accent) &&
      ['m1', 'f1', 'm4'].includes(u.variant) &&
      u.speed === 175 &&
      u.pitch === 65,
  );
// The WAV cache lives beside the outputs of every run (quick or not) so a rerun skips synthesis.
const cache = new URL('./output/wav', import.meta.url).pathname;
await synthesizeAll(all, cache, 4, (done, total) => {
  if (done % 200 === 0 || done === total) console.error(`synthesised ${done}/${total}`);
});
// 50 frames of 440 samples (20 ms at 22.05 kHz) cover a second: every word fits, and the GRU's
// time loop is half as long as with the default 100 × 220 (the training step's main cost).
const mel = { ...defaultMel, hop: 440, frames: 50 };
const featuresOf = (us: Utterance[]) => {
  const out = new Float32Array(us.length * mel.bands * mel.frames);
  us.forEach((u, i) => {
    const { samples, sampleRate } = synthesize(u, cache);
    out.set(logMel(samples, sampleRate, mel), i * mel.bands * mel.frames);
  });
  return out;
};
const trainSet = all.filter((u) => !isHeldOut(u));
const testSet = all.filter(isHeldOut);
const featStart = performance.now();
const trainX = featuresOf(trainSet);
const testX = featuresOf(testSet);
console.log(
  `espeak-ng digits: ${trainSet.length} training utterances, ${testSet.length} from held-out voices (accents ${HELD_OUT.accents.join(', ')}; variants ${HELD_OUT.variants.join(', ')} in every accent); log-mel ${mel.bands}×${mel.frames} in ${seconds(featStart)} s; seed ${opts.seed}${opts.quick ? '; --quick' : ''}`,
);

const classes = WORDS.length + 1; // 0 is the CTC blank
const spec = speechRecognizer({
  numFeatures: mel.bands,
  convChannels: 32,
  kernelSize: 5,
  hiddenSize: 32,
  numClasses: classes,
});
const epochs = opts.quick ? 1 : 8;
const batchSize = 32;
const learningRate = 3e-3;
console.log(
  `model: speechRecognizer (conv1d 5 → relu → bidirectional GRU 32 → linear ${classes}), ${parameterCount(spec)} parameters; CTC loss, Adam lr ${learningRate}, batch ${batchSize}, ${epochs} epochs, clip 5, on tfjs:cpu`,
);
// Training runs on tfjs's cpu variant, as for the figures in the README. (An early wasm run met a
// tfjs-backend-wasm OneHot bug in the CTC loss; backend-tfjs now works around it and tests it.)
await ensureTfBackend('cpu');
const steps = epochs * Math.ceil(trainSet.length / batchSize);
const bar = trainingProgress('train', steps);
const trainStart = performance.now();
const { weights, history } = await train(
  spec,
  initWeights(spec, opts.seed),
  {
    inputs: {
      features: { dtype: 'float32', shape: [trainSet.length, mel.bands, mel.frames], data: trainX },
    },
    targets: {
      dtype: 'int32',
      shape: [trainSet.length, 1],
      data: Int32Array.from(trainSet, (u) => u.word + 1),
    },
  },
  {
    loss: 'ctc',
    optimizer: 'adam',
    learningRate,
    clipGradNorm: 5,
    batchSize,
    epochs,
    seed: opts.seed,
    onProgress: bar.onProgress,
  },
);
bar.done();
const trainSeconds = seconds(trainStart);
const lastLosses = history.slice(-10).map((h) => h.loss);
console.log(
  `trained in ${trainSeconds} s; mean CTC loss of the last ${lastLosses.length} steps ${(lastLosses.reduce((a, b) => a + b, 0) / lastLosses.length).toFixed(4)}`,
);
const saved = saveModel(opts.out, 'speech-ctc', spec, weights, {
  'tessera.seed': String(opts.seed),
  'tessera.features': JSON.stringify(mel),
});
console.log(`weights: ${saved.weights} (spec: ${saved.spec})`);

/** The recognised digit per utterance, or −1 when the decoding is not exactly one word. */
async function recognise(
  model: CompiledModel,
  x: Float32Array,
  n: number,
  chunk = 64,
): Promise<{ digits: Int32Array; decoded: number[][] }> {
  const digits = new Int32Array(n);
  const decoded: number[][] = [];
  const size = mel.bands * mel.frames;
  for (let at = 0; at < n; at += chunk) {
    const m = Math.min(chunk, n - at);
    const { logits } = await model.run({
      features: {
        dtype: 'float32',
        shape: [m, mel.bands, mel.frames],
        data: x.subarray(at * size, (at + m) * size),
      },
    });
    const frames = logits.shape[1];
    for (let i = 0; i < m; i++) {
      const seq = greedyCtc(logits.data, i * frames * classes, frames, classes);
      decoded.push(seq);
      digits[at + i] = seq.length === 1 ? seq[0] - 1 : -1;
    }
  }
  return { digits, decoded };
}

console.error('recognising the held-out voices:');
const results = await onEveryVariant(
  spec,
  weights,
  (model) => recognise(model, testX, testSet.length),
  ['tfjs:cpu', 'ort:node'],
);
const first = results.find((r) => r.value !== undefined);
if (first?.value === undefined)
  throw new Error(
    `no backend could run the model: ${results.map((r) => `${r.label}: ${r.error}`).join('; ')}`,
  );
const truth = Int32Array.from(testSet, (u) => u.word);
const m = classification(truth, first.value.digits, WORDS.length);
const trainM = classification(
  Int32Array.from(trainSet, (u) => u.word),
  (
    await onEveryVariant(spec, weights, (model) => recognise(model, trainX, trainSet.length), [
      first.label,
    ])
  )[0].value!.digits,
  WORDS.length,
);

console.log(
  `\nheld-out voices (${testSet.length} utterances, ${first.label}): accuracy ${(100 * m.accuracy).toFixed(2)}%, macro-F1 ${m.macroF1.toFixed(4)}; ${m.rejected} decoded to no single word`,
);
console.log(
  `training voices: accuracy ${(100 * trainM.accuracy).toFixed(2)}%, macro-F1 ${trainM.macroF1.toFixed(4)}`,
);
console.log('\n| digit | precision | recall | F1 | support |');
console.log('| --- | --- | --- | --- | --- |');
for (const [d, r] of m.perClass.entries()) {
  console.log(
    `| ${d} ${WORDS[d]} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} | ${r.support} |`,
  );
}
for (const r of results.slice(1)) {
  if (r.value === undefined) console.log(`${r.label}: error: ${r.error}`);
  else {
    const same = r.value.digits.reduce((s, d, i) => s + (d === first.value!.digits[i] ? 1 : 0), 0);
    console.log(
      `${r.label}: accuracy ${(100 * classification(truth, r.value.digits, WORDS.length).accuracy).toFixed(2)}%, ${same}/${testSet.length} recognitions equal to ${first.label}'s`,
    );
  }
}
const report = {
  seed: opts.seed,
  quick: opts.quick,
  train: trainSet.length,
  test: testSet.length,
  epochs,
  trainSeconds: Number(trainSeconds),
  heldOut: m,
  training: { accuracy: trainM.accuracy, macroF1: trainM.macroF1 },
  byVariant: Object.fromEntries(
    results.map((r) => [
      r.label,
      r.value === undefined
        ? { error: r.error }
        : classification(truth, r.value.digits, WORDS.length).accuracy,
    ]),
  ),
  totalSeconds: Number(seconds(started)),
};
writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreport: ${join(opts.out, 'report.json')}; total ${report.totalSeconds} s`);
