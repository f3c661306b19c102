// nn.Embedding: int32 ids [...] → rows of the table [..., embeddingDim].
import { z } from 'zod';
import { defineOp, float, nodeBase, positiveInt } from './common.js';

export const embedding = defineOp({
  op: 'embedding',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('embedding'),
    numEmbeddings: positiveInt,
    embeddingDim: positiveInt,
  }),
  arity: [1, 1],
  inputDtype: 'int32',
  infer(a, [ids]) {
    return { out: float([...ids.shape, a.embeddingDim]) };
  },
  weights(a) {
    return [
      {
        name: 'weight',
        shape: [a.numEmbeddings, a.embeddingDim],
        init: { kind: 'normal', std: 1 },
      },
    ];
  },
});
