// nn.BatchNorm in eval mode is BatchNormalization with the running statistics; without affine
// parameters the scale is ones and the bias zeros.
import { float } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const batchNorm: Emitter<'batchNorm'> = ({ b, inputs: [x], hint, node, weight }) => {
  const c = node.numFeatures;
  const fill = (v: number) => new Float32Array(c).fill(v);
  const scale = node.affine
    ? b.tensorInit(`${hint}_weight`, weight('weight'))
    : b.floatInit(`${hint}_ones`, [c], fill(1));
  const bias = node.affine
    ? b.tensorInit(`${hint}_bias`, weight('bias'))
    : b.floatInit(`${hint}_zeros`, [c], fill(0));
  const mean = b.tensorInit(`${hint}_running_mean`, weight('running_mean'));
  const variance = b.tensorInit(`${hint}_running_var`, weight('running_var'));
  return b.op1('BatchNormalization', [x, scale, bias, mean, variance], hint, {
    epsilon: float(node.eps),
  });
};
