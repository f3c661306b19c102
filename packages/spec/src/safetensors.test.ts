import { describe, expect, test } from 'vitest';
import { WeightError } from './errors.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { Tensor } from './tensor.js';

/** Builds a file by hand: header JSON, then the given data bytes. */
function file(header: unknown, data: number[] | Uint8Array, declaredLength?: number): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function weightError(f: () => unknown): WeightError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WeightError);
    return e as WeightError;
  }
  throw new Error('expected a WeightError');
}

describe('safetensors', () => {
  test("writes a Map or a plain object alike (a model's outputs feed it as they are)", () => {
    const a: Tensor = { dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -2) };
    const b: Tensor = { dtype: 'int32', shape: [1], data: Int32Array.of(7) };
    const fromMap = writeSafetensors(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      { k: 'v' },
    );
    expect(writeSafetensors({ a, b }, { k: 'v' })).toEqual(fromMap);
    const back = readSafetensors(fromMap);
    expect([...back.tensors.keys()]).toEqual(['a', 'b']);
    expect(back.tensors.get('b')!.data).toEqual(Int32Array.of(7));
  });

  test('reads a hand-built file', () => {
    // 1.0f = 00 00 80 3F, -2.0f = 00 00 00 C0 (little-endian); int32 7 = 07 00 00 00.
    const bytes = file(
      {
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'I32', shape: [1], data_offsets: [8, 12] },
        __metadata__: { k: 'v' },
      },
      [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 7, 0, 0, 0],
    );
    const { tensors, metadata } = readSafetensors(bytes);
    expect([...tensors.get('a')!.data]).toEqual([1, -2]);
    expect(tensors.get('b')).toEqual({ dtype: 'int32', shape: [1], data: new Int32Array([7]) });
    expect(metadata).toEqual({ k: 'v' });
  });

  test('converts F16, BF16, F64 and I64', () => {
    // F16 0x3C00 = 1.0, 0xC000 = -2.0; BF16 0x3F80 = 1.0; F64 0.5 = 00..E0 3F; I64 -3.
    const f64 = new Uint8Array(new Float64Array([0.5]).buffer);
    const i64 = new Uint8Array(new BigInt64Array([-3n]).buffer);
    const bytes = file(
      {
        h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
        bf: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
        d: { dtype: 'F64', shape: [1], data_offsets: [6, 14] },
        n: { dtype: 'I64', shape: [1], data_offsets: [14, 22] },
      },
      [0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, ...f64, ...i64],
    );
    const t = readSafetensors(bytes).tensors;
    expect([...t.get('h')!.data]).toEqual([1, -2]);
    expect([...t.get('bf')!.data]).toEqual([1]);
    expect([...t.get('d')!.data]).toEqual([0.5]);
    expect(t.get('n')).toEqual({ dtype: 'int32', shape: [1], data: new Int32Array([-3]) });
  });

  test('F16 and BF16 bit patterns convert exactly to float32', () => {
    // F16 = sign(1) exponent(5, bias 15) fraction(10); exponent 0 is subnormal: 2^-14 · f/1024.
    const f16: [number, number][] = [
      [0x3c00, 1], // 0 01111 0000000000 = 2^0
      [0xc000, -2], // 1 10000 0000000000 = -2^1
      [0x3555, 0.333251953125], // 2^-2 · (1 + 341/1024)
      [0x7bff, 65504], // the largest finite: 2^15 · (1 + 1023/1024)
      [0x0400, 2 ** -14], // the smallest normal
      [0x0001, 2 ** -24], // the smallest subnormal: 2^-14 · 1/1024
      [0x03ff, 2 ** -14 * (1023 / 1024)], // the largest subnormal
      [0x8001, -(2 ** -24)],
      [0x0000, 0],
      [0x8000, -0],
      [0x7c00, Number.POSITIVE_INFINITY],
      [0xfc00, Number.NEGATIVE_INFINITY],
      [0x7e00, Number.NaN], // exponent 31 with a fraction
      [0x7c01, Number.NaN],
    ];
    // BF16 = the top 16 bits of a float32: 0x3F80 → 0x3F800000 = 1.
    const bf16: [number, number][] = [
      [0x3f80, 1],
      [0xc000, -2], // 0xC0000000
      [0x3eab, 0.333984375], // 0x3EAB0000 = 2^-2 · (1 + 0x2B/128)
      [0x0001, 2 ** -133], // 0x00010000: a float32 subnormal, 2^-126 · 2^-7
      [0x8000, -0],
      [0x7f80, Number.POSITIVE_INFINITY],
      [0xff80, Number.NEGATIVE_INFINITY],
      [0x7fc0, Number.NaN],
      [0x7f7f, 3.3895313892515355e38], // the largest finite: 0x7F7F0000
    ];
    const le = (xs: [number, number][]) => xs.flatMap(([h]) => [h & 0xff, h >> 8]);
    const bytes = file(
      {
        h: { dtype: 'F16', shape: [f16.length], data_offsets: [0, 2 * f16.length] },
        b: {
          dtype: 'BF16',
          shape: [bf16.length],
          data_offsets: [2 * f16.length, 2 * (f16.length + bf16.length)],
        },
      },
      [...le(f16), ...le(bf16)],
    );
    const t = readSafetensors(bytes).tensors;
    expect(t.get('h')!.dtype).toBe('float32');
    // toEqual tells -0 from 0 and treats NaN as NaN.
    expect([...t.get('h')!.data]).toEqual(f16.map(([, v]) => v));
    expect([...t.get('b')!.data]).toEqual(bf16.map(([, v]) => v));
  });

  test('a dtype that does not convert is an error naming the tensor', () => {
    for (const dtype of ['BOOL', 'U8', 'F8_E4M3'])
      expect(
        weightError(() =>
          readSafetensors(file({ flag: { dtype, shape: [1], data_offsets: [0, 1] } }, [1])),
        ).issues,
      ).toEqual([{ name: 'flag', message: expect.stringMatching(/unsupported dtype/) }]);
  });

  test('round-trips exactly, with metadata, and aligns the data to 8 bytes', () => {
    const tensors = new Map<string, Tensor>([
      [
        'w',
        {
          dtype: 'float32',
          shape: [2, 3],
          data: new Float32Array([1.5, -0, Number.NaN, 1e-40, 3, -7]),
        },
      ],
      ['ids', { dtype: 'int32', shape: [3], data: new Int32Array([-1, 0, 2147483647]) }],
      ['empty', { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const bytes = writeSafetensors(tensors, { spec: '{"a":1}' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ spec: '{"a":1}' });
    for (const [name, t] of tensors) {
      const b = back.tensors.get(name)!;
      expect(b.shape).toEqual(t.shape);
      expect(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(
        new Uint8Array(t.data.buffer),
      );
    }
  });

  test('rejects truncated and inconsistent files, naming the tensor', () => {
    const good = writeSafetensors(
      new Map([['w', { dtype: 'float32', shape: [4], data: new Float32Array(4) } as Tensor]]),
    );
    expect(weightError(() => readSafetensors(good.subarray(0, 5))).message).toMatch(
      /shorter than the 8-byte/,
    );
    expect(
      weightError(() => readSafetensors(good.subarray(0, good.length - 1))).issues[0].name,
    ).toBe('w');
    expect(weightError(() => readSafetensors(good.subarray(0, 20))).issues[0].name).toBe(
      '(header)',
    );
    expect(
      weightError(() =>
        readSafetensors(
          file({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
        ),
      ).message,
    ).toMatch(/w: has 4 bytes of data but F32 \[2\] needs 8/);
    expect(
      weightError(() =>
        readSafetensors(file({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, [0])),
      ).message,
    ).toMatch(/unsupported dtype/);
    expect(
      weightError(() =>
        readSafetensors(
          file({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
        ),
      ).message,
    ).toMatch(/invalid shape/);
    const overlap = file(
      {
        a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      },
      [0, 0, 0, 0],
    );
    expect(weightError(() => readSafetensors(overlap)).message).toMatch(/overlaps/);
    expect(
      weightError(() =>
        readSafetensors(
          file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0, 9]),
        ),
      ).message,
    ).toMatch(/data section has 5 bytes but the tensors cover 4/);
    expect(weightError(() => readSafetensors(file([1, 2], []))).message).toMatch(
      /not a JSON object/,
    );
    expect(weightError(() => readSafetensors(file({}, [], 1_000_000))).message).toMatch(
      /header claims/,
    );
    const i64 = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
    expect(
      weightError(() =>
        readSafetensors(file({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, i64)),
      ).message,
    ).toMatch(/does not fit int32/);
  });

  test('a __proto__ tensor name stays a plain name', () => {
    const bytes = file(
      JSON.parse('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'),
      [0, 0, 0x80, 0x3f],
    );
    const { tensors } = readSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
  });
});
