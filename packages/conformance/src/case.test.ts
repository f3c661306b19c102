import { describe, expect, it } from 'vitest';
import { describeSpecial, materialise } from './case.js';
import { defineCase } from './cases/define.js';

const withSpecial = (special: Parameters<typeof defineCase>[1]['special']) =>
  defineCase('test/special', {
    inputs: { x: { shape: [2, 3, 4] }, ids: { dtype: 'int32', shape: [3] } },
    nodes: [
      { id: 'e', op: 'embedding', input: 'ids', numEmbeddings: 2, embeddingDim: 4 },
      { id: 's', op: 'add', input: ['x', 'e'] },
    ],
    special,
  });

describe('special values', () => {
  it('are written over the seeded input at their multi-index, the rest left as drawn', () => {
    const plain = materialise(withSpecial(undefined)).inputs.x.data;
    const c = withSpecial({
      x: [
        { at: [1, 2, 3], value: Number.NaN },
        { at: [0, 1, 0], value: Number.NEGATIVE_INFINITY },
      ],
    });
    const x = materialise(c).inputs.x.data;
    // Row-major: [1, 2, 3] is 1·12 + 2·4 + 3 = 23, [0, 1, 0] is 4.
    expect(Number.isNaN(x[23])).toBe(true);
    expect(x[4]).toBe(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < x.length; i++) if (i !== 23 && i !== 4) expect(x[i]).toBe(plain[i]);
    expect(describeSpecial(c)).toEqual(['x[1, 2, 3] = NaN', 'x[0, 1, 0] = -Infinity']);
  });

  it('refuse a position outside the shape, or an input that is not float32, naming it', () => {
    expect(() => materialise(withSpecial({ x: [{ at: [2, 0, 0], value: 1 }] }))).toThrow(
      'test/special: special value at x[2, 0, 0] is outside its shape [2, 3, 4]',
    );
    expect(() => materialise(withSpecial({ x: [{ at: [0, 0], value: 1 }] }))).toThrow(
      /x\[0, 0\] is outside its shape/,
    );
    expect(() => materialise(withSpecial({ ids: [{ at: [0], value: Number.NaN }] }))).toThrow(
      'test/special: special value at ids[0]: no float32 input ids',
    );
  });
});
