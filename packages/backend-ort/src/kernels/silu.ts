// silu(x) = x · sigmoid(x); ONNX has no Silu operator before opset 24's Swish, so Mul(x, Sigmoid(x)).
import type { Emitter } from './types.js';

export const silu: Emitter<'silu'> = ({ b, inputs: [x], hint }) =>
  b.op1('Mul', [x, b.op1('Sigmoid', [x], `${hint}_sigmoid`)], hint);
