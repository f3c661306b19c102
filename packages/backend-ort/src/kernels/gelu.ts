// ONNX Gelu (opset 20) has the same two forms as PyTorch: erf ("none") and tanh.
import { str } from '../graph-builder.js';
import { unaryKernel } from './unary.js';

export const gelu = unaryKernel<'gelu'>('Gelu', (ctx) => ({
  approximate: str(ctx.node.approximate),
}));
