// Bench: gpu.js webasm and cpu against TensorFlow.js on its wasm backend, same presets, same
// weights, one process. Run: pnpm bench (tsx bench/bench.ts [--runs N] [--quick] [--only cnn]).
// The tfjs side is written with plain tf ops here (this package must not import another Tessera
// backend). tfjs is not a dependency of this package (adding it would need a lockfile update), so
// it is resolved from the workspace package that has it, @tessera/backend-tfjs's folder.
import {
  cnnClassifier,
  initWeights,
  type ModelSpec,
  randomInputs,
  type Tensor,
  transformerLM,
  type Weights,
} from '@tessera/spec';
import { createBackend } from '../src/index.js';

type TF = typeof import('@tensorflow/tfjs');
type TfTensor = import('@tensorflow/tfjs').Tensor;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 1 : 3);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';

interface Case {
  label: string;
  spec: ModelSpec;
  bindings: Record<string, number>;
  tf: (tf: TF, w: (name: string) => TfTensor, x: TfTensor) => TfTensor;
}

const lm = { dModel: 256, nhead: 4, numLayers: 4, batch: 8, time: 128, vocab: 64 };
const cnn = { batch: 64 };

function transformerTf(tf: TF, w: (name: string) => TfTensor, tokens: TfTensor): TfTensor {
  const { dModel: e, nhead: h, numLayers, batch: b, time: t } = lm;
  const d = e / h;
  const dense = (x: TfTensor, name: string, bias = true) => {
    const y = tf.matMul(
      x.reshape([-1, x.shape[x.shape.length - 1]]),
      w(`${name}.weight`),
      false,
      true,
    );
    return (bias ? y.add(w(`${name}.bias`)) : y).reshape([...x.shape.slice(0, -1), -1]);
  };
  const norm = (x: TfTensor, name: string) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x
      .sub(mean)
      .div(variance.add(1e-5).sqrt())
      .mul(w(`${name}.weight`))
      .add(w(`${name}.bias`));
  };
  // Causal mask: 0 on and below the diagonal, -inf above (keys after the query).
  const mask = tf.linalg
    .bandPart(tf.ones([t, t]), -1, 0)
    .sub(1)
    .mul(1e30);
  let x = tf
    .gather(w('embed.weight'), tokens.cast('int32'))
    .add(w('pos.weight').slice([0, 0], [t, e]));
  for (let l = 0; l < numLayers; l++) {
    const p = `block${l}`;
    const n1 = norm(x, `${p}.norm1`);
    const qkv = tf
      .matMul(n1.reshape([b * t, e]), w(`${p}.self_attn.in_proj_weight`), false, true)
      .add(w(`${p}.self_attn.in_proj_bias`));
    const heads = (k: number) =>
      qkv
        .slice([0, k * e], [b * t, e])
        .reshape([b, t, h, d])
        .transpose([0, 2, 1, 3]);
    const scores = tf
      .matMul(heads(0), heads(1), false, true)
      .mul(1 / Math.sqrt(d))
      .add(mask);
    const mixed = tf
      .matMul(tf.softmax(scores), heads(2))
      .transpose([0, 2, 1, 3])
      .reshape([b, t, e]);
    x = x.add(dense(mixed, `${p}.self_attn.out_proj`));
    const f = dense(norm(x, `${p}.norm2`), `${p}.linear1`);
    const gelu = f.mul(0.5).mul(tf.erf(f.mul(Math.SQRT1_2)).add(1));
    x = x.add(dense(gelu, `${p}.linear2`));
  }
  return dense(norm(x, 'norm'), 'head', false);
}

function cnnTf(tf: TF, w: (name: string) => TfTensor, image: TfTensor): TfTensor {
  // NCHW → NHWC for tfjs; PyTorch conv weights [out, in, kh, kw] → [kh, kw, in, out].
  const conv = (x: TfTensor, name: string, pad: 'same' | 'valid') =>
    tf
      .conv2d(
        x as import('@tensorflow/tfjs').Tensor4D,
        w(`${name}.weight`).transpose([2, 3, 1, 0]) as import('@tensorflow/tfjs').Tensor4D,
        1,
        pad,
      )
      .add(w(`${name}.bias`));
  let x = image.transpose([0, 2, 3, 1]);
  x = tf.maxPool(
    conv(x, 'conv1', 'same').relu() as import('@tensorflow/tfjs').Tensor4D,
    2,
    2,
    'valid',
  );
  x = tf.maxPool(
    conv(x, 'conv2', 'valid').relu() as import('@tensorflow/tfjs').Tensor4D,
    2,
    2,
    'valid',
  );
  // Back to NCHW before flattening, so fc1's weight columns line up as in PyTorch.
  x = x.transpose([0, 3, 1, 2]).reshape([cnn.batch, -1]);
  const dense = (y: TfTensor, name: string) =>
    tf.matMul(y, w(`${name}.weight`), false, true).add(w(`${name}.bias`));
  return dense(dense(dense(x, 'fc1').relu(), 'fc2').relu(), 'fc3');
}

const cases: Case[] = [
  {
    label: `transformerLM d${lm.dModel} L${lm.numLayers} b${lm.batch} t${lm.time}`,
    spec: transformerLM({
      dModel: lm.dModel,
      nhead: lm.nhead,
      numLayers: lm.numLayers,
      maxLength: lm.time,
      vocabSize: lm.vocab,
    }),
    bindings: { batch: lm.batch, time: lm.time },
    tf: transformerTf,
  },
  {
    label: `cnnClassifier b${cnn.batch}`,
    spec: cnnClassifier(),
    bindings: { batch: cnn.batch },
    tf: cnnTf,
  },
];

async function loadTf(): Promise<TF | string> {
  try {
    const tf = (await import('@tensorflow/tfjs')) as unknown as TF;
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  } catch (e) {
    return `tfjs-backend-wasm could not be loaded: ${(e as Error).message}`;
  }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: builds kernels, plans and wasm modules
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

function maxDiff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

const tf = await loadTf();
console.log(
  `median of ${runs} run(s) after one warm-up; ratio = gpujs time / tfjs-wasm time (target ≤ 2)`,
);
for (const c of cases.filter((k) => k.label.includes(only))) {
  const weights: Weights = initWeights(c.spec, 1);
  const inputs: Record<string, Tensor> = randomInputs(c.spec, c.bindings, 2);
  let tfMs: number | undefined;
  let tfOut: Float32Array | undefined;
  if (typeof tf !== 'string') {
    const tw = new Map(
      [...weights].map(([k, v]) => [k, tf.tensor(v.data as Float32Array, v.shape)]),
    );
    const w = (name: string) =>
      tw.get(name) ??
      (() => {
        throw new Error(`no weight ${name}`);
      })();
    const t = Object.values(inputs)[0];
    const x = tf.tensor(t.data, t.shape, t.dtype);
    const once = async () => {
      const y = tf.tidy(() => c.tf(tf, w, x));
      tfOut = (await y.data()) as Float32Array;
      y.dispose();
    };
    tfMs = await time(once);
  }
  const line = [
    `${c.label}:`,
    tfMs === undefined ? `tfjs-wasm n/a (${tf as string})` : `tfjs-wasm ${tfMs.toFixed(0)} ms`,
  ];
  for (const variant of ['webasm', 'cpu'] as const) {
    const backend = await createBackend({ variant });
    const model = await backend.compile(c.spec, weights);
    let out: Float32Array | undefined;
    const ms = await time(async () => {
      const r = await model.run(inputs);
      out = Object.values(r)[0].data as Float32Array;
    });
    await model.dispose();
    const check =
      tfOut === undefined || out === undefined
        ? ''
        : `, max |Δ| vs tfjs ${maxDiff(out, tfOut).toExponential(1)}`;
    line.push(
      `${variant} ${ms.toFixed(0)} ms${tfMs === undefined ? '' : ` (ratio ${(ms / tfMs).toFixed(1)})`}${check}`,
    );
  }
  console.log(line.join(' | '));
}
