// torch.reshape: the spec's shape has no zeros and at most one -1, which ONNX Reshape reads the
// same way (allowzero is irrelevant without zeros).
import type { Emitter } from './types.js';

export const reshape: Emitter<'reshape'> = ({ b, inputs: [x], hint, node }) =>
  b.op1('Reshape', [x, b.i64(node.shape)], hint);
