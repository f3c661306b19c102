// nn.Embedding: int32 ids [...] → rows of the table [..., embeddingDim]; every id must be in
// [0, numEmbeddings). No fuzzing rule: random graphs carry floats (their `tokens` start draws
// an embedding first).
import { z } from 'zod';
import { defineOp, float, nodeBase, pointwise, positiveInt, weightPrefix } from './common.js';

export const embedding = defineOp({
  op: 'embedding',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('embedding')
      .describe('nn.Embedding: int32 ids [...] → rows of a learned table [..., embeddingDim]'),
    numEmbeddings: positiveInt.describe(
      '`num_embeddings` of nn.Embedding: the rows of the table (the vocabulary size); every id must lie in [0, numEmbeddings)',
    ),
    embeddingDim: positiveInt.describe('`embedding_dim` of nn.Embedding: the width of each row'),
  }),
  arity: [1, 1],
  decode: pointwise,
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
  idBound: (a) => a.numEmbeddings,
  checkValues(a, _input, data) {
    for (let i = 0; i < data.length; i++) {
      const id = data[i];
      if (id < 0 || id >= a.numEmbeddings)
        return `id ${id} at flat index ${i} is out of range [0, ${a.numEmbeddings})`;
    }
    return undefined;
  },
  flops: () => 0, // a gather
  examples: [
    {
      input: { dtype: 'int32', shape: ['b', 't'] },
      node: { numEmbeddings: 10, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: { 'n.weight': [10, 4] },
    },
  ],
});
