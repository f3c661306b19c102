// Connectionist temporal classification (Graves et al., 2006) as differentiable tf ops: the
// forward (alpha) recursion in log space over the extended label sequence, vectorised over the
// batch. tfjs has no CTC loss; this one follows PyTorch's nn.CTCLoss (blank = 0,
// reduction 'mean': each sequence's loss divided by its label count, then the batch mean), with
// its `input_lengths`: a row of a padded batch is scored on its first `inputLengths[b]` frames.
import * as tf from '@tensorflow/tfjs';
import { InputError, type Tensor } from '@tessera/spec';

/** Stands in for log 0: exp(NEG − m) is exactly 0 in float32, and sums of a few NEGs stay finite. */
const NEG = -1e30;

/**
 * The label-dependent parts of the recursion, built on the CPU from int32 targets (they carry no
 * gradient). With labels l of length n, the extended sequence is l' = (∅, l1, ∅, l2, …, ln, ∅), of
 * length 2n + 1; rows are padded to L = 2S + 1 and the padding is never read.
 */
export interface CtcPlan {
  /** int32 [B, L]: l' per row, blank (0) in the padding. */
  extended: tf.Tensor2D;
  /** float32 [B, L]: 0 where α_t(s) may come from α_{t−1}(s−2) (s odd, l'_s ≠ l'_{s−2}), NEG elsewhere. */
  skipPenalty: tf.Tensor2D;
  /** float32 [B, L]: 0 at the two states a path may end in (2n and 2n − 1), NEG elsewhere. */
  finalPenalty: tf.Tensor2D;
  /** float32 [B]: 1 / max(n, 1), PyTorch's per-sequence normalisation. */
  inverseLength: tf.Tensor1D;
  /**
   * Each row's frame count (PyTorch's input_lengths); absent: every frame of the output. Plain
   * numbers: the recursion makes its per-frame masks once it knows the number of frames.
   */
  inputLengths?: Int32Array;
}

/** Each row's label count: the lengths tensor, or the labels before the first −1. */
export function ctcLabelLengths(targets: Tensor, targetLengths: Tensor | undefined): number[] {
  const [rows, width] = targets.shape;
  const out: number[] = [];
  for (let b = 0; b < rows; b++) {
    if (targetLengths !== undefined) {
      out.push(targetLengths.data[b]);
      continue;
    }
    let n = 0;
    while (n < width && targets.data[b * width + n] !== -1) n++;
    out.push(n);
  }
  return out;
}

/** `inputLengths` (int32 [B], each in 1..frames, see ctcCheckTargets) cuts each row's frames. */
export function ctcPlan(
  targets: Tensor,
  targetLengths: Tensor | undefined,
  inputLengths?: Tensor,
): CtcPlan {
  const [rows, width] = targets.shape;
  const states = 2 * width + 1;
  const lengths = ctcLabelLengths(targets, targetLengths);
  const extended = new Int32Array(rows * states);
  const skip = new Float32Array(rows * states).fill(NEG);
  const final = new Float32Array(rows * states).fill(NEG);
  for (let b = 0; b < rows; b++) {
    const n = lengths[b];
    const row = b * states;
    for (let k = 0; k < n; k++) extended[row + 2 * k + 1] = targets.data[b * width + k];
    for (let s = 3; s < 2 * n + 1; s += 2) {
      if (extended[row + s] !== extended[row + s - 2]) skip[row + s] = 0;
    }
    final[row + 2 * n] = 0;
    if (n > 0) final[row + 2 * n - 1] = 0;
  }
  return {
    extended: tf.tensor2d(extended, [rows, states], 'int32'),
    skipPenalty: tf.tensor2d(skip, [rows, states]),
    finalPenalty: tf.tensor2d(final, [rows, states]),
    inverseLength: tf.tensor1d(lengths.map((n) => 1 / Math.max(n, 1))),
    ...(inputLengths === undefined ? {} : { inputLengths: Int32Array.from(inputLengths.data) }),
  };
}

export function disposePlan(plan: CtcPlan): void {
  tf.dispose([plan.extended, plan.skipPenalty, plan.finalPenalty, plan.inverseLength]);
}

/**
 * Per-sequence −log p(l | x) for logits [B, T, V]: α_0 = (y_0(∅), y_0(l1), NEG, …);
 * α_t(s) = logsumexp(α_{t−1}(s), α_{t−1}(s−1), α_{t−1}(s−2) if allowed) + log y_t(l'_s);
 * −log p = −logsumexp(α_{T−1}(2n), α_{T−1}(2n−1)). With input lengths, row b's α stops at
 * t = length_b − 1 (α_t = α_{t−1} for t ≥ length_b), so frames past its length change neither the
 * loss nor get a gradient. Returns float32 [B]. Caller tidies.
 */
export function ctcNegLogLikelihood(logits: tf.Tensor, plan: CtcPlan): tf.Tensor1D {
  const [batch, frames, classes] = logits.shape;
  const states = plan.extended.shape[1];
  const logp = tf.logSoftmax(logits, -1) as tf.Tensor3D;
  // Emissions E[b, t, s] = log y_t(l'_s), gathered by a one-hot matmul: [B,T,V] × [B,V,L].
  // tfjs-backend-wasm 4.22's OneHot ignores a float32 dtype and writes the integer bits (1 comes
  // out as 1.4e-45), so the one-hot is made as int32 and cast.
  const pick = tf.transpose(
    tf.cast(tf.oneHot(plan.extended, classes), 'float32'),
    [0, 2, 1],
  ) as tf.Tensor3D;
  const emissions = tf.matMul(logp, pick);
  const frame = (t: number) =>
    tf.reshape(tf.slice(emissions, [0, t, 0], [batch, 1, states]), [batch, states]);
  const startPenalty = tf.tensor1d(Array.from({ length: states }, (_, s) => (s < 2 ? 0 : NEG)));
  const fill1 = tf.fill([batch, 1], NEG);
  const fill2 = tf.fill([batch, 2], NEG);
  // valid[b, t]: frame t lies inside row b's length; made only when some row is shorter than T.
  const cut = plan.inputLengths;
  const valid = cut?.some((n) => n < frames)
    ? tf.tensor2d(
        Uint8Array.from({ length: batch * frames }, (_, i) =>
          i % frames < cut[Math.floor(i / frames)] ? 1 : 0,
        ),
        [batch, frames],
        'bool',
      )
    : undefined;
  let alpha = tf.add(frame(0), startPenalty);
  for (let t = 1; t < frames; t++) {
    const stay = alpha;
    const step = tf.concat([fill1, tf.slice(alpha, [0, 0], [batch, states - 1])], 1);
    const skip = tf.add(
      tf.concat([fill2, tf.slice(alpha, [0, 0], [batch, states - 2])], 1),
      plan.skipPenalty,
    );
    const next = tf.add(tf.logSumExp(tf.stack([stay, step, skip], 2), 2), frame(t));
    alpha = valid === undefined ? next : tf.where(tf.slice(valid, [0, t], [batch, 1]), next, alpha);
  }
  return tf.neg(tf.logSumExp(tf.add(alpha, plan.finalPenalty), 1)) as tf.Tensor1D;
}

/** The CTC loss's (sum, count): Σ_b nll_b / max(n_b, 1) over B sequences. Caller tidies. */
export function ctcLoss(logits: tf.Tensor, plan: CtcPlan): { sum: tf.Scalar; count: tf.Scalar } {
  const nll = ctcNegLogLikelihood(logits, plan);
  return {
    sum: tf.sum(tf.mul(nll, plan.inverseLength)) as tf.Scalar,
    count: tf.scalar(logits.shape[0]),
  };
}

/**
 * Targets int32 [B, S] against logits [B, T, V]: labels in [1, V) (0 is the blank), −1 padding
 * only at a row's end (or a targetLengths int32 [B] with 0 ≤ n ≤ S), and enough frames for every
 * row: T ≥ n + (number of adjacent repeated labels), since repeats need a blank between them.
 * With `inputLengths` (int32 [B], each in 1..T), a row's frames are its own length.
 */
export function ctcCheckTargets(
  outputShape: readonly number[],
  targets: Tensor,
  targetLengths: Tensor | undefined,
  where: string,
  inputLengths?: Tensor,
): void {
  const fail = (message: string): never => {
    throw new InputError(message, where);
  };
  if (outputShape.length !== 3)
    fail(
      `the ctc loss needs per-frame logits [batch, frames, classes], the output is [${outputShape.join(', ')}]`,
    );
  const [batch, frames, classes] = outputShape;
  if (targets.shape.length !== 2 || targets.shape[0] !== batch) {
    fail(
      `ctc targets have shape [${targets.shape.join(', ')}], expected [${batch}, maxLabels] (labels padded with -1)`,
    );
  }
  const [, width] = targets.shape;
  if (targetLengths !== undefined) {
    if (
      targetLengths.dtype !== 'int32' ||
      !(targetLengths.data instanceof Int32Array) ||
      targetLengths.shape.length !== 1 ||
      targetLengths.shape[0] !== batch ||
      targetLengths.data.length !== batch
    ) {
      fail(
        `targetLengths must be int32 [${batch}], got ${targetLengths.dtype} [${targetLengths.shape?.join(', ')}]`,
      );
    }
    targetLengths.data.forEach((n, b) => {
      if (n < 0 || n > width) fail(`targetLengths[${b}] is ${n}, outside [0, ${width}]`);
    });
  }
  if (inputLengths !== undefined) {
    if (
      inputLengths.dtype !== 'int32' ||
      !(inputLengths.data instanceof Int32Array) ||
      inputLengths.shape.length !== 1 ||
      inputLengths.shape[0] !== batch ||
      inputLengths.data.length !== batch
    ) {
      fail(
        `inputLengths must be int32 [${batch}], got ${inputLengths.dtype} [${inputLengths.shape?.join(', ')}]`,
      );
    }
    inputLengths.data.forEach((n, b) => {
      if (n < 1 || n > frames) fail(`inputLengths[${b}] is ${n}, outside [1, ${frames}]`);
    });
  }
  const lengths = ctcLabelLengths(targets, targetLengths);
  for (let b = 0; b < batch; b++) {
    const n = lengths[b];
    const rowFrames = inputLengths === undefined ? frames : inputLengths.data[b];
    let repeats = 0;
    for (let k = 0; k < width; k++) {
      const id = targets.data[b * width + k];
      if (k >= n) {
        if (targetLengths === undefined && id !== -1)
          fail(
            `ctc targets row ${b}: label ${id} at position ${k} follows -1 padding (pad only at the end)`,
          );
        continue;
      }
      if (id === 0)
        fail(
          `ctc targets row ${b}: label 0 at position ${k} is the blank, which cannot be a target label`,
        );
      if (id < 1 || id >= classes)
        fail(`ctc targets row ${b}: label ${id} at position ${k} is out of range [1, ${classes})`);
      if (k > 0 && id === targets.data[b * width + k - 1]) repeats++;
    }
    if (rowFrames < n + repeats) {
      fail(
        `ctc targets row ${b}: ${n} labels${repeats > 0 ? ` with ${repeats} repeats` : ''} need at least ${n + repeats} frames, ${inputLengths === undefined ? 'the output has' : 'its input length is'} ${rowFrames}`,
      );
    }
  }
}
