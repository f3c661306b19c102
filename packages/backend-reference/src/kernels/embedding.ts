// nn.Embedding: ids [...] → weight rows [..., embeddingDim]. checkInputs already bounds model
// inputs; the kernel checks again, since ids could reach it some other way.
import { InputError } from '@tessera/spec';
import type { Kernel } from './types.js';

export const embedding: Kernel<'embedding'> = (node, [ids], ctx) => {
  const table = ctx.weight(node, 'weight');
  const dim = node.embeddingDim;
  const data = new Float64Array(ids.data.length * dim);
  for (let i = 0; i < ids.data.length; i++) {
    const id = ids.data[i];
    if (!Number.isInteger(id) || id < 0 || id >= node.numEmbeddings) {
      throw new InputError(
        `id ${id} at flat index ${i} is out of range [0, ${node.numEmbeddings}) of embedding ${JSON.stringify(node.id)}`,
        node.input[0],
      );
    }
    data.set(table.data.subarray(id * dim, (id + 1) * dim), i * dim);
  }
  return { shape: [...ids.shape, dim], data };
};
