import { tensor } from '@tessera/spec';
import { defineCase } from './define.js';

export const embeddingCases = [
  defineCase('embedding/basic', {
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    nodes: [{ id: 'embed', op: 'embedding', numEmbeddings: 13, embeddingDim: 6 }],
    bindings: { batch: 2, time: 7 },
  }),
  defineCase('embedding/then-linear', {
    description: 'ids → rows → linear, the first layers of a language model',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: 7, embeddingDim: 5 },
      { id: 'fc', op: 'linear', inFeatures: 5, outFeatures: 3 },
    ],
    bindings: { batch: 3, time: 4 },
  }),
  {
    ...defineCase('embedding/boundary-ids', {
      description: 'the first and last rows of the table (ids 0 and 12), repeated',
      inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
      nodes: [{ id: 'embed', op: 'embedding', numEmbeddings: 13, embeddingDim: 3 }],
      bindings: { batch: 2, time: 4 },
    }),
    inputs: () => ({ tokens: tensor('int32', [2, 4], [0, 12, 12, 0, 6, 0, 12, 1]) }),
  },
];
