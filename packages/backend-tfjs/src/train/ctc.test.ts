import * as tf from '@tensorflow/tfjs';
import { InputError, Rng, tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { ctcCheckTargets, ctcLoss, ctcNegLogLikelihood, ctcPlan, disposePlan } from './ctc.js';

/** log softmax over the last axis of one frame, in float64. */
function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
  return row.map((x) => x - lse);
}

/** B = ℱ(path): merge repeats, then drop blanks (0). */
function collapse(path: number[]): number[] {
  const out: number[] = [];
  path.forEach((c, t) => {
    if (c !== 0 && (t === 0 || path[t - 1] !== c)) out.push(c);
  });
  return out;
}

/** −log Σ over every path of T symbols that collapses to `labels` of Π_t y_t(path_t), by enumeration. */
function bruteForceNll(logits: number[][], labels: number[]): number {
  const frames = logits.length;
  const classes = logits[0].length;
  const logp = logits.map(logSoftmax);
  let total = 0;
  const path = new Array<number>(frames).fill(0);
  for (let code = 0; code < classes ** frames; code++) {
    let c = code;
    for (let t = 0; t < frames; t++) {
      path[t] = c % classes;
      c = Math.floor(c / classes);
    }
    const got = collapse(path);
    if (got.length === labels.length && got.every((x, i) => x === labels[i])) {
      total += Math.exp(path.reduce((s, k, t) => s + logp[t][k], 0));
    }
  }
  return -Math.log(total);
}

function randomLogits(rng: Rng, batch: number, frames: number, classes: number): number[][][] {
  return Array.from({ length: batch }, () =>
    Array.from({ length: frames }, () => Array.from({ length: classes }, () => rng.range(-2, 2))),
  );
}

// Rows padded with −1: repeats (1 1 needs a blank between), a single label, an empty target, mixed.
const LABELS = [[1, 1], [2], [], [2, 1, 3]];
const padded = (rows: number[][], width: number) =>
  rows.flatMap((r) => [...r, ...new Array(width - r.length).fill(-1)]);

describe('ctc', () => {
  it('matches the brute-force sum over all alignments, per sequence and as the mean loss', () => {
    const [batch, frames, classes, width] = [4, 5, 4, 3];
    const logits = randomLogits(new Rng(7), batch, frames, classes);
    const targets = tensor('int32', [batch, width], padded(LABELS, width));
    const plan = ctcPlan(targets, undefined);
    const x = tf.tensor3d(logits);
    const nll = ctcNegLogLikelihood(x, plan).arraySync();
    const want = LABELS.map((l, b) => bruteForceNll(logits[b], l));
    for (const [b, v] of nll.entries()) expect(v).toBeCloseTo(want[b], 4);
    // PyTorch reduction 'mean': nll_b / max(len_b, 1), averaged over the batch.
    const parts = ctcLoss(x, plan);
    const mean = parts.sum.arraySync() / parts.count.arraySync();
    const wantMean = want.reduce((s, v, b) => s + v / Math.max(LABELS[b].length, 1), 0) / batch;
    expect(mean).toBeCloseTo(wantMean, 4);
    tf.dispose([x, parts.sum, parts.count]);
    disposePlan(plan);
  });

  it('takes lengths instead of padding, and ignores what lies past each length', () => {
    const [batch, frames, classes, width] = [2, 4, 3, 3];
    const logits = randomLogits(new Rng(3), batch, frames, classes);
    // Row 0 holds [2, 1] then junk; row 1 holds [1].
    const targets = tensor('int32', [batch, width], [2, 1, 2, 1, 2, 2]);
    const lengths = tensor('int32', [batch], [2, 1]);
    const plan = ctcPlan(targets, lengths);
    const x = tf.tensor3d(logits);
    const nll = ctcNegLogLikelihood(x, plan).arraySync();
    expect(nll[0]).toBeCloseTo(bruteForceNll(logits[0], [2, 1]), 4);
    expect(nll[1]).toBeCloseTo(bruteForceNll(logits[1], [1]), 4);
    x.dispose();
    disposePlan(plan);
  });

  it('scores each row on its first inputLengths[b] frames (PyTorch input_lengths)', () => {
    const [batch, frames, classes, width] = [3, 5, 4, 2];
    const logits = randomLogits(new Rng(5), batch, frames, classes);
    const labels = [[1, 2], [3], [2, 2]];
    const cut = [3, 5, 4]; // row 1 uses every frame; [2, 2] needs 3 of row 2's 4
    const targets = tensor('int32', [batch, width], padded(labels, width));
    const plan = ctcPlan(targets, undefined, tensor('int32', [batch], cut));
    const x = tf.tensor3d(logits);
    const nll = ctcNegLogLikelihood(x, plan).arraySync();
    for (const [b, v] of nll.entries())
      expect(v).toBeCloseTo(bruteForceNll(logits[b].slice(0, cut[b]), labels[b]), 4);
    // Frames past a row's length get no gradient; the others do.
    const grad = tf
      .grad((y: tf.Tensor) => tf.sum(ctcNegLogLikelihood(y, plan)))(x)
      .arraySync() as number[][][];
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < frames; t++) {
        const size = Math.max(...grad[b][t].map(Math.abs));
        if (t < cut[b]) expect(size).toBeGreaterThan(1e-3);
        else expect(size).toBe(0);
      }
    x.dispose();
    disposePlan(plan);
  });

  it('has the gradient of the brute-force loss (central differences in float64)', () => {
    const [frames, classes] = [4, 3];
    const logits = randomLogits(new Rng(11), 1, frames, classes)[0];
    const labels = [1, 2];
    const plan = ctcPlan(tensor('int32', [1, 2], labels), undefined);
    const grad = tf
      .grad((x: tf.Tensor) => tf.sum(ctcNegLogLikelihood(x, plan)))(tf.tensor3d([logits]))
      .arraySync() as number[][][];
    const h = 1e-5;
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < classes; k++) {
        const plus = logits.map((r) => [...r]);
        const minus = logits.map((r) => [...r]);
        plus[t][k] += h;
        minus[t][k] -= h;
        const fd = (bruteForceNll(plus, labels) - bruteForceNll(minus, labels)) / (2 * h);
        expect(Math.abs(grad[0][t][k] - fd)).toBeLessThan(1e-4);
      }
    }
    disposePlan(plan);
  });

  it('refuses targets it cannot score, naming the row and the reason', () => {
    const check =
      (rows: number[], width: number, frames = 4, lengths?: number[]) =>
      () =>
        ctcCheckTargets(
          [rows.length / width, frames, 5],
          tensor('int32', [rows.length / width, width], rows),
          lengths && tensor('int32', [lengths.length], lengths),
          'targets',
        );
    expect(check([1, 2, -1], 3)).not.toThrow();
    expect(check([0, 2, -1], 3)).toThrow(/row 0: label 0 at position 0 is the blank/);
    expect(check([1, 5, -1], 3)).toThrow(/label 5 at position 1 is out of range \[1, 5\)/);
    expect(check([1, -1, 2], 3)).toThrow(/follows -1 padding/);
    expect(check([1, 1, 1], 3)).toThrow(
      /3 labels with 2 repeats need at least 5 frames, the output has 4/,
    );
    expect(check([1, 2, 3], 3, 4, [4])).toThrow(/targetLengths\[0\] is 4, outside \[0, 3\]/);
    expect(check([1, 2, 3], 3)).not.toThrow();
    const cut =
      (n: number[], labels = [1, 2]) =>
      () =>
        ctcCheckTargets(
          [n.length, 4, 5],
          tensor(
            'int32',
            [n.length, 2],
            n.flatMap(() => labels),
          ),
          undefined,
          'targets',
          tensor('int32', [n.length], n),
        );
    expect(cut([2, 4])).not.toThrow();
    expect(cut([4, 0])).toThrow(/inputLengths\[1\] is 0, outside \[1, 4\]/);
    expect(cut([5])).toThrow(/inputLengths\[0\] is 5, outside \[1, 4\]/);
    expect(cut([2], [1, 1])).toThrow(
      /row 0: 2 labels with 1 repeats need at least 3 frames, its input length is 2/,
    );
    expect(() =>
      ctcCheckTargets([2, 4, 5], tensor('int32', [1, 3], [1, 2, 3]), undefined, 'targets'),
    ).toThrow(InputError);
    expect(() =>
      ctcCheckTargets([1, 4, 5], tensor('int32', [1, 3], [1, 2, 3]), undefined, 'targets'),
    ).not.toThrow();
  });
});
