// torch.select(x, dim, index) is Gather with a scalar index, which drops the axis. ONNX Gather
// accepts negative indices (counting from the end), as torch.select does.
import { int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const select: Emitter<'select'> = ({ b, inputs: [x], hint, node }) =>
  b.op1('Gather', [x, b.i64([node.index], true)], hint, { axis: int(node.dim) });
