import { describe, expect, it } from 'vitest';
import { erf, erfc } from './erf.js';

// Values from standard tables (Abramowitz & Stegun table 7.1, to 20 digits in DLMF 7.2).
const table: [number, number][] = [
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [2, 0.9953222650189527],
];

describe('erf', () => {
  it('matches tabulated values to 1e-15', () => {
    for (const [x, want] of table) {
      expect(Math.abs(erf(x) - want)).toBeLessThan(1e-15);
      expect(Math.abs(erf(-x) + want)).toBeLessThan(1e-15);
    }
    expect(erf(0)).toBe(0);
    expect(erf(30)).toBe(1);
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NaN)).toBeNaN();
  });

  it('keeps erfc relatively precise in the tail', () => {
    // erfc(3) = 2.209049699858544e-5, erfc(5) = 1.5374597944280349e-12 (tables).
    expect(Math.abs(erfc(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(1e-14);
    expect(erfc(-5)).toBe(2 - erfc(5));
    expect(erfc(40)).toBe(0);
  });

  it('is continuous where the series hands over to the continued fraction', () => {
    const below = erf(2.5 - 1e-12);
    const above = erf(2.5);
    expect(Math.abs(above - below)).toBeLessThan(1e-14);
  });
});
