// The elementwise activations map one-to-one onto ONNX operators.
import type { NodeOf } from '@tessera/spec';
import type { Attr } from '../graph-builder.js';
import type { EmitContext, Emitter } from './types.js';

export function unaryKernel<O extends 'relu' | 'tanh' | 'sigmoid' | 'dropout' | 'gelu'>(
  opType: string,
  attrs: (ctx: EmitContext<NodeOf<O>>) => Record<string, Attr> = () => ({}),
): Emitter<O> {
  return (ctx) => ctx.b.op1(opType, ctx.inputs, ctx.hint, attrs(ctx));
}
