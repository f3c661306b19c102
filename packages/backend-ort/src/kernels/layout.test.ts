import { expect, test } from 'vitest';
import { reorderBlocks, transpose2d } from './layout.js';

test('transpose2d matches the definition out[c][r] = in[r][c] across tile edges', () => {
  for (const [rows, cols] of [
    [1, 1],
    [3, 70],
    [33, 31],
    [64, 65],
  ]) {
    const data = Float32Array.from({ length: rows * cols }, (_, i) => i);
    const out = transpose2d(data, rows, cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) expect(out[c * rows + r]).toBe(data[r * cols + c]);
  }
});

test('reorderBlocks puts block order[k] at position k', () => {
  // Blocks of 2: [a a b b c c d d] with order [0, 3, 1, 2] → [a a d d b b c c].
  const out = reorderBlocks(Float32Array.of(0, 0, 1, 1, 2, 2, 3, 3), [0, 3, 1, 2], 2);
  expect(Array.from(out)).toEqual([0, 0, 3, 3, 1, 1, 2, 2]);
});
