// torch.matmul for operands of rank ≥ 2 is ONNX MatMul: both broadcast the batch dims by NumPy's
// rules.
import type { Emitter } from './types.js';

export const matmul: Emitter<'matmul'> = ({ b, inputs, hint }) => b.op1('MatMul', inputs, hint);
