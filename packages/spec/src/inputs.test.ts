import { describe, expect, test } from 'vitest';
import { InputError } from './errors.js';
import { parseSpec } from './graph.js';
import { checkInputs } from './inputs.js';
import { transformerLM } from './presets/index.js';
import { defaultBindings, randomInputs } from './random-inputs.js';
import { tensor } from './tensor.js';

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: {
    x: { dtype: 'float32', shape: ['batch', 'time', 3] },
    m: { dtype: 'float32', shape: ['batch', 'time', 3] },
  },
  outputs: { y: 's' },
  nodes: [{ id: 's', op: 'add', input: ['x', 'm'] }],
});

function issues(inputs: Record<string, unknown>) {
  try {
    checkInputs(spec, inputs as never);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error('expected an InputError');
}

describe('checkInputs', () => {
  test('binds symbolic dims and returns shapes', () => {
    const r = checkInputs(spec, {
      x: tensor('float32', [2, 5, 3]),
      m: tensor('float32', [2, 5, 3]),
    });
    expect(r.bindings).toEqual({ batch: 2, time: 5 });
    expect(r.shapes.get('s')!.shape).toEqual([2, 5, 3]);
  });

  test('missing, extra, wrong dtype, wrong rank, inconsistent binding, wrong fixed dim', () => {
    expect(issues({ x: tensor('float32', [2, 5, 3]) })).toEqual([
      { name: 'm', message: expect.stringMatching(/is missing/) },
    ]);
    expect(
      issues({
        x: tensor('float32', [2, 5, 3]),
        m: tensor('float32', [2, 5, 3]),
        z: tensor('float32', [1]),
      })[0].name,
    ).toBe('z');
    expect(issues({ x: tensor('int32', [2, 5, 3]), m: tensor('float32', [2, 5, 3]) })).toEqual([
      { name: 'x', message: 'has dtype int32 (Int32Array), expected float32' },
    ]);
    expect(
      issues({ x: tensor('float32', [2, 5]), m: tensor('float32', [2, 5, 3]) })[0].message,
    ).toMatch(/rank 2/);
    expect(issues({ x: tensor('float32', [2, 5, 3]), m: tensor('float32', [2, 6, 3]) })).toEqual([
      { name: 'm', message: 'dim 1 (time) is 6, but x binds time = 5' },
    ]);
    expect(
      issues({ x: tensor('float32', [2, 5, 4]), m: tensor('float32', [2, 5, 3]) })[0].message,
    ).toBe('dim 2 is 4, expected 3');
  });

  test('data length must match the shape', () => {
    const bad = { dtype: 'float32', shape: [2, 5, 3], data: new Float32Array(29) };
    expect(issues({ x: bad, m: tensor('float32', [2, 5, 3]) })[0].message).toMatch(
      /holds 29 values/,
    );
  });

  test('token ids in range, and the sequence within maxLength', () => {
    const lm = transformerLM({ vocabSize: 10, maxLength: 8 });
    expect(() => checkInputs(lm, { tokens: tensor('int32', [1, 3], [1, 2, 10]) })).toThrow(
      /id 10 at flat index 2 is out of range \[0, 10\)/,
    );
    expect(() => checkInputs(lm, { tokens: tensor('int32', [1, 3], [1, -1, 0]) })).toThrow(/id -1/);
    expect(() => checkInputs(lm, { tokens: tensor('int32', [1, 9]) })).toThrow(InputError);
    expect(() => checkInputs(lm, { tokens: tensor('int32', [1, 9]) })).toThrow(
      /maxLength: is 8 but the sequence has 9 steps/,
    );
  });

  test('activation limit', () => {
    expect(() =>
      checkInputs(
        spec,
        { x: tensor('float32', [2, 5, 3]), m: tensor('float32', [2, 5, 3]) },
        { limits: { maxActivationElements: 10 } },
      ),
    ).toThrow(/30 elements .* over the limit of 10/);
  });
});

describe('randomInputs', () => {
  test('reproducible, in range, and accepted by checkInputs', () => {
    const lm = transformerLM({ vocabSize: 7 });
    const b = defaultBindings(lm, { time: 5 });
    expect(b).toEqual({ time: 5, batch: 2 });
    const a = randomInputs(lm, b, 3);
    expect(randomInputs(lm, b, 3)).toEqual(a);
    expect(randomInputs(lm, b, 4)).not.toEqual(a);
    expect([...a.tokens.data].every((v) => v >= 0 && v < 7)).toBe(true);
    checkInputs(lm, a);
  });
});

describe('limits inside composites', () => {
  const attention = parseSpec({
    format: 'tessera.model/v1',
    name: 'a',
    inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 8] } },
    outputs: { y: 'mha' },
    nodes: [{ id: 'mha', op: 'multiHeadAttention', embedDim: 8, numHeads: 2 }],
  });
  test('attention scores [B, h, T, T] count, named by the composite', () => {
    // time 64: the outputs are 512 elements, the scores 1·2·64·64 = 8192.
    const x = { dtype: 'float32' as const, shape: [1, 64, 8], data: new Float32Array(512) };
    expect(() =>
      checkInputs(attention, { x }, { limits: { maxActivationElements: 4096 } }),
    ).toThrow(
      /mha: would hold 8,192 elements \[1, 2, 64, 64\] \(inside its sub-node mha\.scores, matmul\), over the limit of 4,096/,
    );
    expect(() =>
      checkInputs(attention, { x }, { limits: { maxActivationElements: 8192 } }),
    ).not.toThrow();
  });
  test('random inputs are checked before they are made', () => {
    expect(() => randomInputs(attention, { batch: 1, time: 16384 }, 0)).toThrow(
      /mha: would hold 536,870,912 elements \[1, 2, 16384, 16384\]/,
    );
  });
});
