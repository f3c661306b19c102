// nn.Conv1d/2d is Conv: the weight layout [out, in/groups, k...] is ONNX's too; "same" and
// "valid" become explicit pads [begin..., end...] from convGeometry.

import { convGeometry } from '@tessera/spec';
import { int, ints } from '../graph-builder.js';
import type { Emitter } from './types.js';

export function convKernel(n: 1 | 2): Emitter<'conv1d' | 'conv2d'> {
  return ({ b, inputs: [x], hint, node, weight }) => {
    const g = convGeometry(node, n);
    const args = [x, b.tensorInit(`${hint}_weight`, weight('weight'))];
    if (node.bias) args.push(b.tensorInit(`${hint}_bias`, weight('bias')));
    return b.op1('Conv', args, hint, {
      kernel_shape: ints(g.kernel),
      strides: ints(g.stride),
      dilations: ints(g.dilation),
      pads: ints([...g.padBegin, ...g.padEnd]),
      group: int(node.groups),
    });
  };
}
