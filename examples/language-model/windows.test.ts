import { expect, test } from 'vitest';
import { randomWindows } from './windows.ts';

test('targets are the inputs shifted by one token, windows stay inside the text, same seed same windows', () => {
  const ids = Int32Array.from({ length: 50 }, (_, i) => i); // id = position, so shifts are visible
  const a = randomWindows(ids, 20, 8, 3);
  const x = a.inputs.tokens.data;
  const y = a.targets.data;
  expect(a.inputs.tokens.shape).toEqual([20, 8]);
  for (let i = 0; i < 20; i++) {
    for (let t = 0; t < 8; t++) expect(y[i * 8 + t]).toBe(x[i * 8 + t] + 1);
    expect(x[i * 8]).toBeGreaterThanOrEqual(0);
    expect(y[i * 8 + 7]).toBeLessThan(50);
  }
  expect(randomWindows(ids, 20, 8, 3).inputs.tokens.data).toEqual(x);
  expect(randomWindows(ids, 20, 8, 4).inputs.tokens.data).not.toEqual(x);
  expect(() => randomWindows(ids.subarray(0, 8), 1, 8, 0)).toThrow(RangeError);
});
