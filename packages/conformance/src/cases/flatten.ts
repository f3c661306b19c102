import { unaryCase } from './define.js';

export const flattenCases = [
  unaryCase(
    'flatten/default',
    ['batch', 3, 4, 5],
    { id: 'flat', op: 'flatten' },
    { description: 'startDim 1 to the end', bindings: { batch: 2 } },
  ),
  unaryCase(
    'flatten/middle',
    ['batch', 3, 4, 5],
    { id: 'flat', op: 'flatten', startDim: 1, endDim: 2 },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'flatten/negative-dims',
    ['batch', 2, 3, 5],
    { id: 'flat', op: 'flatten', startDim: -2, endDim: -1 },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'flatten/all',
    ['batch', 3, 4],
    { id: 'flat', op: 'flatten', startDim: 0 },
    { description: 'startDim 0: the batch dim is merged too', bindings: { batch: 2 } },
  ),
];
