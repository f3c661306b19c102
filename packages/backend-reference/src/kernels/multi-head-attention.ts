// nn.MultiheadAttention(batch_first=True) as self-attention on x [B, T, E] with h heads of size
// d = E / h:
//   [Q K V] = x W_inᵀ + b_in (rows of in_proj_weight: q, then k, then v),
//   per head: P = softmax(Q_h K_hᵀ / √d + M), O_h = P V_h, with M[i, j] = -inf for j > i when causal,
//   y = concat_h(O_h) W_outᵀ + b_out.
import type { F64Tensor } from '../tensor.js';
import { affine } from './linear.js';
import { softmaxLane } from './softmax.js';
import type { Kernel } from './types.js';

export const multiHeadAttention: Kernel<'multiHeadAttention'> = (node, [x], ctx) => {
  const [batch, time, e] = x.shape;
  const heads = node.numHeads;
  const d = e / heads;
  const qkv = affine(
    x,
    ctx.weight(node.id, 'in_proj_weight'),
    ctx.optionalWeight(node.id, 'in_proj_bias'),
  );
  // Element f of q, k or v (part 0, 1, 2) at batch b, time t.
  const at = (part: number, b: number, t: number, f: number) =>
    qkv.data[(b * time + t) * 3 * e + part * e + f];
  const probs = new Float64Array(batch * heads * time * time);
  const attended = new Float64Array(batch * time * e);
  const scores = new Float64Array(time);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < time; i++) {
        for (let j = 0; j < time; j++) {
          let s = 0;
          for (let f = h * d; f < (h + 1) * d; f++) s += at(0, b, i, f) * at(1, b, j, f);
          scores[j] = node.causal && j > i ? Number.NEGATIVE_INFINITY : s / Math.sqrt(d);
        }
        const p = softmaxLane(scores);
        probs.set(p, ((b * heads + h) * time + i) * time);
        for (let f = h * d; f < (h + 1) * d; f++) {
          let s = 0;
          for (let j = 0; j < time; j++) s += p[j] * at(2, b, j, f);
          attended[(b * time + i) * e + f] = s;
        }
      }
    }
  }
  const probsTensor: F64Tensor = { shape: [batch, heads, time, time], data: probs };
  ctx.observeAttention?.(node.id, probsTensor);
  return affine(
    { shape: [batch, time, e], data: attended },
    ctx.weight(node.id, 'out_proj.weight'),
    ctx.optionalWeight(node.id, 'out_proj.bias'),
  );
};
