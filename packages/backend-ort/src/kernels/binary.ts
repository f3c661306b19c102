// add and mul broadcast by NumPy's rules, as ONNX's Add and Mul do.
import type { Emitter } from './types.js';

export function binaryKernel(opType: string): Emitter<'add' | 'mul'> {
  return ({ b, inputs, hint }) => b.op1(opType, inputs, hint);
}
