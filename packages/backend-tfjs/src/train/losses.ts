// Training losses as differentiable tf ops, and the checks that a batch's targets fit a loss
// before any step runs. Each loss returns a (sum, count) pair so that a mean over several batches
// (evaluateLoss) weighs every token, element or sequence exactly as one large batch would.
import * as tf from '@tensorflow/tfjs';
import { InputError, numel, type Tensor } from '@tessera/spec';
import { type CtcPlan, ctcCheckTargets, ctcLoss, ctcPlan, disposePlan } from './ctc.js';

/**
 * - `crossEntropy`: logits [..., C] against int32 class ids of shape [...] (class ids [B] for
 *   logits [B, C]; next-token ids [B, T] for logits [B, T, V]). Mean of −log softmax(logits)[id]
 *   over every id that is not `ignoreIndex` (PyTorch's CrossEntropyLoss, reduction 'mean', with
 *   the class axis last rather than second). A batch whose ids are all ignored scores 0 (PyTorch:
 *   NaN), so one such batch does not poison a run.
 * - `mse`: float32 targets of the output's shape; mean of (y − t)² over every element.
 * - `ctc`: per-frame logits [B, T, V] (class 0 is the blank) against int32 labels [B, S], each row
 *   padded at its end with −1 or cut by `targetLengths`. PyTorch's CTCLoss with reduction 'mean':
 *   each sequence's −log p(labels | x) divided by its label count (at least 1), averaged over the
 *   batch. Every frame of the output is used, unless `{ kind: 'ctc', inputLengths: '<input>' }`
 *   names the model input holding each row's frame count (the `lengths` a speechRecognizer with
 *   `lengths: true` reads): then a row is scored on its own frames (PyTorch's input_lengths).
 */
export type LossSpec =
  | 'crossEntropy'
  | 'mse'
  | 'ctc'
  | { kind: 'crossEntropy'; ignoreIndex?: number }
  | { kind: 'mse' }
  | { kind: 'ctc'; inputLengths?: string };

/** A loss with its options checked. */
export interface ResolvedLoss {
  kind: 'crossEntropy' | 'mse' | 'ctc';
  ignoreIndex?: number;
  /** ctc: the model input whose values are each row's frame count. */
  inputLengths?: string;
}

export function resolveLoss(loss: LossSpec | undefined): ResolvedLoss {
  if (loss === undefined)
    throw new TypeError('options.loss is required: "crossEntropy", "mse" or "ctc"');
  const spec = typeof loss === 'string' ? { kind: loss } : loss;
  if (
    spec === null ||
    typeof spec !== 'object' ||
    !['crossEntropy', 'mse', 'ctc'].includes(spec.kind)
  ) {
    throw new TypeError(
      `unknown loss ${JSON.stringify(loss)}: expected "crossEntropy", "mse" or "ctc"`,
    );
  }
  if (spec.kind === 'crossEntropy') {
    const ignoreIndex = (spec as { ignoreIndex?: number }).ignoreIndex;
    if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
      throw new TypeError(`loss.ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
    }
    return { kind: 'crossEntropy', ignoreIndex };
  }
  if (spec.kind === 'ctc') {
    const inputLengths = (spec as { inputLengths?: unknown }).inputLengths;
    if (inputLengths !== undefined && typeof inputLengths !== 'string')
      throw new TypeError(
        `loss.inputLengths names a model input (an int32 [batch] of frame counts), got ${JSON.stringify(inputLengths)}`,
      );
    return inputLengths === undefined ? { kind: 'ctc' } : { kind: 'ctc', inputLengths };
  }
  return { kind: spec.kind };
}

/** The frame counts a ctc loss with `inputLengths` reads from a batch's inputs. */
function framesOf(
  loss: ResolvedLoss,
  inputs: Record<string, Tensor> | undefined,
  where: string,
): Tensor | undefined {
  if (loss.inputLengths === undefined) return undefined;
  const t = inputs?.[loss.inputLengths];
  if (t === undefined)
    throw new InputError(
      `the ctc loss reads its input lengths from the model input ${JSON.stringify(loss.inputLengths)}, which the batch does not have`,
      where,
    );
  return t;
}

/** One batch's targets as tf tensors, ready for lossParts; release with disposeTargets. */
export interface TargetTensors {
  targets: tf.Tensor;
  /** CTC only: the label-dependent tensors of the recursion. */
  ctc?: CtcPlan;
}

export function prepareTargets(
  loss: ResolvedLoss,
  targets: Tensor,
  targetLengths?: Tensor,
  inputs?: Record<string, Tensor>,
): TargetTensors {
  const t = tf.tensor(targets.data, targets.shape, targets.dtype);
  return loss.kind === 'ctc'
    ? { targets: t, ctc: ctcPlan(targets, targetLengths, framesOf(loss, inputs, 'inputs')) }
    : { targets: t };
}

export function disposeTargets(t: TargetTensors): void {
  t.targets.dispose();
  if (t.ctc !== undefined) disposePlan(t.ctc);
}

export interface LossParts {
  /** Sum of the per-unit losses (tokens, elements or length-normalised sequences). */
  sum: tf.Scalar;
  /** How many units the sum holds; the loss is sum / max(count, 1). */
  count: tf.Scalar;
}

/** The loss's sum and count for one batch; differentiable in `output`. Caller tidies. */
export function lossParts(loss: ResolvedLoss, output: tf.Tensor, t: TargetTensors): LossParts {
  if (loss.kind === 'mse') {
    const sum = tf.sum(tf.squaredDifference(output, t.targets)) as tf.Scalar;
    return { sum, count: tf.scalar(output.size) };
  }
  if (loss.kind === 'ctc') return ctcLoss(output, t.ctc!);
  return crossEntropyParts(output, t.targets, loss.ignoreIndex);
}

/** The mean loss of one batch: sum / max(count, 1). Differentiable; the caller tidies. */
export function meanLoss(loss: ResolvedLoss, output: tf.Tensor, t: TargetTensors): tf.Scalar {
  const { sum, count } = lossParts(loss, output, t);
  return tf.div(sum, tf.maximum(count, 1)) as tf.Scalar;
}

function crossEntropyParts(
  logits: tf.Tensor,
  ids: tf.Tensor,
  ignoreIndex: number | undefined,
): LossParts {
  const classes = logits.shape[logits.shape.length - 1];
  const logp = tf.logSoftmax(logits, -1);
  // Ignored ids become class 0 in the one-hot, then the mask zeroes their term.
  const mask =
    ignoreIndex === undefined
      ? tf.onesLike(ids).toFloat()
      : tf.notEqual(ids, ignoreIndex).toFloat();
  const safeIds =
    ignoreIndex === undefined ? ids : tf.where(tf.equal(ids, ignoreIndex), tf.zerosLike(ids), ids);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(safeIds, 'int32'), classes)), -1);
  const sum = tf.neg(tf.sum(tf.mul(picked, mask))) as tf.Scalar;
  return { sum, count: tf.sum(mask) as tf.Scalar };
}

/**
 * Checks one batch's targets against the loss and the shape of the output it is compared with
 * (batch dim included). Throws an InputError named `where` (e.g. `targets`, `batch 3 targets`)
 * whose message gives the index and value at fault.
 */
export function checkTargets(
  loss: ResolvedLoss,
  outputShape: readonly number[],
  targets: Tensor,
  targetLengths: Tensor | undefined,
  where: string,
  inputs?: Record<string, Tensor>,
): void {
  const fail = (message: string): never => {
    throw new InputError(message, where);
  };
  if (
    targets === null ||
    typeof targets !== 'object' ||
    !Array.isArray(targets.shape) ||
    targets.data === undefined
  ) {
    fail(`targets is not a tensor { dtype, shape, data }`);
  }
  if (targets.data.length !== numel(targets.shape)) {
    fail(
      `targets holds ${targets.data.length} values, its shape [${targets.shape.join(', ')}] needs ${numel(targets.shape)}`,
    );
  }
  if (targetLengths !== undefined && loss.kind !== 'ctc') {
    fail(`targetLengths is only used by the ctc loss, not ${loss.kind}`);
  }
  const out = `[${outputShape.join(', ')}]`;
  const got = `[${targets.shape.join(', ')}]`;
  if (loss.kind === 'mse') {
    if (targets.dtype !== 'float32' || !(targets.data instanceof Float32Array)) {
      fail(`mse targets must be float32, got ${targets.dtype}`);
    }
    if (!sameShape(targets.shape, outputShape)) {
      fail(`mse targets have shape ${got}, expected the output's shape ${out}`);
    }
    return;
  }
  if (targets.dtype !== 'int32' || !(targets.data instanceof Int32Array)) {
    fail(`${loss.kind} targets must be int32 ids, got ${targets.dtype}`);
  }
  if (loss.kind === 'ctc') {
    ctcCheckTargets(outputShape, targets, targetLengths, where, framesOf(loss, inputs, where));
    return;
  }
  const classes = outputShape[outputShape.length - 1];
  if (outputShape.length < 2 || !sameShape(targets.shape, outputShape.slice(0, -1))) {
    fail(
      `crossEntropy targets have shape ${got}, expected ${outputShape.length < 2 ? 'logits with a class axis' : `[${outputShape.slice(0, -1).join(', ')}]`} for logits ${out} (class axis last)`,
    );
  }
  const data = targets.data;
  for (let i = 0; i < data.length; i++) {
    const id = data[i];
    if ((id < 0 || id >= classes) && id !== loss.ignoreIndex) {
      fail(
        `target id ${id} at flat index ${i} is out of range [0, ${classes})${loss.ignoreIndex === undefined ? '' : ` and is not ignoreIndex ${loss.ignoreIndex}`}`,
      );
    }
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
