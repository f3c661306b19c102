// The training loop over any differentiable model function: variables, batches, gradients,
// optimiser steps, progress and clean-up. train.ts binds it to a spec's forward pass; tests also
// bind it to small hand-written models.
import * as tf from '@tensorflow/tfjs';
import { InputError, type Tensor, type Weights } from '@tessera/spec';
import {
  type Batch,
  epochBatches,
  exampleCount,
  isBatch,
  type TrainingData,
  takeBatch,
} from './data.js';
import {
  checkTargets,
  disposeTargets,
  type LossSpec,
  lossParts,
  meanLoss,
  prepareTargets,
  type ResolvedLoss,
  resolveLoss,
  type TargetTensors,
} from './losses.js';
import { Optimizer, type OptimizerOptions } from './optimizers.js';

/** What the loop needs from a model. */
export interface Trainable {
  /** Every weight, in a fixed order, with its starting value (float32). */
  weights: Weights;
  /** The names the optimiser updates; the others are held constant. */
  trainable: ReadonlySet<string>;
  /** The model's output names. */
  outputs: string[];
  /**
   * Checks a batch's inputs and returns each output's shape for them; throws InputError naming
   * `where`. `wholeDataset`: the inputs are every example at once, never run in one go, so size
   * limits on activations do not apply.
   */
  outputShapes(
    inputs: Record<string, Tensor>,
    where: string,
    wholeDataset?: boolean,
  ): Record<string, number[]>;
  /** The outputs for `params` (every weight by name); differentiable; the caller tidies. */
  apply(
    params: Map<string, tf.Tensor>,
    inputs: Record<string, tf.Tensor>,
  ): Record<string, tf.Tensor>;
}

/** What onProgress is told after each step. */
export interface Progress {
  /** Optimiser updates made so far (1 after the first). */
  step: number;
  /** The epoch this step belongs to, from 1. */
  epoch: number;
  /** The step's batch loss, computed before its update. */
  loss: number;
  examplesPerSecond: number;
}

/** The loss and the output it reads. */
export interface LossOptions {
  loss: LossSpec;
  /** Which output the loss reads; may be left out when the model has one output. */
  output?: string;
}

/**
 * Options of train and fit: the optimiser, the loss, the batches and epochs, progress and abort.
 */
export interface TrainOptions extends OptimizerOptions, LossOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Examples per step when the data is one dataset (default 32). */
  batchSize?: number;
  /** Reorder a dataset every epoch (default true), by `seed` (default 0). */
  shuffle?: boolean;
  seed?: number;
  /** Node ids whose weights keep their values (train() only). */
  freeze?: string[];
  /** Called after every step; training waits for a returned promise. */
  onProgress?: (p: Progress) => void | Promise<void>;
  /** Aborting stops before the next step; the result holds the weights so far, `aborted: true`. */
  signal?: AbortSignal;
}

/**
 * What train and fit give back: the trained weights, every step's loss, and whether it was aborted.
 */
export interface TrainResult {
  /** Every weight, new arrays, float32, same names and shapes as given (PyTorch layouts). */
  weights: Weights;
  history: { step: number; epoch: number; loss: number }[];
  aborted: boolean;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (!Number.isSafeInteger(x) || x < 1)
    throw new RangeError(`options.${name} must be a positive integer, got ${String(v)}`);
  return x;
}

export function pickOutput(model: Trainable, output: string | undefined): string {
  if (output !== undefined) {
    if (!model.outputs.includes(output))
      throw new RangeError(
        `options.output ${JSON.stringify(output)} is not an output of the model (outputs: ${model.outputs.join(', ')})`,
      );
    return output;
  }
  if (model.outputs.length !== 1)
    throw new RangeError(
      `the model has ${model.outputs.length} outputs (${model.outputs.join(', ')}): say which one the loss reads with options.output`,
    );
  return model.outputs[0];
}

/** Checks a batch's inputs and targets against the model and the loss; returns its example count. */
export function checkBatch(
  model: Trainable,
  loss: ResolvedLoss,
  output: string,
  batch: Batch,
  where: string,
  wholeDataset = false,
): number {
  const n = exampleCount(batch, where);
  const shapes = model.outputShapes(batch.inputs, where, wholeDataset);
  checkTargets(
    loss,
    shapes[output],
    batch.targets,
    batch.targetLengths,
    where === 'data' ? 'targets' : `${where} targets`,
    batch.inputs,
  );
  return n;
}

/** A whole dataset: every example's values, then the size limits at one batch of `batchSize`. */
function checkDataset(
  model: Trainable,
  loss: ResolvedLoss,
  output: string,
  data: Batch,
  batchSize: number,
): void {
  const n = checkBatch(model, loss, output, data, 'data', true);
  const first = Array.from({ length: Math.min(n, batchSize) }, (_, i) => i);
  model.outputShapes(takeBatch(data, first).inputs, 'data');
}

/** A variable holding a copy of `w`; the temporary it was made from is released. */
function variableOf(w: Tensor, trainable: boolean): tf.Variable {
  const initial = tf.tensor(w.data, w.shape, 'float32');
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}

function toTf(inputs: Record<string, Tensor>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) out[name] = tf.tensor(t.data, t.shape, t.dtype);
  return out;
}

/** One epoch's batches, each with the name used in error messages. */
async function* batchesOf(
  data: TrainingData,
  epochIndex: number,
  o: { batchSize: number; shuffle: boolean; seed: number },
): AsyncGenerator<[Batch, string]> {
  if (isBatch(data)) {
    const n = exampleCount(data, 'data');
    for (const rows of epochBatches(n, o.batchSize, o.shuffle, o.seed, epochIndex))
      yield [takeBatch(data, rows), 'data'];
    return;
  }
  if (
    data === null ||
    typeof data !== 'object' ||
    !(Symbol.iterator in data || Symbol.asyncIterator in data)
  ) {
    throw new InputError(
      'training data must be a batch { inputs, targets } or an (async) iterable of batches',
      'data',
    );
  }
  let i = 0;
  for await (const b of data as AsyncIterable<Batch>) yield [b, `batch ${i++}`];
}

/**
 * The training loop over any Trainable (train binds it to a spec): checks everything, then runs
 * `epochs` passes of optimiser steps over `data`; the model's weights are never modified.
 */
export async function fit(
  model: Trainable,
  data: TrainingData,
  options: TrainOptions,
): Promise<TrainResult> {
  const loss = resolveLoss(options.loss);
  const output = pickOutput(model, options.output);
  const epochs = positiveInt('epochs', options.epochs, 1);
  const batchSize = positiveInt('batchSize', options.batchSize, 32);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed))
    throw new RangeError(`options.seed must be an integer, got ${String(options.seed)}`);
  const optimizer = new Optimizer(options); // validates its options before anything is allocated
  const streamed = !isBatch(data);
  if (!streamed) checkDataset(model, loss, output, data as Batch, batchSize);
  if (![...model.weights.keys()].some((n) => model.trainable.has(n))) {
    optimizer.dispose();
    throw new RangeError('nothing to train: every weight is frozen');
  }

  const params = new Map<string, tf.Variable>();
  for (const [name, w] of model.weights) {
    params.set(name, variableOf(w, model.trainable.has(name)));
  }
  const trained = [...params].filter(([name]) => model.trainable.has(name));
  const nameOf = new Map(trained.map(([name, v]) => [v.name, name]));
  const history: TrainResult['history'] = [];
  let step = 0;
  let aborted = false;
  try {
    for (let epoch = 1; epoch <= epochs && !aborted; epoch++) {
      let steps = 0;
      for await (const [batch, where] of batchesOf(data, epoch - 1, {
        batchSize,
        shuffle: options.shuffle ?? true,
        seed,
      })) {
        if (options.signal?.aborted) {
          aborted = true;
          break;
        }
        const started = performance.now();
        const n = streamed ? checkBatch(model, loss, output, batch, where) : batch.targets.shape[0];
        const value = trainStep(model, params, trained, nameOf, optimizer, loss, output, batch);
        const lossValue = (await value.data())[0];
        value.dispose();
        step += 1;
        steps += 1;
        if (!Number.isFinite(lossValue)) {
          throw new RangeError(
            `the loss became ${lossValue} at step ${step} (epoch ${epoch}); try a smaller learningRate or clipGradNorm`,
          );
        }
        history.push({ step, epoch, loss: lossValue });
        const seconds = Math.max((performance.now() - started) / 1000, 1e-9);
        await options.onProgress?.({
          step,
          epoch,
          loss: lossValue,
          examplesPerSecond: n / seconds,
        });
      }
      if (steps === 0 && !aborted) {
        throw new InputError(
          `epoch ${epoch} had no batches (a spent generator? pass an array or a re-iterable)`,
          'data',
        );
      }
    }
    return { weights: await readWeights(model.weights, params), history, aborted };
  } finally {
    for (const v of params.values()) v.dispose();
    optimizer.dispose();
  }
}

/** Gradients of the batch loss, one optimiser update; returns the loss (a scalar tensor to dispose). */
function trainStep(
  model: Trainable,
  params: Map<string, tf.Variable>,
  trained: [string, tf.Variable][],
  nameOf: Map<string, string>,
  optimizer: Optimizer,
  loss: ResolvedLoss,
  output: string,
  batch: Batch,
): tf.Scalar {
  const inputs = toTf(batch.inputs);
  const targets = prepareTargets(loss, batch.targets, batch.targetLengths, batch.inputs);
  try {
    const { value, grads } = tf.variableGrads(
      () => batchLoss(model, params, loss, output, inputs, targets),
      trained.map(([, v]) => v),
    );
    // A weight with no path to the loss (a node off the output's branch) has no gradient and stays put.
    const named: Record<string, tf.Tensor> = {};
    for (const [varName, g] of Object.entries(grads))
      if (g != null) named[nameOf.get(varName)!] = g;
    optimizer.step(params, named);
    tf.dispose(Object.values(grads).filter((g) => g != null));
    return value;
  } finally {
    tf.dispose(Object.values(inputs));
    disposeTargets(targets);
  }
}

function batchLoss(
  model: Trainable,
  params: Map<string, tf.Tensor>,
  loss: ResolvedLoss,
  output: string,
  inputs: Record<string, tf.Tensor>,
  targets: TargetTensors,
): tf.Scalar {
  return meanLoss(loss, model.apply(params, inputs)[output], targets);
}

async function readWeights(initial: Weights, params: Map<string, tf.Variable>): Promise<Weights> {
  const out: Weights = new Map();
  for (const [name, w] of initial) {
    const data = Float32Array.from(await params.get(name)!.data());
    out.set(name, { dtype: 'float32', shape: [...w.shape], data });
  }
  return out;
}

/**
 * The loss of `model`'s current weights, weighed as one large batch: Σ sums / Σ counts over
 * the batches (tokens for crossEntropy, elements for mse, sequences for ctc).
 */
export async function fitLoss(
  model: Trainable,
  data: TrainingData,
  options: LossOptions & { batchSize?: number },
): Promise<number> {
  const loss = resolveLoss(options.loss);
  const output = pickOutput(model, options.output);
  const streamed = !isBatch(data);
  // Only a dataset is cut into batches; 256 examples at a time keeps activations small.
  const batchSize = positiveInt('batchSize', options.batchSize, 256);
  if (!streamed) checkDataset(model, loss, output, data as Batch, batchSize);
  const params = new Map<string, tf.Tensor>();
  for (const [name, w] of model.weights) params.set(name, tf.tensor(w.data, w.shape, 'float32'));
  let sum = 0;
  let count = 0;
  try {
    for await (const [batch, where] of batchesOf(data, 0, { batchSize, shuffle: false, seed: 0 })) {
      if (streamed) checkBatch(model, loss, output, batch, where);
      const inputs = toTf(batch.inputs);
      const targets = prepareTargets(loss, batch.targets, batch.targetLengths, batch.inputs);
      const parts = tf.tidy(() => {
        const p = lossParts(loss, model.apply(params, inputs)[output], targets);
        return tf.stack([p.sum, p.count]);
      });
      const [s, c] = await parts.data();
      tf.dispose([parts, ...Object.values(inputs)]);
      disposeTargets(targets);
      sum += s;
      count += c;
    }
  } finally {
    tf.dispose([...params.values()]);
  }
  return sum / Math.max(count, 1);
}

/** The batch loss and its gradient for every weight (zeros where a weight does not reach the loss). */
export async function fitGradients(
  model: Trainable,
  batch: Batch,
  options: LossOptions,
): Promise<{ loss: number; gradients: Weights }> {
  const loss = resolveLoss(options.loss);
  const output = pickOutput(model, options.output);
  checkBatch(model, loss, output, batch, 'batch');
  const params = new Map<string, tf.Variable>();
  for (const [name, w] of model.weights) params.set(name, variableOf(w, true));
  const inputs = toTf(batch.inputs);
  const targets = prepareTargets(loss, batch.targets, batch.targetLengths, batch.inputs);
  try {
    const vars = [...params.values()];
    const { value, grads } = tf.variableGrads(
      () => batchLoss(model, params, loss, output, inputs, targets),
      vars,
    );
    const gradients: Weights = new Map();
    for (const [name, v] of params) {
      const g = grads[v.name];
      const data = g == null ? new Float32Array(v.size) : Float32Array.from(await g.data());
      gradients.set(name, { dtype: 'float32', shape: [...v.shape], data });
    }
    const lossValue = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads).filter((g) => g != null)]);
    return { loss: lossValue, gradients };
  } finally {
    tf.dispose([...params.values(), ...Object.values(inputs)]);
    disposeTargets(targets);
  }
}
