// Mean over every spatial dim, keeping them as 1: GlobalAveragePool exactly.
import type { Emitter } from './types.js';

export const globalAvgPool: Emitter<'globalAvgPool'> = ({ b, inputs, hint }) =>
  b.op1('GlobalAveragePool', inputs, hint);
