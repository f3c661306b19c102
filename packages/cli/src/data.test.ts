import { buildPreset, parseSpec } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { parseDataset } from './data.js';

const lm = buildPreset('charRnnLM', { vocabSize: 10 });
const mlp = parseSpec({
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: ['batch', 2] } },
  outputs: { y: 'fc' },
  nodes: [{ id: 'fc', op: 'linear', inFeatures: 2, outFeatures: 3 }],
});
const lines = (...records: unknown[]) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

describe('parseDataset', () => {
  it('stacks examples along a new batch dim in the spec dtypes', () => {
    const text = lines({ inputs: { x: [1, 2] }, target: 0 }, '', {
      inputs: { x: [3.5, -4] },
      target: 2,
    });
    const d = parseDataset(text, mlp, { targetDtype: 'int32' });
    expect(d.size).toBe(2);
    expect(d.inputs.x).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      data: new Float32Array([1, 2, 3.5, -4]),
    });
    expect(d.targets).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([0, 2]) });
  });

  it('binds symbolic dims from the first example and int32 ids stay integers', () => {
    const text = lines(
      { inputs: { tokens: [1, 2, 3] }, target: [2, 3, 4] },
      { inputs: { tokens: [4, 5, 6] }, target: [5, 6, 7] },
    );
    const d = parseDataset(text, lm, { targetDtype: 'int32' });
    expect(d.inputs.tokens).toEqual({
      dtype: 'int32',
      shape: [2, 3],
      data: new Int32Array([1, 2, 3, 4, 5, 6]),
    });
    expect(d.targets.shape).toEqual([2, 3]);
  });

  it('float targets for mse keep their shape', () => {
    const d = parseDataset(lines({ inputs: { x: [0, 0] }, target: [0.5, 1, 1.5] }), mlp, {
      targetDtype: 'float32',
    });
    expect(d.targets).toEqual({
      dtype: 'float32',
      shape: [1, 3],
      data: new Float32Array([0.5, 1, 1.5]),
    });
  });

  it('pads CTC label sequences with -1', () => {
    const text = lines(
      { inputs: { x: [0, 0] }, target: [1, 2, 3] },
      { inputs: { x: [0, 0] }, target: [4] },
    );
    const d = parseDataset(text, mlp, { targetDtype: 'int32', padTargets: true });
    expect(d.targets).toEqual({
      dtype: 'int32',
      shape: [2, 3],
      data: new Int32Array([1, 2, 3, 4, -1, -1]),
    });
  });

  it.each([
    ['not JSON', lines('{"inputs":'), /^d\.jsonl:1: is not valid JSON/],
    ['a missing input', lines({ inputs: {}, target: 0 }), /^d\.jsonl:1: inputs\.x: is missing/],
    [
      'an unknown input',
      lines({ inputs: { x: [1, 2], z: 1 }, target: 0 }),
      /^d\.jsonl:1: inputs\.z: is not an input/,
    ],
    [
      'a wrong width',
      lines({ inputs: { x: [1, 2, 3] }, target: 0 }),
      /^d\.jsonl:1: inputs\.x: dim 0 is 3, expected 2/,
    ],
    [
      'a ragged array',
      lines({ inputs: { x: [[1, 2], [3]] }, target: 0 }),
      /^d\.jsonl:1: inputs\.x: is not rectangular/,
    ],
    [
      'a string value',
      lines({ inputs: { x: [1, 'a'] }, target: 0 }),
      /^d\.jsonl:1: inputs\.x: holds "a", not a finite number/,
    ],
    [
      'a fractional class id',
      lines({ inputs: { x: [1, 2] }, target: 0.5 }),
      /^d\.jsonl:1: target: holds 0\.5, not an integer/,
    ],
    ['a missing target', lines({ inputs: { x: [1, 2] } }), /^d\.jsonl:1: target: is missing/],
    [
      'targets of two shapes',
      lines({ inputs: { x: [1, 2] }, target: 0 }, { inputs: { x: [1, 2] }, target: [0] }),
      /^d\.jsonl:2: target: has shape \[1\], but line 1 has \[\]/,
    ],
    ['no examples', '\n\n', /^d\.jsonl: holds no examples/],
  ])('names the line and field for %s', (_, text, message) => {
    expect(() => parseDataset(text, mlp, { targetDtype: 'int32' }, 'd.jsonl')).toThrow(message);
  });

  it('refuses examples whose symbolic dims differ, naming both lines', () => {
    const text = lines(
      { inputs: { tokens: [1, 2, 3] }, target: [1, 1, 1] },
      { inputs: { tokens: [1, 2] }, target: [1, 1] },
    );
    expect(() => parseDataset(text, lm, { targetDtype: 'int32' }, 'd.jsonl')).toThrow(
      /^d\.jsonl:2: inputs\.tokens: dim 0 \(time\) is 2, but line 1 has time = 3/,
    );
  });

  it('refuses float values for int32 inputs', () => {
    expect(() =>
      parseDataset(
        lines({ inputs: { tokens: [1.5] }, target: [1] }),
        lm,
        { targetDtype: 'int32' },
        'd',
      ),
    ).toThrow(/inputs\.tokens: holds 1\.5, not an integer \(the model takes int32 ids\)/);
  });
});
