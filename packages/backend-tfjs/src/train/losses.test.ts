import * as tf from '@tensorflow/tfjs';
import { InputError, Rng, tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { checkTargets, disposeTargets, meanLoss, prepareTargets, resolveLoss } from './losses.js';

function random(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.range(-3, 3));
}

/** −log softmax(row)[k] in float64. */
function nll(row: number[], k: number): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0)) - row[k];
}

function lossOf(
  kind: Parameters<typeof resolveLoss>[0],
  logits: tf.Tensor,
  targets: ReturnType<typeof tensor>,
): number {
  const loss = resolveLoss(kind);
  const t = prepareTargets(loss, targets);
  const value = tf.tidy(() => meanLoss(loss, logits, t));
  const out = value.arraySync();
  tf.dispose([value, logits]);
  disposeTargets(t);
  return out;
}

describe('crossEntropy', () => {
  it('is the mean −log softmax of the target class, for class ids [B] and logits [B, C]', () => {
    const rng = new Rng(1);
    const [b, c] = [5, 4];
    const x = random(rng, b * c);
    const ids = [0, 3, 1, 1, 2];
    const want = ids.reduce((s, k, i) => s + nll(x.slice(i * c, (i + 1) * c), k), 0) / b;
    expect(lossOf('crossEntropy', tf.tensor2d(x, [b, c]), tensor('int32', [b], ids))).toBeCloseTo(
      want,
      5,
    );
  });

  it('averages over next-token ids [B, T] against logits [B, T, V], skipping ignoreIndex', () => {
    const rng = new Rng(2);
    const [b, t, v] = [2, 3, 5];
    const x = random(rng, b * t * v);
    const ids = [4, -100, 0, 2, 2, -100];
    let sum = 0;
    let count = 0;
    ids.forEach((k, i) => {
      if (k === -100) return;
      sum += nll(x.slice(i * v, (i + 1) * v), k);
      count++;
    });
    expect(
      lossOf(
        { kind: 'crossEntropy', ignoreIndex: -100 },
        tf.tensor3d(x, [b, t, v]),
        tensor('int32', [b, t], ids),
      ),
    ).toBeCloseTo(sum / count, 5);
  });

  it('refuses ids out of range and targets of the wrong shape or dtype', () => {
    const ce = resolveLoss('crossEntropy');
    expect(() =>
      checkTargets(ce, [2, 3], tensor('int32', [2], [0, 3]), undefined, 'targets'),
    ).toThrow(/target id 3 at flat index 1 is out of range \[0, 3\)/);
    expect(() =>
      checkTargets(ce, [2, 3], tensor('int32', [2], [0, -1]), undefined, 'targets'),
    ).toThrow(InputError);
    expect(() =>
      checkTargets(
        ce,
        [2, 4, 3],
        tensor('int32', [2, 3], [0, 1, 2, 0, 1, 2]),
        undefined,
        'targets',
      ),
    ).toThrow(/expected \[2, 4\]/);
    expect(() =>
      checkTargets(ce, [2, 3], tensor('float32', [2], [0, 1]), undefined, 'targets'),
    ).toThrow(/must be int32/);
    expect(() =>
      checkTargets(
        resolveLoss({ kind: 'crossEntropy', ignoreIndex: -1 }),
        [2, 3],
        tensor('int32', [2], [0, -1]),
        undefined,
        'targets',
      ),
    ).not.toThrow();
  });
});

describe('mse', () => {
  it('is the mean squared difference over every element', () => {
    const rng = new Rng(3);
    const y = random(rng, 6);
    const t = random(rng, 6);
    const want = y.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / 6;
    expect(lossOf('mse', tf.tensor2d(y, [2, 3]), tensor('float32', [2, 3], t))).toBeCloseTo(
      want,
      5,
    );
  });

  it('needs float32 targets of the output shape', () => {
    const mse = resolveLoss('mse');
    expect(() =>
      checkTargets(mse, [2, 3], tensor('float32', [2, 2]), undefined, 'batch 1 targets'),
    ).toThrow(
      /batch 1 targets: mse targets have shape \[2, 2\], expected the output's shape \[2, 3\]/,
    );
    expect(() => checkTargets(mse, [2], tensor('int32', [2]), undefined, 'targets')).toThrow(
      /must be float32/,
    );
  });
});

describe('resolveLoss', () => {
  it('names the losses it knows', () => {
    expect(() => resolveLoss('hinge' as never)).toThrow(/unknown loss "hinge"/);
    expect(() => resolveLoss(undefined)).toThrow(/options.loss is required/);
  });
});
