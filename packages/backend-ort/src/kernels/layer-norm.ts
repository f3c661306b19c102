// nn.LayerNorm is LayerNormalization (opset 17) over the last normalizedShape.length axes, with
// the biased variance. Without elementwise affine, the scale is ones and the bias is left out.

import { normShape } from '@tessera/spec';
import { float, int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const layerNorm: Emitter<'layerNorm'> = ({ b, inputs: [x], hint, node, weight }) => {
  const shape = normShape(node.normalizedShape);
  const affine = node.elementwiseAffine;
  const scale = affine
    ? b.tensorInit(`${hint}_weight`, weight('weight'))
    : b.floatInit(
        `${hint}_ones`,
        shape,
        new Float32Array(shape.reduce((p, k) => p * k, 1)).fill(1),
      );
  const args = [x, scale];
  if (affine && node.bias) args.push(b.tensorInit(`${hint}_bias`, weight('bias')));
  return b.op1('LayerNormalization', args, hint, {
    axis: int(-shape.length),
    epsilon: float(node.eps),
  });
};
