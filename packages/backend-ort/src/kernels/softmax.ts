// Softmax and LogSoftmax along one axis (opset 13+ semantics: a single axis, not a flattening).
import { int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export function softmaxKernel(opType: string): Emitter<'softmax' | 'logSoftmax'> {
  return ({ b, inputs, hint, node }) => b.op1(opType, inputs, hint, { axis: int(node.dim) });
}

export const softmax = softmaxKernel('Softmax');
