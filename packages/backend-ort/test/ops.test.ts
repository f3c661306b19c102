// What the conformance catalogue cannot judge: an output that is a model input comes back with
// its own dtype. (The lowerings whose options the catalogue varies, every attention path and
// opset included, are judged in test/conformance.test.ts.)
import type { Backend } from '@tessera/spec';
import { initWeights } from '@tessera/spec';
import { beforeAll, describe, expect, test } from 'vitest';
import { createBackend } from '../src/index.js';
import { spec } from './helpers.js';

const variants = ['node', 'wasm'] as const;

describe.each(variants)('ort:%s', (variant) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend({ variant });
  });

  test('an output that is a model input keeps its dtype (int32 ids echoed back)', async () => {
    const s = spec({
      inputs: { ids: { dtype: 'int32', shape: ['batch', 3] } },
      outputs: { y: 'embed', echo: 'ids' },
      nodes: [{ id: 'embed', op: 'embedding', numEmbeddings: 7, embeddingDim: 2 }],
    });
    const model = await backend.compile(s, initWeights(s, 1));
    const ids = { dtype: 'int32' as const, shape: [2, 3], data: Int32Array.of(0, 1, 2, 6, 5, 4) };
    const out = await model.run({ ids });
    await model.dispose();
    expect(out.echo).toEqual({ dtype: 'int32', shape: [2, 3], data: ids.data });
    expect(out.y.shape).toEqual([2, 3, 2]);
  });
});
