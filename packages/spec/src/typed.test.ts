import { describe, expect, it } from 'vitest';
import type { CompiledModel } from './backend.js';
import { SpecError } from './errors.js';
import { parseSpec } from './graph.js';
import { float32, int32, tensor, tensorRecord } from './tensor.js';
import { defineSpec, typedModel } from './typed.js';

const literal = {
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: ['batch', 4] } },
  outputs: { y: 'fc' },
  nodes: [{ id: 'fc', op: 'linear', inFeatures: 4, outFeatures: 2 }],
} as const;

describe('defineSpec', () => {
  it('parses as parseSpec does: defaults filled, inputs explicit', () => {
    const spec = defineSpec(literal);
    expect(spec.name).toBe('model');
    expect(spec.nodes[0]).toMatchObject({ id: 'fc', input: ['x'], bias: true });
  });

  it('refuses a bad spec with a SpecError naming the path', () => {
    const bad = { ...literal, outputs: { y: 'nowhere' } } as const;
    expect(() => defineSpec(bad)).toThrow(SpecError);
    expect(() => defineSpec(bad)).toThrow(/outputs\.y/);
  });
});

describe('typedModel', () => {
  // A model that answers with the input names it received, as their lengths.
  const echo = (): CompiledModel => ({
    run: async (inputs) => ({ names: int32(Object.keys(inputs).map((k) => k.length)) }),
    dispose: async () => {},
  });

  it('lets run take a Map as well as an object', async () => {
    const model = typedModel(parseSpec(literal), echo());
    const inputs = { x: float32([1, 2, 3, 4], [1, 4]), xs: float32([0]) };
    // Either way the model sees the names x and xs (lengths 1 and 2), in order.
    expect(
      Array.from((await model.run(new Map(Object.entries(inputs)))).names?.data ?? []),
    ).toEqual([1, 2]);
    expect(Array.from((await model.run(inputs)).names?.data ?? [])).toEqual([1, 2]);
  });
});

describe('tensor constructors', () => {
  it('tensor(data, shape) takes the dtype from the data', () => {
    expect(tensor(new Int32Array([1, 2]), [2])).toEqual({
      dtype: 'int32',
      shape: [2],
      data: new Int32Array([1, 2]),
    });
    expect(tensor([1, 2, 3, 4, 5, 6], [2, 3]).dtype).toBe('float32');
    expect(tensor(new Float32Array(3)).shape).toEqual([3]);
    // The older form still works: dtype, shape, optional data.
    expect(tensor('int32', [1, 3], [5, 2, 7]).data).toEqual(new Int32Array([5, 2, 7]));
  });

  it('float32 and int32 copy their data and check the count', () => {
    const values = [0.5, -1, 2];
    const t = float32(values, [1, 3]);
    values[0] = 9;
    expect(Array.from(t.data)).toEqual([0.5, -1, 2]);
    expect(int32([3, 1, 4], [1, 3])).toEqual({
      dtype: 'int32',
      shape: [1, 3],
      data: new Int32Array([3, 1, 4]),
    });
    expect(() => float32([1, 2, 3], [2, 2])).toThrow(/shape \[2, 2\] needs 4 values, got 3/);
  });

  it('int32 refuses what Int32Array would truncate or wrap', () => {
    expect(() => int32([1.5])).toThrow(/value 1.5 at index 0 is not an int32/);
    expect(() => int32([0, 2 ** 31])).toThrow(/value 2147483648 at index 1/);
    expect(int32([-(2 ** 31)]).data[0]).toBe(-2147483648);
  });

  it('tensorRecord gives a Map as an object and an object as it is', () => {
    const a = float32([1]);
    const record = { a };
    expect(tensorRecord(new Map([['a', a]]))).toEqual(record);
    expect(tensorRecord(record)).toBe(record);
  });
});
