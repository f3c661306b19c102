import { seq, seqBindings, unaryCase } from './define.js';

export const scaleCases = [
  unaryCase(
    'scale/inverse-sqrt',
    seq(5),
    { id: 's', op: 'scale', factor: 1 / Math.sqrt(8) },
    { description: 'attention’s 1/√d', bindings: seqBindings() },
  ),
  unaryCase(
    'scale/negative',
    ['batch', 7],
    { id: 's', op: 'scale', factor: -3.5 },
    { bindings: { batch: 3 } },
  ),
];
