import { describe, expect, test } from 'vitest';
import { WeightError } from './errors.js';
import { writeSafetensors } from './safetensors.js';
import { joinShards, parseShardIndex, shardFiles } from './safetensors-index.js';
import type { Tensor } from './tensor.js';

const t = (...values: number[]): Tensor => ({
  dtype: 'float32',
  shape: [values.length],
  data: new Float32Array(values),
});
const shard = (entries: Record<string, Tensor>) =>
  writeSafetensors(new Map(Object.entries(entries)));
const A = 'model-00001-of-00002.safetensors';
const B = 'model-00002-of-00002.safetensors';
const index = parseShardIndex(
  JSON.stringify({ metadata: { total_size: 20 }, weight_map: { a: A, b: A, c: B } }),
);

function issues(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WeightError);
    return (e as WeightError).issues;
  }
  throw new Error('expected a WeightError');
}

describe('sharded safetensors', () => {
  test('joins the shards the index names', () => {
    expect(shardFiles(index)).toEqual([A, B]);
    expect(index.metadata).toEqual({ total_size: 20 });
    const { tensors } = joinShards(
      index,
      new Map([
        [A, shard({ a: t(1, 2), b: t(3) })],
        [B, shard({ c: t(4, 5) })],
      ]),
    );
    expect([...tensors.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect([...tensors.get('c')!.data]).toEqual([4, 5]);
  });

  test('reports every problem, naming the tensor and the file', () => {
    // a is missing from A, x is in A but not indexed, c is in both shards (the index says B).
    expect(
      issues(() =>
        joinShards(
          index,
          new Map([
            [A, shard({ b: t(3), x: t(0), c: t(9) })],
            [B, shard({ c: t(4, 5) })],
          ]),
        ),
      ),
    ).toEqual([
      { name: 'x', message: `is in ${A} but not in the index's weight_map` },
      { name: 'c', message: `is in ${A} but the index places it in ${B}` },
      { name: 'c', message: `is in two shards, ${A} and ${B}` },
      { name: 'a', message: `is in ${A} according to the index, but ${A} does not hold it` },
    ]);
  });

  test('a missing shard names the file and a tensor it should hold', () => {
    expect(issues(() => joinShards(index, new Map([[B, shard({ c: t(4, 5) })]])))).toEqual([
      {
        name: 'a',
        message: `is in shard ${A} according to the index, but that file is missing (and 1 more tensor the index places there)`,
      },
    ]);
  });

  test('a broken shard names the shard', () => {
    const bytes = shard({ c: t(4, 5) });
    const got = issues(() =>
      joinShards(
        index,
        new Map([
          [A, shard({ a: t(1, 2), b: t(3) })],
          [B, bytes.subarray(0, bytes.length - 1)],
        ]),
      ),
    );
    expect(got[0].name).toBe('c');
    expect(got[0].message).toMatch(new RegExp(`^in ${B}: its data ends`));
  });

  test('rejects a malformed index', () => {
    expect(issues(() => parseShardIndex('{'))[0].name).toBe('(index)');
    expect(issues(() => parseShardIndex({ metadata: {} }))[0].name).toBe('weight_map');
    expect(issues(() => parseShardIndex({ weight_map: {} }))[0].message).toBe('lists no tensors');
    expect(issues(() => parseShardIndex({ weight_map: { a: '../x.safetensors', b: 3 } }))).toEqual([
      {
        name: 'a',
        message:
          'has shard "../x.safetensors" in weight_map; expected a file name beside the index',
      },
      { name: 'b', message: 'has shard 3 in weight_map; expected a file name beside the index' },
    ]);
  });
});
