import { describe, expect, test } from 'vitest';
import {
  BOS,
  EOS,
  editDistance,
  numberPairs,
  numberWords,
  padPairs,
  vocabularies,
} from './data.ts';

describe('numbers in words', () => {
  test('written out as American English without "and" or hyphens', () => {
    const cases: [number, string][] = [
      [0, 'zero'],
      [7, 'seven'],
      [13, 'thirteen'],
      [40, 'forty'],
      [99, 'ninety nine'],
      [100, 'one hundred'],
      [101, 'one hundred one'],
      [1000, 'one thousand'],
      [1010, 'one thousand ten'],
      [4071, 'four thousand seventy one'],
      [9999, 'nine thousand nine hundred ninety nine'],
    ];
    for (const [n, words] of cases) expect(numberWords(n).join(' ')).toBe(words);
    expect(() => numberWords(10000)).toThrow(/10000 is not in 0..9999/);
  });

  test('the split holds every number once; the same seed gives the same split', () => {
    const a = numberPairs(0.1, 3);
    expect(a.test).toHaveLength(1000);
    const all = new Set([...a.train, ...a.test].map((p) => p.digits));
    expect(all.size).toBe(10000);
    expect(numberPairs(0.1, 3).test.map((p) => p.digits)).toEqual(a.test.map((p) => p.digits));
    expect(numberPairs(0.1, 4).test.map((p) => p.digits)).not.toEqual(a.test.map((p) => p.digits));
  });

  test('a padded batch: targets shifted by one, -1 past each end, the lengths of each row', () => {
    const v = vocabularies();
    const b = padPairs(
      [
        { digits: '7', words: ['seven'] },
        { digits: '101', words: ['one', 'hundred', 'one'] },
      ],
      v,
    );
    const [seven, one, hundred] = v.tgt.encode(['seven', 'one', 'hundred']);
    expect(b.inputs.src.shape).toEqual([2, 3]);
    expect([...b.inputs.src.data]).toEqual([...v.src.encode('7'), 0, 0, ...v.src.encode('101')]);
    expect(b.inputs.tgt.shape).toEqual([2, 4]);
    expect([...b.inputs.tgt.data]).toEqual([BOS, seven, 0, 0, BOS, one, hundred, one]);
    expect([...b.targets.data]).toEqual([seven, EOS, -1, -1, one, hundred, one, EOS]);
    expect([...b.inputs.src_lengths.data]).toEqual([1, 3]);
    expect([...b.inputs.tgt_lengths.data]).toEqual([2, 4]);
  });

  test('edit distance', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([], ['a', 'b'])).toBe(2);
    expect(editDistance(['one', 'hundred'], ['one', 'hundred', 'one'])).toBe(1);
  });
});
