// x / sqrt(mean(x²) + eps) · weight over the last normalizedShape.length axes:
// RMSNormalization from opset 23; below it, in the 'ort' flavour, ONNX Runtime's
// SimplifiedLayerNormalization (an ORT op in the default domain, since version 1: the same
// formula, computed in float32, no mean subtracted; no other ONNX tool has it); in the portable
// flavour, its decomposition (mean of squares in float32). The residual Add before either fused
// node becomes com.microsoft SkipSimplifiedLayerNormalization in the 'ort' flavour (../fuse.ts).

import { normShape } from '@tessera/spec';
import { float, int } from '../graph-builder.js';
import { reduce } from './reduce.js';
import type { Emitter } from './types.js';

export const rmsNorm: Emitter<'rmsNorm'> = ({
  b,
  inputs: [x],
  hint,
  node,
  weight,
  inShapes,
  options,
}) => {
  const shape = normShape(node.normalizedShape);
  const n = shape.length;
  const scale = node.elementwiseAffine
    ? b.tensorInit(`${hint}_weight`, weight('weight'))
    : undefined;
  if (options.opset >= 23 || options.flavour === 'ort') {
    const ones = () =>
      b.floatInit(
        `${hint}_ones`,
        shape,
        new Float32Array(shape.reduce((p, k) => p * k, 1)).fill(1),
      );
    const op = options.opset >= 23 ? 'RMSNormalization' : 'SimplifiedLayerNormalization';
    return b.op1(op, [x, scale ?? ones()], hint, {
      axis: int(-n),
      epsilon: float(node.eps),
    });
  }
  const r = inShapes[0].shape.length;
  const axes = Array.from({ length: n }, (_, k) => r - n + k);
  const sq = b.op1('Mul', [x, x], `${hint}_sq`);
  const ms = reduce(b, options.opset, 'ReduceMean', sq, axes, true, `${hint}_ms`);
  const eps = b.floatInit(`${hint}_eps`, [], Float32Array.of(node.eps));
  const rms = b.op1('Sqrt', [b.op1('Add', [ms, eps], `${hint}_ms_eps`)], `${hint}_rms`);
  if (scale === undefined) return b.op1('Div', [x, rms], hint);
  return b.op1('Mul', [b.op1('Div', [x, rms], `${hint}_normed`), scale], hint);
};
