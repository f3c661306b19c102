import { type Tensor, writeSafetensors } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { type PickedFile, readWeightFiles } from './weight-files';

const t = (...values: number[]): Tensor => ({
  dtype: 'float32',
  shape: [values.length],
  data: new Float32Array(values),
});
function picked(name: string, data: Uint8Array | string): PickedFile {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return {
    name,
    arrayBuffer: async () => bytes.slice().buffer,
    text: async () => new TextDecoder().decode(bytes),
  };
}
const A = 'model-00001-of-00002.safetensors';
const B = 'model-00002-of-00002.safetensors';
const index = picked(
  'model.safetensors.index.json',
  JSON.stringify({ metadata: {}, weight_map: { a: A, b: B } }),
);
const shardA = picked(A, writeSafetensors(new Map([['a', t(1, 2)]])));
const shardB = picked(B, writeSafetensors(new Map([['b', t(3)]])));

describe('readWeightFiles', () => {
  test('one .safetensors file', async () => {
    const got = await readWeightFiles([shardA]);
    expect(got.name).toBe(A);
    expect([...got.weights.keys()]).toEqual(['a']);
  });

  test('an index with its shards, in any order', async () => {
    const got = await readWeightFiles([shardB, index, shardA]);
    expect(got.name).toBe('model.safetensors.index.json + 2 shards');
    expect([...got.weights.get('b')!.data]).toEqual([3]);
  });

  test('says which shards are missing', async () => {
    await expect(readWeightFiles([index, shardA])).rejects.toThrow(
      `model.safetensors.index.json names 2 shards; missing: ${B} (choose the index together with every shard)`,
    );
  });

  test("the spec's shard checks name the tensor and the file", async () => {
    const wrong = picked(B, writeSafetensors(new Map([['c', t(3)]])));
    await expect(readWeightFiles([index, shardA, wrong])).rejects.toThrow(
      `c: is in ${B} but not in the index's weight_map`,
    );
  });

  test('several files without an index', async () => {
    await expect(readWeightFiles([shardA, shardB])).rejects.toThrow(
      'choose one .safetensors file, or a model.safetensors.index.json together with its shards',
    );
  });
});
