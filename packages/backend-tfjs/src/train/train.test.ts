import * as tf from '@tensorflow/tfjs';
import { compileReference } from '@tessera/backend-reference';
import {
  charRnnLM,
  checkWeights,
  InputError,
  initWeights,
  parseSpec,
  Rng,
  readSafetensors,
  speechRecognizer,
  tensor,
  transformerLM,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { clusters, mlp, randomFloats } from './fixtures.js';
import { evaluateLoss, train } from './train.js';

function copy(w: Weights): Weights {
  return new Map([...w].map(([k, t]) => [k, { ...t, shape: [...t.shape], data: t.data.slice() }]));
}

function bitsEqual(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

describe('train', () => {
  const spec = mlp();
  const data = clusters(48, 3, 1);

  it('drives a separable toy set to near-zero loss, returning fresh checked weights', async () => {
    const weights = initWeights(spec, 3);
    const before = copy(weights);
    const start = await evaluateLoss(spec, weights, data, { loss: 'crossEntropy' });
    const result = await train(spec, weights, data, {
      loss: 'crossEntropy',
      optimizer: 'adam',
      learningRate: 0.05,
      epochs: 40,
      batchSize: 16,
      seed: 1,
    });
    const end = await evaluateLoss(spec, result.weights, data, { loss: 'crossEntropy' });
    expect(start).toBeGreaterThan(0.5);
    expect(end).toBeLessThan(0.02);
    expect(result.history).toHaveLength(40 * 3);
    expect(result.history.at(-1)).toMatchObject({ step: 120, epoch: 40 });
    checkWeights(spec, result.weights);
    expect([...result.weights.keys()]).toEqual([...weights.keys()]);
    for (const [name, t] of weights) {
      expect(bitsEqual(t.data, before.get(name)!.data)).toBe(true); // input untouched
      expect(result.weights.get(name)!.data).not.toBe(t.data);
    }
    // The trained weights run as they are on the float64 reference and survive a safetensors round trip;
    // the reference's accuracy on the toy set is 100%.
    const saved = readSafetensors(writeSafetensors(result.weights)).tensors;
    checkWeights(spec, saved);
    const logits = compileReference(spec, saved).runFloat64(data.inputs).logits;
    const predicted = Array.from({ length: 48 }, (_, i) => {
      const row = Array.from(logits.data.subarray(3 * i, 3 * i + 3));
      return row.indexOf(Math.max(...row));
    });
    expect(predicted).toEqual(Array.from(data.targets.data));
  });

  it('holds no tensor across steps and leaves none behind', async () => {
    const weights = initWeights(spec, 4);
    const baseline = tf.memory().numTensors;
    const counts: number[] = [];
    await train(spec, weights, data, {
      loss: 'crossEntropy',
      optimizer: 'adam',
      clipGradNorm: 1,
      epochs: 2,
      batchSize: 8,
      onProgress: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(counts).toHaveLength(12);
    // After step 1 the optimiser's moments exist; from then on the count must not move.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('leaves frozen nodes bit-identical and trains the rest', async () => {
    const weights = initWeights(spec, 5);
    const result = await train(spec, weights, data, {
      loss: 'crossEntropy',
      optimizer: 'sgd',
      momentum: 0.9,
      learningRate: 0.1,
      weightDecay: 0.01,
      freeze: ['l1'],
      batchSize: 16,
    });
    for (const name of ['l1.weight', 'l1.bias'])
      expect(bitsEqual(result.weights.get(name)!.data, weights.get(name)!.data)).toBe(true);
    for (const name of ['l2.weight', 'l2.bias'])
      expect(bitsEqual(result.weights.get(name)!.data, weights.get(name)!.data)).toBe(false);
  });

  it('never updates batchNorm running statistics (buffers, not parameters)', async () => {
    const bn = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['batch', 2] } },
      outputs: { logits: 'head' },
      nodes: [
        { id: 'l1', op: 'linear', inFeatures: 2, outFeatures: 4 },
        { id: 'bn', op: 'batchNorm', numFeatures: 4 },
        { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 3 },
      ],
    });
    const weights = initWeights(bn, 1, { randomizeConstants: true });
    const result = await train(bn, weights, data, {
      loss: 'crossEntropy',
      learningRate: 0.05,
      batchSize: 16,
    });
    for (const name of ['bn.running_mean', 'bn.running_var'])
      expect(bitsEqual(result.weights.get(name)!.data, weights.get(name)!.data)).toBe(true);
    for (const name of ['bn.weight', 'bn.bias', 'l1.weight'])
      expect(bitsEqual(result.weights.get(name)!.data, weights.get(name)!.data)).toBe(false);
  });

  it('is reproducible: the same seed gives the same bytes, another seed another order', async () => {
    const weights = initWeights(spec, 6);
    const options = {
      loss: 'crossEntropy',
      optimizer: 'sgd',
      learningRate: 0.1,
      batchSize: 8,
      epochs: 2,
    } as const;
    const a = await train(spec, weights, data, { ...options, seed: 7 });
    const b = await train(spec, weights, data, { ...options, seed: 7 });
    const c = await train(spec, weights, data, { ...options, seed: 8 });
    for (const name of weights.keys())
      expect(bitsEqual(a.weights.get(name)!.data, b.weights.get(name)!.data)).toBe(true);
    expect(a.history).toEqual(b.history);
    expect(
      [...weights.keys()].some(
        (name) => !bitsEqual(a.weights.get(name)!.data, c.weights.get(name)!.data),
      ),
    ).toBe(true);
  });

  it('refuses bad data, options and freeze ids before the first step', async () => {
    const weights = initWeights(spec, 1);
    let steps = 0;
    const onProgress = () => {
      steps++;
    };
    const bad = {
      ...data,
      targets: tensor(
        'int32',
        [48],
        data.targets.data.map((v, i) => (i === 30 ? 3 : v)),
      ),
    };
    await expect(train(spec, weights, bad, { loss: 'crossEntropy', onProgress })).rejects.toThrow(
      /targets: target id 3 at flat index 30 is out of range \[0, 3\)/,
    );
    await expect(
      train(spec, weights, bad, { loss: 'crossEntropy', onProgress }),
    ).rejects.toBeInstanceOf(InputError);
    const wide = { inputs: { x: tensor('float32', [48, 3]) }, targets: data.targets };
    await expect(train(spec, weights, wide, { loss: 'crossEntropy', onProgress })).rejects.toThrow(
      /x: dim 1 is 3, expected 2/,
    );
    const short = { inputs: data.inputs, targets: tensor('int32', [47]) };
    await expect(train(spec, weights, short, { loss: 'crossEntropy', onProgress })).rejects.toThrow(
      /targets has 47 examples \(dim 0\) but x has 48/,
    );
    await expect(
      train(spec, weights, data, { loss: 'crossEntropy', freeze: ['l1', 'nope'], onProgress }),
    ).rejects.toThrow(
      /options.freeze names "nope", not node ids of this spec \(nodes with weights: l1, l2\)/,
    );
    await expect(
      train(spec, weights, data, { loss: 'crossEntropy', freeze: ['l1', 'l2'], onProgress }),
    ).rejects.toThrow(/every weight is frozen/);
    await expect(train(spec, weights, data, { loss: 'mse', onProgress })).rejects.toThrow(
      /mse targets must be float32/,
    );
    await expect(
      train(spec, weights, data, { loss: 'crossEntropy', batchSize: 0, onProgress }),
    ).rejects.toThrow(/options.batchSize must be a positive integer/);
    await expect(
      train(spec, weights, data, { loss: 'crossEntropy', output: 'probs', onProgress }),
    ).rejects.toThrow(/options.output "probs" is not an output/);
    const noBias = new Map(weights);
    noBias.delete('l2.bias');
    await expect(train(spec, noBias, data, { loss: 'crossEntropy', onProgress })).rejects.toThrow(
      /l2.bias: is missing/,
    );
    expect(steps).toBe(0);
  });

  it('takes a stream of batches, checks each, and stops on abort with the weights so far', async () => {
    const weights = initWeights(spec, 2);
    const batches = [0, 1, 2].map((k) => clusters(8, 3, 10 + k));
    const seen: number[] = [];
    const run = await train(spec, weights, batches, {
      loss: 'crossEntropy',
      epochs: 2,
      onProgress: (p) => void seen.push(p.step),
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.aborted).toBe(false);

    function* once() {
      yield* batches;
    }
    await expect(train(spec, weights, once(), { loss: 'crossEntropy', epochs: 2 })).rejects.toThrow(
      /epoch 2 had no batches/,
    );

    const bad = [
      batches[0],
      { ...batches[1], targets: tensor('int32', [8], new Array(8).fill(9)) },
    ];
    await expect(train(spec, weights, bad, { loss: 'crossEntropy' })).rejects.toThrow(
      /batch 1 targets: target id 9/,
    );

    const controller = new AbortController();
    const stopped = await train(spec, weights, data, {
      loss: 'crossEntropy',
      batchSize: 4,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 3) controller.abort();
        expect(p.examplesPerSecond).toBeGreaterThan(0);
      },
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.history.map((h) => h.step)).toEqual([1, 2, 3]);
    checkWeights(spec, stopped.weights);
  });

  it('trains a language model on next-token ids with an ignored padding id', async () => {
    const lm = charRnnLM({ vocabSize: 6, embeddingDim: 4, hiddenSize: 8, cell: 'gru' });
    const weights = initWeights(lm, 1);
    // A fixed cyclic sequence 1 2 3 4 5 1 2 ...: the next id is a function of the current one.
    const tokens = tensor(
      'int32',
      [4, 6],
      Array.from({ length: 24 }, (_, i) => 1 + ((i + Math.floor(i / 6)) % 5)),
    );
    const next = tensor(
      'int32',
      [4, 6],
      Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? -100 : tokens.data[i + 1])),
    );
    const lmData = { inputs: { tokens }, targets: next };
    const loss = { kind: 'crossEntropy', ignoreIndex: -100 } as const;
    const start = await evaluateLoss(lm, weights, lmData, { loss });
    // Batches of one row hold 5 scored tokens, or 2 in row 0 below: the mean must still weigh
    // every token alike, as one batch of 4 rows does (a mean of row means would not).
    const uneven = {
      inputs: { tokens },
      targets: tensor(
        'int32',
        [4, 6],
        next.data.map((v, i) => (i >= 2 && i < 6 ? -100 : v)),
      ),
    };
    const whole = await evaluateLoss(lm, weights, uneven, { loss, batchSize: 4 });
    expect(await evaluateLoss(lm, weights, uneven, { loss, batchSize: 1 })).toBeCloseTo(whole, 5);
    const result = await train(lm, weights, lmData, {
      loss,
      optimizer: 'adam',
      learningRate: 0.05,
      epochs: 30,
      batchSize: 4,
    });
    expect(await evaluateLoss(lm, result.weights, lmData, { loss })).toBeLessThan(start / 4);
  });

  it('trains a causal transformer LM, its attention lowered to primitives', async () => {
    // transformerEncoderLayer and multiHeadAttention both run as their decompositions: the
    // gradient must reach the PyTorch-named packed in_proj_weight through the in_proj sub-node.
    const lm = transformerLM({
      vocabSize: 6,
      dModel: 8,
      nhead: 2,
      numLayers: 1,
      dimFeedforward: 16,
      maxLength: 6,
    });
    const weights = initWeights(lm, 2);
    const tokens = tensor(
      'int32',
      [4, 6],
      Array.from({ length: 24 }, (_, i) => 1 + ((i + Math.floor(i / 6)) % 5)),
    );
    const next = tensor(
      'int32',
      [4, 6],
      Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? -100 : tokens.data[i + 1])),
    );
    const lmData = { inputs: { tokens }, targets: next };
    const loss = { kind: 'crossEntropy', ignoreIndex: -100 } as const;
    const start = await evaluateLoss(lm, weights, lmData, { loss });
    const result = await train(lm, weights, lmData, {
      loss,
      optimizer: 'adam',
      learningRate: 0.02,
      epochs: 30,
      batchSize: 4,
    });
    expect(await evaluateLoss(lm, result.weights, lmData, { loss })).toBeLessThan(start / 4);
    const inProj = [...result.weights.keys()].filter((k) => k.endsWith('self_attn.in_proj_weight'));
    expect(inProj).toHaveLength(1);
    expect(bitsEqual(result.weights.get(inProj[0])!.data, weights.get(inProj[0])!.data)).toBe(
      false,
    );
  });

  it('trains the speech preset with CTC', async () => {
    const speech = speechRecognizer({
      numFeatures: 4,
      convChannels: 4,
      kernelSize: 3,
      hiddenSize: 4,
      numClasses: 4,
    });
    const weights = initWeights(speech, 1);
    const rng = new Rng(9);
    const features = randomFloats(rng, [4, 4, 8]);
    const targets = tensor('int32', [4, 3], [1, 2, 3, 2, 2, -1, 3, -1, -1, 1, 1, 1]);
    const speechData = { inputs: { features }, targets };
    const start = await evaluateLoss(speech, weights, speechData, { loss: 'ctc' });
    const result = await train(speech, weights, speechData, {
      loss: 'ctc',
      optimizer: 'adam',
      learningRate: 0.05,
      epochs: 30,
      batchSize: 4,
    });
    expect(await evaluateLoss(speech, result.weights, speechData, { loss: 'ctc' })).toBeLessThan(
      start / 2,
    );
    checkWeights(speech, result.weights);
    const tooShort = {
      inputs: { features: randomFloats(rng, [1, 4, 2]) },
      targets: tensor('int32', [1, 3], [1, 2, 3]),
    };
    await expect(train(speech, weights, tooShort, { loss: 'ctc' })).rejects.toThrow(
      /need at least 3 frames, the output has 2/,
    );
  });
});

describe('ctc with input lengths (a padded batch of utterances)', () => {
  it("scores each row on its own frames: the padded batch's loss is the mean of the rows' alone", async () => {
    const spec = speechRecognizer({
      numFeatures: 4,
      convChannels: 3,
      kernelSize: 3,
      hiddenSize: 3,
      numClasses: 5,
      lengths: true,
    });
    const weights = initWeights(spec, 2);
    const [frames, lengths] = [7, [7, 4]];
    const rng = new Rng(5);
    const data = Array.from({ length: 2 * 4 * frames }, () => rng.range(-1, 1));
    // Padding past a length is zeros, as a padded batch of features is.
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 4; k++)
        for (let t = lengths[b]; t < frames; t++) data[(b * 4 + k) * frames + t] = 0;
    const labels = tensor('int32', [2, 2], [1, 2, 3, -1]);
    const batch = {
      inputs: {
        features: tensor('float32', [2, 4, frames], data),
        lengths: tensor('int32', [2], lengths),
      },
      targets: labels,
    };
    const padded = await evaluateLoss(spec, weights, batch, {
      loss: { kind: 'ctc', inputLengths: 'lengths' },
    });
    const alone = await Promise.all(
      [0, 1].map((b) => {
        const n = lengths[b];
        const row: number[] = [];
        for (let k = 0; k < 4; k++)
          for (let t = 0; t < n; t++) row.push(data[(b * 4 + k) * frames + t]);
        return evaluateLoss(
          spec,
          weights,
          {
            inputs: {
              features: tensor('float32', [1, 4, n], row),
              lengths: tensor('int32', [1], [n]),
            },
            targets: tensor('int32', [1, 2], b === 0 ? [1, 2] : [3, -1]),
          },
          { loss: 'ctc' },
        );
      }),
    );
    expect(padded).toBeCloseTo((alone[0] + alone[1]) / 2, 5);
    // Without input lengths the padded frames count, and the loss differs.
    const everyFrame = await evaluateLoss(spec, weights, batch, { loss: 'ctc' });
    expect(Math.abs(everyFrame - padded)).toBeGreaterThan(1e-3);
  });

  it('an inputLengths naming no input is an InputError', async () => {
    const spec = speechRecognizer({
      numFeatures: 2,
      convChannels: 2,
      kernelSize: 1,
      hiddenSize: 2,
      numClasses: 3,
    });
    await expect(
      evaluateLoss(
        spec,
        initWeights(spec, 1),
        {
          inputs: { features: tensor('float32', [1, 2, 3]) },
          targets: tensor('int32', [1, 1], [1]),
        },
        { loss: { kind: 'ctc', inputLengths: 'frames' } },
      ),
    ).rejects.toThrow(/reads its input lengths from the model input "frames"/);
  });
});
