// Mean over every spatial dim, keeping them as size 1: [N, C, ...] → [N, C, 1, ...]
// (nn.AdaptiveAvgPool{1,2}d(1), ONNX GlobalAveragePool).
import { z } from 'zod';
import { count, defineOp, float, nodeBase, requireRank } from './common.js';

export const globalAvgPool = defineOp({
  op: 'globalAvgPool',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('globalAvgPool')
      .describe(
        'the mean over every spatial dim, kept as size 1: [N, C, ...] → [N, C, 1, ...] (nn.AdaptiveAvgPool2d(1))',
      ),
  }),
  arity: [1, 1],
  infer(_a, [x]) {
    requireRank(x, [3, 4], 'input [N, C, L] or [N, C, H, W]');
    return { out: float([x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)]) };
  },
  flops: (_a, { inputs: [x] }) => count(x), // one addition per input element
  fuzz: (_d, x) => (x.length === 3 || x.length === 4 ? { attrs: {} } : undefined),
  examples: [{ input: { shape: ['b', 3, 5, 5] }, node: {}, shape: ['b', 3, 1, 1] }],
});
