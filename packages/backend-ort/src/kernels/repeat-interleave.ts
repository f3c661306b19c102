// torch.repeat_interleave(x, repeats, dim): Unsqueeze a new axis after `dim`, Expand it to
// `repeats`, then Reshape the two axes into one (n·repeats), so output index j reads input index
// floor(j / repeats). Shapes may be symbolic: see targetShape for the Reshape's target.
import { targetShape } from './reshape.js';
import type { Emitter } from './types.js';

export const repeatInterleave: Emitter<'repeatInterleave'> = ({
  b,
  inputs: [x],
  hint,
  node,
  inShapes,
  out,
}) => {
  const shape = inShapes[0].shape;
  const d = node.dim < 0 ? node.dim + shape.length : node.dim;
  if (node.repeats === 1) return b.op1('Identity', [x], hint);
  const split = [...shape.slice(0, d + 1), node.repeats, ...shape.slice(d + 1)];
  const unsqueezed = b.op1('Unsqueeze', [x, b.i64([d + 1])], `${hint}_unsqueezed`);
  // Expand broadcasts both ways: ones keep x's dims, symbolic or not.
  const ones = split.map((_, j) => (j === d + 1 ? node.repeats : 1));
  const expanded = b.op1('Expand', [unsqueezed, b.i64(ones)], `${hint}_expanded`);
  const target = targetShape(b, expanded, hint, split, d, [out.shape[d]], d + 2);
  return b.op1('Reshape', [expanded, target], hint);
};
