// ONNX Gelu (opset 20) has the same two forms as PyTorch: erf ("none") and tanh. Below opset 20
// it is lowered to its formula (the same float32 maths ORT's own Gelu kernels compute, which its
// optimiser fuses back into com.microsoft Gelu / FastGelu):
//   none: 0.5·x·(1 + erf(x / √2))
//   tanh: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
import { str } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const gelu: Emitter<'gelu'> = ({ b, inputs: [x], hint, node, options }) => {
  if (options.opset >= 20) return b.op1('Gelu', [x], hint, { approximate: str(node.approximate) });
  let inner: string;
  if (node.approximate === 'tanh') {
    const cube = b.op1('Mul', [b.op1('Mul', [x, x], `${hint}_sq`), x], `${hint}_cube`);
    const sum = b.op1('Add', [x, b.op1('Mul', [cube, b.f32(0.044715)], `${hint}_c3`)], `${hint}_u`);
    const scaled = b.op1('Mul', [sum, b.f32(Math.sqrt(2 / Math.PI))], `${hint}_scaled`);
    inner = b.op1('Tanh', [scaled], `${hint}_tanh`);
  } else {
    inner = b.op1('Erf', [b.op1('Div', [x, b.f32(Math.SQRT2)], `${hint}_scaled`)], `${hint}_erf`);
  }
  const onePlus = b.op1('Add', [inner, b.f32(1)], `${hint}_one_plus`);
  // (0.5·x)·(1 + …), halved first: x·2 would overflow float32 for x above 1.7e38.
  return b.op1('Mul', [b.op1('Mul', [x, b.f32(0.5)], `${hint}_half`), onePlus], hint);
};
