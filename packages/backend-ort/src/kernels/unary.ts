// The elementwise activations map one-to-one onto ONNX operators.
import type { Emitter } from './types.js';

export function unaryKernel<O extends 'relu' | 'tanh' | 'sigmoid' | 'dropout'>(
  opType: string,
): Emitter<O> {
  return (ctx) => ctx.b.op1(opType, ctx.inputs, ctx.hint);
}
