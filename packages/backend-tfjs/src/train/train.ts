// Training a spec's weights with TensorFlow.js: the spec's differentiable forward pass bound to
// the loop in loop.ts. The variables are the PyTorch-layout weights themselves, so the result
// runs unchanged on every backend and saves straight to safetensors.
import type * as tf from '@tensorflow/tfjs';
import {
  checkInputs,
  checkWeights,
  InputError,
  type ModelSpec,
  type Tensor,
  toWeights,
  type Weights,
  weightManifest,
} from '@tessera/spec';
import { prepareGraph, runGraph } from '../forward.js';
import { lower } from '../interpret.js';
import type { Batch, TrainingData } from './data.js';
import { installTrainingKernels } from './kernels/index.js';
import {
  fit,
  fitGradients,
  fitLoss,
  type LossOptions,
  type Trainable,
  type TrainOptions,
  type TrainResult,
} from './loop.js';

/** The spec as a Trainable: checked weights in manifest order, the frozen nodes held constant. */
export function specTrainable(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  freeze: readonly string[] = [],
): Trainable {
  const given = toWeights(weights);
  checkWeights(spec, given);
  if (!Array.isArray(freeze)) throw new TypeError('options.freeze must be an array of node ids');
  const ids = new Set(spec.nodes.map((n) => n.id));
  const unknown = freeze.filter((id) => !ids.has(id));
  if (unknown.length > 0) {
    const withWeights = [...new Set(weightManifest(spec).map((w) => w.node))];
    throw new RangeError(
      `options.freeze names ${unknown.map((id) => JSON.stringify(id)).join(', ')}, not node ids of this spec (nodes with weights: ${withWeights.join(', ')})`,
    );
  }
  const frozen = new Set(freeze);
  // Lowered once: every step prepares and runs the same graph, whose sub-nodes read the
  // PyTorch-named weights (weightName), so gradients land on them.
  const graph = lower(spec);
  const manifest = weightManifest(spec);
  const ordered: Weights = new Map(manifest.map((w) => [w.name, given.get(w.name)!]));
  // Buffers (batchNorm's running statistics) are never trained, whatever `freeze` says: the
  // forward pass is eval-mode, with no batch statistics to track.
  const trainable = new Set(
    manifest.filter((w) => !frozen.has(w.node) && !w.buffer).map((w) => w.name),
  );
  return {
    weights: ordered,
    trainable,
    outputs: Object.keys(spec.outputs),
    outputShapes(inputs, where, wholeDataset = false) {
      let checked: ReturnType<typeof checkInputs>;
      try {
        checked = checkInputs(
          spec,
          inputs,
          wholeDataset ? { limits: { maxActivationElements: Number.POSITIVE_INFINITY } } : {},
        );
      } catch (e) {
        if (!(e instanceof InputError) || where === 'data') throw e;
        throw new InputError(
          e.issues.map((i) => ({ name: `${where} ${i.name}`, message: i.message })),
        );
      }
      const out: Record<string, number[]> = {};
      for (const [name, ref] of Object.entries(spec.outputs))
        out[name] = checked.shapes.get(ref)!.shape as number[];
      return out;
    },
    apply: (params: Map<string, tf.Tensor>, inputs: Record<string, tf.Tensor>) =>
      runGraph(graph, prepareGraph(graph, params), inputs),
  };
}

/**
 * Pre-trains or fine-tunes `weights` (never modified) on `data`, on the active tfjs backend
 * (choose it first with ensureTfBackend). Everything is checked before the first step: weights
 * (WeightError), inputs and targets (InputError), options and `freeze` ids (RangeError).
 * Dropout is the identity (the forward pass is inference-mode) and batchNorm uses its running
 * statistics, which are never updated.
 *
 * @example
 * await ensureTfBackend('cpu'); // training runs on tfjs's active backend
 * const data = {
 *   inputs: randomInputs(spec, { batch: 64, time: 16 }, 2), // { tokens: int32 [64, 16] }
 *   targets: randomInputs(spec, { batch: 64, time: 16 }, 3).tokens,
 * };
 * const { weights: trained, history } = await train(spec, initWeights(spec, 0), data, {
 *   loss: 'crossEntropy',
 *   epochs: 2,
 *   batchSize: 32,
 * });
 */
export async function train(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  data: TrainingData,
  options: TrainOptions,
): Promise<TrainResult> {
  installTrainingKernels();
  return fit(specTrainable(spec, weights, options.freeze ?? []), data, options);
}

/** The mean loss over `data` without training, weighed as one large batch. */
export async function evaluateLoss(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  data: TrainingData,
  options: LossOptions & { batchSize?: number },
): Promise<number> {
  return fitLoss(specTrainable(spec, weights), data, options);
}

/** One batch's mean loss and its gradient with respect to every weight (PyTorch layouts). */
export async function computeGradients(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  batch: Batch,
  options: LossOptions,
): Promise<{ loss: number; gradients: Weights }> {
  return fitGradients(specTrainable(spec, weights), batch, options);
}
