import { unaryCase } from './define.js';

export const globalAvgPoolCases = [
  unaryCase(
    'globalAvgPool/1d',
    ['batch', 3, 'length'],
    { id: 'pool', op: 'globalAvgPool' },
    { bindings: { batch: 2, length: 11 } },
  ),
  unaryCase(
    'globalAvgPool/2d',
    ['batch', 4, 5, 7],
    { id: 'pool', op: 'globalAvgPool' },
    { bindings: { batch: 2 } },
  ),
];
