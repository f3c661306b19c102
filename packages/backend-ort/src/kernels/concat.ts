import { int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const concat: Emitter<'concat'> = ({ b, inputs, hint, node }) =>
  b.op1('Concat', inputs, hint, { axis: int(node.dim) });
