// nn.Linear, y = x Wᵀ + b: Gemm(transB=1) on 2-D inputs; otherwise MatMul against Wᵀ stored
// pre-transposed [in, out], then Add(b) (ORT fuses the pair). A tied head (`tiedTo`) reads its
// embedding's table: the initializer is shared (GraphBuilder.tensorInit stores a tensor once), so
// on 3-D inputs Wᵀ is a Transpose of it (ORT folds it when the session loads), not a second copy.
// Initializers keep the PyTorch names (`fc.weight`, `fc.bias`); the stored Wᵀ is `fc.weight.T`.
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
  const wt =
    node.tiedTo === undefined
      ? b.derivedInit(
          w,
          '.T',
          `${hint}_weight_t`,
          [i, o],
          transpose2d(w.data as Float32Array, o, i),
        )
      : b.op1('Transpose', [b.tensorInit(`${hint}_weight`, w)], `${hint}_weight_t`, {
          perm: { ints: [1, 0] },
        });
  if (!node.bias) return b.op1('MatMul', [x, wt], hint);
  const y = b.op1('MatMul', [x, wt], `${hint}_matmul`);
  return b.op1('Add', [y, b.tensorInit(`${hint}_bias`, weight('bias'))], hint);
};
