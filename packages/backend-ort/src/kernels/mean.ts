// torch.mean(x, dim, keepdim) is ReduceMean with the axes as an input (opset 18+).

import { meanAxes } from '@tessera/spec';
import { int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const mean: Emitter<'mean'> = ({ b, inputs: [x], hint, node, inShapes }) =>
  b.op1('ReduceMean', [x, b.i64(meanAxes(node.dim, inShapes[0].shape.length))], hint, {
    keepdims: int(node.keepdim ? 1 : 0),
  });
