// nn.TransformerEncoderLayer. With the portable attention lowerings ('matmul', 'onnx-attention')
// it is the spec's own decomposition (sub-nodes `<id>.<submodule>`, so weights keep PyTorch's
// names). With the com.microsoft lowerings each residual Add and the LayerNorm after it become
// one SkipLayerNormalization, whose 4th output is the sum itself:
//   normFirst:  x1 = x + SA(norm1(x));  y = x1 + FF(norm2(x1))   — [norm2(x1), x1] = Skip(SA, x)
//   otherwise:  x1 = norm1(x + SA(x));  y = norm2(x1 + FF(x1))   — x1 = Skip(SA, x), y = Skip(FF, x1)
// ORT cannot fuse the pre-norm case itself (the sum has two consumers); it fuses Add + Gelu into
// BiasGelu on its own. A pre-norm layer's last residual sum y is marked (`residualSums`), so that
// the LayerNorm after it (the next layer's norm1, the model's final norm) joins it in one more
// SkipLayerNormalization (`fuseSkipLayerNorms` in ../fuse.ts).
import { type DecomposedNode, type NodeOf, opDef } from '@tessera/spec';
import { float } from '../graph-builder.js';
import type { EmitContext, Emitter } from './types.js';

const MS = 'com.microsoft';

export const transformerEncoderLayer: Emitter<'transformerEncoderLayer'> = (ctx) => {
  if (ctx.options.attention !== 'ms-attention' && ctx.options.attention !== 'ms-mha')
    return ctx.emitDecomposition();
  const { b, node: a, hint } = ctx;
  const id = (sub: string) => `${a.id}.${sub}`;
  const x = a.input[0];
  // The spec's own sub-nodes (attention, norms, feed-forward), emitted one by one; only the
  // residual Adds and the LayerNorms after them are lowered differently here.
  const parts = opDef('transformerEncoderLayer')!.decompose!(a, a.id, a.input).nodes;
  const emit = (sub: string): string => {
    const part = parts.find((p: DecomposedNode) => p.id === id(sub));
    if (part === undefined) throw new Error(`internal: the decomposition has no ${id(sub)}`);
    return ctx.emitSubNode(part);
  };
  // linear1 reads norm2 (pre-norm) or norm1 (post-norm), which the caller has bound.
  const feedForward = (): string => {
    emit('linear1');
    emit('activation');
    return emit('linear2');
  };
  if (a.normFirst) {
    emit('norm1');
    const attended = emit('self_attn');
    const [normed, sum] = skip(ctx, attended, ctx.value(x), 'norm2', `${hint}_skip1`, true);
    ctx.bind(id('norm2'), normed, ctx.out);
    const y = b.op1('Add', [feedForward(), sum], hint);
    b.residualSums.add(y);
    return y;
  }
  const attended = emit('self_attn');
  const [x1] = skip(ctx, attended, ctx.value(x), 'norm1', `${hint}_skip1`, false);
  ctx.bind(id('norm1'), x1, ctx.out);
  return skip(ctx, feedForward(), x1, 'norm2', hint, false)[0];
};

/** SkipLayerNormalization(input + skip) with the layer norm `norm`; also the sum when `withSum`. */
function skip(
  ctx: EmitContext<NodeOf<'transformerEncoderLayer'>>,
  input: string,
  residual: string,
  norm: string,
  hint: string,
  withSum: boolean,
): string[] {
  const { b, node: a } = ctx;
  const args = [input, residual, b.tensorInit(`${hint}_gamma`, ctx.weight(`${norm}.weight`))];
  if (a.bias) args.push(b.tensorInit(`${hint}_beta`, ctx.weight(`${norm}.bias`)));
  const outputs = withSum ? ['y', { name: '' }, { name: '' }, 'sum'] : [''];
  const out = b.op(
    'SkipLayerNormalization',
    args,
    hint,
    { epsilon: float(a.layerNormEps) },
    { domain: MS, outputs },
  );
  return withSum ? [out[0], out[3]] : [out[0]];
}
