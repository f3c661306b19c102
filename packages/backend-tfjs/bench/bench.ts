// Tessera's compiled models against the same architectures hand-written with tf.layers, identical
// weights, on tfjs's wasm and cpu backends, side by side:
//   pnpm bench [-- --variants wasm,cpu --only transformer,lstm,cnn --iterations 20 --budget 30]
// Each config checks that both produce the same outputs, then times whole runs (upload, forward,
// download) interleaving the two implementations so that load from other processes hits both
// alike, and prints median and p90 latency and the ratio Tessera / tf.layers (target ≤ 1.1).
import * as tf from '@tensorflow/tfjs';
import {
  cnnClassifier,
  initWeights,
  type ModelSpec,
  randomInputs,
  rnnClassifier,
  type Tensor,
  transformerLM,
  type Weights,
} from '@tessera/spec';
import { createBackend, ensureTfBackend, type TfVariant } from '../src/index.js';
import { kerasCnnClassifier, kerasLstmClassifier, kerasTransformerLM } from './keras-models.js';

interface Config {
  key: string;
  label: string;
  spec: ModelSpec;
  bindings: Record<string, number>;
  keras(weights: Weights): tf.LayersModel;
  /** The Keras model's input: the same values in its layout. */
  kerasInput(inputs: Record<string, Tensor>): {
    data: Float32Array | Int32Array;
    shape: number[];
    dtype: 'float32' | 'int32';
  };
}

const transformer = {
  vocabSize: 64,
  dModel: 256,
  nhead: 4,
  numLayers: 4,
  dimFeedforward: 1024,
  maxLength: 128,
  time: 128,
};
const lstm = { inputSize: 32, hiddenSize: 256, numLayers: 2, numClasses: 4, time: 100 };

const configs: Config[] = [
  {
    key: 'transformer',
    label: 'transformerLM d256 ×4, batch 8, time 128',
    spec: transformerLM({ ...transformer, positional: 'learned', activation: 'gelu' }),
    bindings: { batch: 8, time: transformer.time },
    keras: (w) => kerasTransformerLM(transformer, w),
    kerasInput: ({ tokens }) => ({ data: tokens.data, shape: tokens.shape, dtype: 'int32' }),
  },
  {
    key: 'lstm',
    label: 'LSTM 2×256, batch 16, time 100',
    spec: rnnClassifier({ cell: 'lstm', ...lstm }),
    bindings: { batch: 16, time: lstm.time },
    keras: (w) => kerasLstmClassifier(lstm, w),
    kerasInput: ({ x }) => ({ data: x.data, shape: x.shape, dtype: 'float32' }),
  },
  {
    key: 'cnn',
    label: 'cnnClassifier, batch 64, 1×28×28',
    spec: cnnClassifier(),
    bindings: { batch: 64 },
    keras: (w) => kerasCnnClassifier(w),
    // NCHW → NHWC: with one channel the bytes are the same, only the shape differs.
    kerasInput: ({ image }) => ({
      data: image.data,
      shape: [image.shape[0], 28, 28, 1],
      dtype: 'float32',
    }),
  },
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const variants = arg('variants', 'wasm,cpu').split(',') as TfVariant[];
const only = arg('only', configs.map((c) => c.key).join(',')).split(',');
const maxIterations = Number(arg('iterations', '20'));
const budgetMs = Number(arg('budget', '30')) * 1000;

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

interface Row {
  variant: string;
  model: string;
  tessera: number[];
  keras: number[];
  maxDiff: number;
}

async function benchOne(variant: TfVariant, c: Config): Promise<Row> {
  const weights = initWeights(c.spec, 1);
  const inputs = randomInputs(c.spec, c.bindings, 2);
  const model = await (await createBackend({ variant })).compile(c.spec, weights);
  await ensureTfBackend(variant);
  const keras = c.keras(weights);
  const kin = c.kerasInput(inputs);
  const runKeras = async (): Promise<Float32Array> => {
    await ensureTfBackend(variant);
    const y = tf.tidy(
      () =>
        keras.predict(tf.tensor(kin.data, kin.shape, kin.dtype), {
          batchSize: kin.shape[0],
        }) as tf.Tensor,
    );
    const data = (await y.data()) as Float32Array;
    y.dispose();
    return data;
  };
  const runTessera = async () => Object.values(await model.run(inputs))[0].data as Float32Array;

  // Same weights, same inputs: the two must agree before their speed means anything.
  const [a, b] = [await runTessera(), await runKeras()];
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  if (a.length !== b.length || !(maxDiff < 1e-3))
    throw new Error(`${c.label} on ${variant}: outputs differ (max |diff| ${maxDiff})`);
  await runTessera();
  await runKeras();

  const tessera: number[] = [];
  const kerasTimes: number[] = [];
  const start = performance.now();
  while (
    tessera.length < maxIterations &&
    (tessera.length < 5 || performance.now() - start < budgetMs)
  ) {
    for (const [times, run] of [
      [tessera, runTessera],
      [kerasTimes, runKeras],
    ] as const) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
  }
  await model.dispose();
  keras.dispose();
  return { variant, model: c.label, tessera, keras: kerasTimes, maxDiff };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(7);

async function main(): Promise<void> {
  console.log(
    `tfjs ${tf.version.tfjs}; up to ${maxIterations} timed runs per model (min 5, ${budgetMs / 1000} s budget)\n`,
  );
  const header = `${'variant'.padEnd(8)}${'model'.padEnd(44)}${'tessera ms (median / p90)'.padStart(27)}${'tf.layers ms (median / p90)'.padStart(29)}${'ratio'.padStart(8)}${'max|Δ|'.padStart(10)}  n`;
  const rows: string[] = [];
  for (const c of configs.filter((x) => only.includes(x.key))) {
    for (const variant of variants) {
      const r = await benchOne(variant, c);
      const t = [...r.tessera].sort((p, q) => p - q);
      const k = [...r.keras].sort((p, q) => p - q);
      const ratio = quantile(t, 0.5) / quantile(k, 0.5);
      const line = `${variant.padEnd(8)}${r.model.padEnd(44)}${fmt(quantile(t, 0.5))} / ${fmt(quantile(t, 0.9))}          ${fmt(quantile(k, 0.5))} / ${fmt(quantile(k, 0.9))}    ${ratio.toFixed(2).padStart(6)}${r.maxDiff.toExponential(1).padStart(10)}  ${t.length}${ratio > 1.1 ? '  (over 1.1)' : ''}`;
      rows.push(line);
      console.log(line);
    }
  }
  console.log(`\n${header}\n${rows.join('\n')}`);
}

await main();
