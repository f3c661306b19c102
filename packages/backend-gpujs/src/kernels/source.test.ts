import { describe, expect, test } from 'vitest';
import { coords, kernelFunction, lit, offset } from './source.js';

describe('lit', () => {
  test('formats integers exactly and other numbers to float32 precision', () => {
    expect(lit(0)).toBe('0');
    expect(lit(-12)).toBe('-12');
    expect(lit(8388608)).toBe('8388608');
    expect(Number(lit(1e-5))).toBeCloseTo(1e-5, 12);
    expect(Math.fround(Number(lit(Math.PI)))).toBe(Math.fround(Math.PI));
  });

  test('refuses anything but a finite number', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1; eval("x")',
      '2',
      null,
      undefined,
      {},
    ]) {
      expect(() => lit(bad as number)).toThrow(TypeError);
    }
  });
});

test('coords and offset build the row-major index arithmetic', () => {
  // [2, 3, 4]: strides 12, 4, 1.
  expect(coords('c', 'i', [2, 3, 4])).toBe(
    'const c0 = Math.floor(i / 12);\nconst c1 = Math.floor(i / 4) % 3;\nconst c2 = i % 4;',
  );
  expect(offset(['c0', 'c1', 'c2'], [12, 0, 1])).toBe('c0 * 12 + c2');
  expect(offset(['c0'], [0])).toBe('0');
});

test('kernelFunction names the arguments a0..an and the flat index i', () => {
  expect(kernelFunction(2, 'return a0[i] + a1[i];')).toBe(
    'function(a0, a1) {\nconst i = this.thread.x;\nreturn a0[i] + a1[i];\n}',
  );
});
