import { InputError, tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { epochBatches, exampleCount, shuffledOrder, takeBatch } from './data.js';

describe('shuffledOrder', () => {
  it('is a permutation, the same for the same seed and epoch, different otherwise', () => {
    const a = shuffledOrder(50, 42, 0);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffledOrder(50, 42, 0)).toEqual(a);
    expect(shuffledOrder(50, 43, 0)).not.toEqual(a);
    expect(shuffledOrder(50, 42, 1)).not.toEqual(a);
  });
});

describe('epochBatches', () => {
  it('covers every example once, in batches of batchSize with a smaller last one', () => {
    const batches = epochBatches(10, 4, true, 1, 0);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(epochBatches(5, 2, false, 1, 0)).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('takeBatch', () => {
  it('copies the chosen rows of every tensor', () => {
    const b = takeBatch(
      {
        inputs: { x: tensor('float32', [3, 2], [0, 1, 10, 11, 20, 21]) },
        targets: tensor('int32', [3], [5, 6, 7]),
      },
      [2, 0],
    );
    expect(Array.from(b.inputs.x.data)).toEqual([20, 21, 0, 1]);
    expect(b.inputs.x.shape).toEqual([2, 2]);
    expect(Array.from(b.targets.data)).toEqual([7, 5]);
  });
});

describe('exampleCount', () => {
  it('needs one batch size across inputs and targets', () => {
    const x = tensor('float32', [3, 2]);
    expect(exampleCount({ inputs: { x }, targets: tensor('int32', [3]) }, 'data')).toBe(3);
    expect(() => exampleCount({ inputs: { x }, targets: tensor('int32', [4]) }, 'data')).toThrow(
      /targets has 4 examples \(dim 0\) but x has 3/,
    );
    expect(() => exampleCount({ inputs: { x }, targets: tensor('int32', [4]) }, 'data')).toThrow(
      InputError,
    );
  });
});
