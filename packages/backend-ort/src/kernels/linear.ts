// nn.Linear, y = x Wᵀ + b: Gemm(transB=1) on 2-D inputs; otherwise MatMul against Wᵀ stored
// pre-transposed [in, out], then Add(b) (ORT fuses the pair).
import { int } from '../graph-builder.js';
import { transpose2d } from './layout.js';
import type { Emitter } from './types.js';

export const linear: Emitter<'linear'> = ({ b, inputs: [x], hint, node, inShapes, weight }) => {
  const w = weight('weight');
  const { inFeatures: i, outFeatures: o } = node;
  if (inShapes[0].shape.length === 2) {
    const args = [x, b.tensorInit(`${hint}_weight`, w)];
    if (node.bias) args.push(b.tensorInit(`${hint}_bias`, weight('bias')));
    return b.op1('Gemm', args, hint, { transB: int(1) });
  }
  const wt = b.floatInit(`${hint}_weight_t`, [i, o], transpose2d(w.data as Float32Array, o, i));
  if (!node.bias) return b.op1('MatMul', [x, wt], hint);
  const y = b.op1('MatMul', [x, wt], `${hint}_matmul`);
  return b.op1('Add', [y, b.tensorInit(`${hint}_bias`, weight('bias'))], hint);
};
