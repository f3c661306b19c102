// Spoken digits: espeak-ng voices → log-mel features → speechRecognizer (conv1d, bidirectional
// GRU, per-frame logits) trained with CTC on some voices, tested on voices it never heard, decoded
// greedily (class 0 = blank, word class = digit + 1). By default each utterance keeps its own
// number of frames: a batch is padded with zeros past each length, the model reads the lengths
// (packed GRU) and CTC scores each row on its own frames. --padded is the earlier fixed-length
// version (every utterance padded to one second with its quietest value, no lengths), kept so
// that the two can be compared from the same seed.
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
  logMelOwnLength,
  padBatch,
  synthesize,
  synthesizeAll,
  type Utterance,
  utterances,
  WORDS,
} from './data.ts';
import { classification, greedyCtc } from './metrics.ts';

const opts = exampleOptions(new URL('./output', import.meta.url).pathname, undefined, ['padded']);
const padded = opts.flags.padded;
const mode = padded ? 'padded' : 'lengths';
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
/** A set's features [n, bands, frames] and each utterance's frame count (all `mel.frames` when padded). */
const featuresOf = (
  us: Utterance[],
): { data: Float32Array; lengths: Int32Array; frames: number } => {
  if (!padded)
    return padBatch(
      us.map((u) => {
        const { samples, sampleRate } = synthesize(u, cache);
        return logMelOwnLength(samples, sampleRate, mel);
      }),
      mel.bands,
    );
  const out = new Float32Array(us.length * mel.bands * mel.frames);
  us.forEach((u, i) => {
    const { samples, sampleRate } = synthesize(u, cache);
    out.set(logMel(samples, sampleRate, mel), i * mel.bands * mel.frames);
  });
  return { data: out, lengths: new Int32Array(us.length).fill(mel.frames), frames: mel.frames };
};
const trainSet = all.filter((u) => !isHeldOut(u));
const testSet = all.filter(isHeldOut);
const featStart = performance.now();
const trainX = featuresOf(trainSet);
const testX = featuresOf(testSet);
const frameCounts = [...trainX.lengths, ...testX.lengths];
const meanFrames = frameCounts.reduce((a, b) => a + b, 0) / frameCounts.length;
console.log(
  `espeak-ng digits: ${trainSet.length} training utterances, ${testSet.length} from held-out voices (accents ${HELD_OUT.accents.join(', ')}; variants ${HELD_OUT.variants.join(', ')} in every accent); log-mel ${mel.bands} bands, ${padded ? `${mel.frames} frames each (padded)` : `own lengths ${Math.min(...frameCounts)}–${Math.max(...frameCounts)} frames (mean ${meanFrames.toFixed(1)}), batches padded with zeros`} in ${seconds(featStart)} s; seed ${opts.seed}${opts.quick ? '; --quick' : ''}`,
);

const classes = WORDS.length + 1; // 0 is the CTC blank
const spec = speechRecognizer({
  numFeatures: mel.bands,
  convChannels: 32,
  kernelSize: 5,
  hiddenSize: 32,
  numClasses: classes,
  lengths: !padded,
});
const epochs = opts.quick ? 1 : 8;
const batchSize = 32;
const learningRate = 3e-3;
console.log(
  `model: speechRecognizer (conv1d 5 → relu → bidirectional GRU 32 → linear ${classes}), ${parameterCount(spec)} parameters; CTC loss${padded ? ' over every frame' : " over each utterance's own frames"}, Adam lr ${learningRate}, batch ${batchSize}, ${epochs} epochs, clip 5, on tfjs:cpu`,
);
// Training runs on tfjs's cpu variant, as for the figures in the README. (An early wasm run met a
// tfjs-backend-wasm OneHot bug in the CTC loss; backend-tfjs now works around it and tests it.)
await ensureTfBackend('cpu');
const steps = epochs * Math.ceil(trainSet.length / batchSize);
const bar = trainingProgress('train', steps);
const trainStart = performance.now();
const trainData = {
  inputs: {
    features: {
      dtype: 'float32' as const,
      shape: [trainSet.length, mel.bands, trainX.frames],
      data: trainX.data,
    },
    ...(padded
      ? {}
      : { lengths: { dtype: 'int32' as const, shape: [trainSet.length], data: trainX.lengths } }),
  },
  targets: {
    dtype: 'int32' as const,
    shape: [trainSet.length, 1],
    data: Int32Array.from(trainSet, (u) => u.word + 1),
  },
};
const trainOptions = {
  // With lengths, CTC scores each row on its own frames (PyTorch's input_lengths).
  loss: padded ? ('ctc' as const) : ({ kind: 'ctc', inputLengths: 'lengths' } as const),
  optimizer: 'adam' as const,
  learningRate,
  clipGradNorm: 5,
  batchSize,
  epochs,
  seed: opts.seed,
  onProgress: bar.onProgress,
};
const { weights, history } = await train(spec, initWeights(spec, opts.seed), trainData, trainOptions);
bar.done();
const trainSeconds = seconds(trainStart);
const lastLosses = history.slice(-10).map((h) => h.loss);
console.log(
  `trained in ${trainSeconds} s; mean CTC loss of the last ${lastLosses.length} steps ${(lastLosses.reduce((a, b) => a + b, 0) / lastLosses.length).toFixed(4)}`,
);
const saved = saveModel(opts.out, 'speech-ctc', spec, weights, {
  'tessera.seed': String(opts.seed),
  'tessera.features': JSON.stringify({ ...mel, mode }),
});
console.log(`weights: ${saved.weights} (spec: ${saved.spec})`);

/** The recognised digit per utterance, or −1 when the decoding is not exactly one word. */
async function recognise(
  model: CompiledModel,
  x: ReturnType<typeof featuresOf>,
  chunk = 64,
): Promise<{ digits: Int32Array; decoded: number[][] }> {
  const n = x.lengths.length;
  const digits = new Int32Array(n);
  const decoded: number[][] = [];
  const size = mel.bands * x.frames;
  for (let at = 0; at < n; at += chunk) {
    const m = Math.min(chunk, n - at);
    const lengths = x.lengths.subarray(at, at + m);
    const { logits } = await model.run({
      features: {
        dtype: 'float32',
        shape: [m, mel.bands, x.frames],
        data: x.data.subarray(at * size, (at + m) * size),
      },
      ...(padded ? {} : { lengths: { dtype: 'int32', shape: [m], data: lengths } }),
    });
    const frames = logits.shape[1];
    for (let i = 0; i < m; i++) {
      // Only the utterance's own frames are decoded (past them the GRU's output is 0).
      const seq = greedyCtc(logits.data, i * frames * classes, lengths[i], classes);
      decoded.push(seq);
      digits[at + i] = seq.length === 1 ? seq[0] - 1 : -1;
    }
  }
  return { digits, decoded };
}

console.error('recognising the held-out voices:');
const results = await onEveryVariant(spec, weights, (model) => recognise(model, testX), [
  'tfjs:cpu',
  'ort:node',
  'reference:f64',
]);
// tfjs:cpu (where it trained) is the one scored; the others are read beside it.
const first =
  results.find((r) => r.label === 'tfjs:cpu' && r.value !== undefined) ??
  results.find((r) => r.value !== undefined);
if (first?.value === undefined)
  throw new Error(
    `no backend could run the model: ${results.map((r) => `${r.label}: ${r.error}`).join('; ')}`,
  );
const truth = Int32Array.from(testSet, (u) => u.word);
const m = classification(truth, first.value.digits, WORDS.length);
const trainM = classification(
  Int32Array.from(trainSet, (u) => u.word),
  (await onEveryVariant(spec, weights, (model) => recognise(model, trainX), [first.label]))[0]
    .value!.digits,
  WORDS.length,
);

console.log(
  `\n${mode}: held-out voices (${testSet.length} utterances, ${first.label}): accuracy ${(100 * m.accuracy).toFixed(2)}%, macro-F1 ${m.macroF1.toFixed(4)}; ${m.rejected} decoded to no single word`,
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
for (const r of results.filter((x) => x !== first)) {
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
  mode,
  frames: { min: Math.min(...frameCounts), max: Math.max(...frameCounts), mean: meanFrames },
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
