// x · factor: Mul by a float32 scalar constant (ORT folds one next to a MatMul into its alpha).
import type { Emitter } from './types.js';

export const scale: Emitter<'scale'> = ({ b, inputs: [x], hint, node }) =>
  b.op1('Mul', [x, b.floatInit(`${hint}_factor`, [], Float32Array.of(node.factor))], hint);
