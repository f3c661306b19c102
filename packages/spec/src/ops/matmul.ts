// torch.matmul(a, b) for operands of rank ≥ 2: [..., n, k] · [..., k, m] → [..., n, m], the
// leading (batch) dims broadcast by NumPy's rules. A primitive the attention family lowers to.
import { z } from 'zod';
import { formatShape } from '../dims.js';
import { broadcastShapes } from './binary.js';
import { count, defineOp, fail, float, nodeBase } from './common.js';

export const matmul = defineOp({
  op: 'matmul',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('matmul')
      .describe(
        'torch.matmul(a, b) of two inputs of rank ≥ 2: [..., n, k] · [..., k, m] → [..., n, m], the leading dims broadcast',
      ),
  }),
  arity: [2, 2],
  infer(_a, [x, y]) {
    const both = `${formatShape(x.shape)} · ${formatShape(y.shape)}`;
    if (x.shape.length < 2 || y.shape.length < 2) fail(`needs operands of rank ≥ 2, got ${both}`);
    const [n, k] = x.shape.slice(-2);
    const [k2, m] = y.shape.slice(-2);
    if (k !== k2) fail(`inner dims ${k} and ${k2} differ (${both})`);
    const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
    return { out: float([...batch, n, m]) };
  },
  flops(_a, { inputs: [x], out }) {
    // k multiply-adds (2k FLOPs) for each output element.
    return 2 * x[x.length - 1] * count(out);
  },
  fuzz(d, x, pool) {
    // A partner of x's rank (≥ 3, so that the batch stays a batch dim) whose matrix fits on
    // either side, its other batch dims equal to x's or 1; undefined when none fits.
    if (x.length < 3) return undefined;
    const r = x.length;
    const batchFits = (p: number[]) =>
      p.slice(0, -2).every((s, i) => s === x[i] || s === 1 || x[i] === 1);
    const fits = pool.flatMap((p, i) => {
      if (p.length !== r || !batchFits(p)) return [];
      const after = p[r - 2] === x[r - 1] ? [{ partner: i, partnerFirst: false }] : [];
      const before = p[r - 1] === x[r - 2] ? [{ partner: i, partnerFirst: true }] : [];
      return [...after, ...before];
    });
    if (fits.length === 0) return undefined;
    return { attrs: {}, ...d.pick(fits) };
  },
  examples: [
    // [2, 3, 4] · [4, 5] → [2, 3, 5]
    { input: { shape: [2, 3, 4] }, extraInputs: [{ shape: [4, 5] }], node: {}, shape: [2, 3, 5] },
    // batch dims broadcast: [2, 1, 3, 4] · [6, 4, 5] → [2, 6, 3, 5]
    {
      input: { shape: ['b', 1, 3, 4] },
      extraInputs: [{ shape: [6, 4, 5] }],
      node: {},
      shape: ['b', 6, 3, 5],
    },
  ],
});
