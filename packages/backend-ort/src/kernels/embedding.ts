// nn.Embedding: Gather rows of the table by int32 ids (ids were range-checked before the run,
// because ONNX Gather would otherwise accept negative ids as counting from the end).
import type { Emitter } from './types.js';

export const embedding: Emitter<'embedding'> = ({ b, inputs: [ids], hint, weight }) =>
  b.op1('Gather', [b.tensorInit(`${hint}_weight`, weight('weight')), ids], hint);
