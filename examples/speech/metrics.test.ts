import { describe, expect, test } from 'vitest';
import { classification, greedyCtc } from './metrics.ts';

describe('greedy CTC decoding', () => {
  test('collapses repeats and drops blanks, keeping a repeat separated by a blank', () => {
    // Frame argmaxes: 0 3 3 0 3 2 2 0 → collapse → 0 3 0 3 2 0 → drop blanks → 3 3 2.
    const argmax = [0, 3, 3, 0, 3, 2, 2, 0];
    const logits = argmax.flatMap((a) => [0, 1, 2, 3].map((c) => (c === a ? 5 : 0)));
    expect(greedyCtc(logits, 0, argmax.length, 4)).toEqual([3, 3, 2]);
    expect(greedyCtc([9, 0, 9, 0], 0, 2, 2)).toEqual([]);
  });
});

describe('classification metrics', () => {
  test('hand-worked example with a rejected utterance', () => {
    // truth 0 0 1 1, predicted 0 1 1 −1: class 0 P=1/1 R=1/2 F1=2/3; class 1 P=1/2 R=1/2 F1=1/2.
    const r = classification([0, 0, 1, 1], [0, 1, 1, -1], 2);
    expect(r.accuracy).toBe(0.5);
    expect(r.rejected).toBe(1);
    expect(r.perClass[0].f1).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1].f1).toBeCloseTo(1 / 2, 12);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
  });
});
