// Gradients from tfjs against central differences of a float64 loss: the outputs come from
// @tessera/backend-reference (float64), the loss formulas are written out here in float64.
import { compileReference } from '@tessera/backend-reference';
import {
  cnnClassifier,
  initWeights,
  type ModelSpec,
  parseSpec,
  Rng,
  rnnClassifier,
  speechRecognizer,
  type Tensor,
  tensor,
  transformerLM,
  type Weights,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import type { Batch } from './data.js';
import { mlp, randomFloats, randomInts } from './fixtures.js';
import type { LossSpec } from './losses.js';
import { computeGradients } from './train.js';

type F64 = { shape: number[]; data: Float64Array };

/** Mean over rows of logsumexp(row) − row[id], rows being the last axis; ids equal to `ignore` skipped. */
function crossEntropy64(logits: F64, ids: Int32Array, ignore?: number): number {
  const c = logits.shape.at(-1)!;
  let sum = 0;
  let count = 0;
  ids.forEach((k, r) => {
    if (k === ignore) return;
    const row = Array.from(logits.data.subarray(r * c, (r + 1) * c));
    const m = Math.max(...row);
    sum += m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0)) - row[k];
    count++;
  });
  return sum / count;
}

function mse64(y: F64, t: Float32Array): number {
  return y.data.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / y.data.length;
}

/** −log Σ_paths Π_t softmax(y_t)[path_t] over every path collapsing to `labels`, by enumeration; batch mean of nll/len. */
function ctc64(logits: F64, targets: Int32Array): number {
  const [batch, frames, classes] = logits.shape;
  const width = targets.length / batch;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    const labels = Array.from(targets.subarray(b * width, (b + 1) * width)).filter((x) => x !== -1);
    const logp: number[][] = [];
    for (let t = 0; t < frames; t++) {
      const row = Array.from(
        logits.data.subarray((b * frames + t) * classes, (b * frames + t + 1) * classes),
      );
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
      logp.push(row.map((x) => x - lse));
    }
    let p = 0;
    for (let code = 0; code < classes ** frames; code++) {
      const path = Array.from(
        { length: frames },
        (_, t) => Math.floor(code / classes ** t) % classes,
      );
      const collapsed = path.filter((c, t) => c !== 0 && (t === 0 || path[t - 1] !== c));
      if (collapsed.length === labels.length && collapsed.every((x, i) => x === labels[i])) {
        p += Math.exp(path.reduce((s, c, t) => s + logp[t][c], 0));
      }
    }
    total += -Math.log(p) / Math.max(labels.length, 1);
  }
  return total / batch;
}

/**
 * Checks every weight element's tfjs gradient against (L(w + h) − L(w − h)) / (w⁺ − w⁻), with w±
 * rounded to float32 as the weights are stored, and L from the float64 reference outputs.
 */
async function checkGradients(
  spec: ModelSpec,
  weights: Weights,
  batch: Batch,
  loss: LossSpec,
  loss64: (out: F64) => number,
): Promise<void> {
  const { loss: got, gradients } = await computeGradients(spec, weights, batch, { loss });
  const lossAt = (w: Weights) =>
    loss64(compileReference(spec, w).runFloat64(batch.inputs).logits as F64);
  expect(got).toBeCloseTo(lossAt(weights), 4);
  const h = 1e-3;
  let largest = 0;
  for (const [name, t] of weights) {
    const g = gradients.get(name)!;
    for (let i = 0; i < t.data.length; i++) {
      const plus = new Map(weights);
      const minus = new Map(weights);
      const up = { ...t, data: t.data.slice() } as Tensor;
      const down = { ...t, data: t.data.slice() } as Tensor;
      up.data[i] += h;
      down.data[i] -= h;
      plus.set(name, up);
      minus.set(name, down);
      const fd = (lossAt(plus) - lossAt(minus)) / (up.data[i] - down.data[i]);
      largest = Math.max(largest, Math.abs(fd));
      const err = Math.abs(g.data[i] - fd);
      if (err > 5e-5 + 2e-3 * Math.abs(fd))
        expect.fail(`${name}[${i}]: tfjs gradient ${g.data[i]}, central difference ${fd}`);
    }
  }
  expect(largest).toBeGreaterThan(1e-2); // the check compared something
}

describe('gradients against central differences of the float64 reference', () => {
  it('linear + tanh + linear, cross-entropy over class ids', async () => {
    const spec = mlp(3, 4, 3);
    const rng = new Rng(1);
    const batch = {
      inputs: { x: randomFloats(rng, [5, 3], 2) },
      targets: randomInts(rng, [5], 0, 3),
    };
    await checkGradients(spec, initWeights(spec, 1), batch, 'crossEntropy', (y) =>
      crossEntropy64(y, batch.targets.data as Int32Array),
    );
  });

  it('linear + tanh + linear, mean squared error', async () => {
    const spec = mlp(3, 4, 2);
    const rng = new Rng(2);
    const batch = {
      inputs: { x: randomFloats(rng, [4, 3], 2) },
      targets: randomFloats(rng, [4, 2]),
    };
    await checkGradients(spec, initWeights(spec, 2), batch, 'mse', (y) =>
      mse64(y, batch.targets.data as Float32Array),
    );
  });

  it('a tiny LSTM classifier, cross-entropy', async () => {
    const spec = rnnClassifier({ cell: 'lstm', inputSize: 2, hiddenSize: 3, numClasses: 3 });
    const rng = new Rng(3);
    const batch = {
      inputs: { x: randomFloats(rng, [3, 4, 2], 1.5) },
      targets: randomInts(rng, [3], 0, 3),
    };
    await checkGradients(
      spec,
      initWeights(spec, 3, { randomizeConstants: true }),
      batch,
      'crossEntropy',
      (y) => crossEntropy64(y, batch.targets.data as Int32Array),
    );
  });

  it('packed sequences: a bidirectional GRU classifier reading h_n, lengths [4, 1, 3]', async () => {
    const spec = rnnClassifier({
      cell: 'gru',
      inputSize: 2,
      hiddenSize: 2,
      bidirectional: true,
      numClasses: 3,
      lengths: true,
    });
    const rng = new Rng(7);
    const batch = {
      inputs: { x: randomFloats(rng, [3, 4, 2], 1.5), lengths: tensor('int32', [3], [4, 1, 3]) },
      targets: randomInts(rng, [3], 0, 3),
    };
    await checkGradients(
      spec,
      initWeights(spec, 7, { randomizeConstants: true }),
      batch,
      'crossEntropy',
      (y) => crossEntropy64(y, batch.targets.data as Int32Array),
    );
  });

  it('packed sequences: a 2-layer LSTM, its masked mean over time and a linear head', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      name: 'packed-lstm-mean',
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 'time', 2] },
        len: { dtype: 'int32', shape: ['batch'] },
      },
      outputs: { logits: 'head' },
      nodes: [
        {
          id: 'rnn',
          op: 'lstm',
          input: 'x',
          inputSize: 2,
          hiddenSize: 2,
          numLayers: 2,
          lengths: 'len',
        },
        { id: 'avg', op: 'mean', dim: 1, lengths: 'len' },
        { id: 'head', op: 'linear', inFeatures: 2, outFeatures: 3 },
      ],
    });
    const rng = new Rng(8);
    const batch = {
      inputs: { x: randomFloats(rng, [3, 4, 2], 1.5), len: tensor('int32', [3], [2, 4, 1]) },
      targets: randomInts(rng, [3], 0, 3),
    };
    await checkGradients(
      spec,
      initWeights(spec, 8, { randomizeConstants: true }),
      batch,
      'crossEntropy',
      (y) => crossEntropy64(y, batch.targets.data as Int32Array),
    );
  });

  it('a one-layer causal transformer LM, next-token cross-entropy with an ignored id', async () => {
    const spec = transformerLM({
      vocabSize: 5,
      dModel: 4,
      nhead: 2,
      numLayers: 1,
      dimFeedforward: 8,
      maxLength: 4,
    });
    const rng = new Rng(5);
    const targets = tensor('int32', [2, 3], [1, 4, -100, 0, 2, 3]);
    const batch = { inputs: { tokens: randomInts(rng, [2, 3], 0, 5) }, targets };
    const loss = { kind: 'crossEntropy', ignoreIndex: -100 } as const;
    await checkGradients(
      spec,
      initWeights(spec, 5, { randomizeConstants: true }),
      batch,
      loss,
      (y) => crossEntropy64(y, targets.data as Int32Array, -100),
    );
  });

  it('a LeNet-style CNN (conv2d, relu, maxPool2d, flatten), cross-entropy', async () => {
    const spec = cnnClassifier({
      height: 12,
      width: 12,
      channels: [2, 2],
      hidden: [4, 4],
      numClasses: 3,
    });
    const rng = new Rng(6);
    const batch = {
      inputs: { image: randomFloats(rng, [2, 1, 12, 12], 2) },
      targets: randomInts(rng, [2], 0, 3),
    };
    await checkGradients(spec, initWeights(spec, 6), batch, 'crossEntropy', (y) =>
      crossEntropy64(y, batch.targets.data as Int32Array),
    );
  });

  it('the speech preset (conv1d, bidirectional GRU), CTC', async () => {
    const spec = speechRecognizer({
      numFeatures: 2,
      convChannels: 2,
      kernelSize: 3,
      hiddenSize: 2,
      numClasses: 3,
    });
    const rng = new Rng(4);
    const targets = tensor('int32', [2, 2], [1, 2, 2, -1]);
    const batch = { inputs: { features: randomFloats(rng, [2, 2, 4], 1.5) }, targets };
    await checkGradients(spec, initWeights(spec, 4), batch, 'ctc', (y) =>
      ctc64(y, targets.data as Int32Array),
    );
  });
});
