// nn.TransformerEncoderLayer(batch_first=True), eval mode, composed from the other kernels:
//   normFirst:  x = x + SA(norm1(x));  x = x + FF(norm2(x))
//   otherwise:  x = norm1(x + SA(x));  x = norm2(x + FF(x))
// FF(x) = linear2(act(linear1(x))), act = relu or gelu (erf form). Sub-nodes are named
// `<id>.self_attn`, `<id>.linear1`, … so their weights are PyTorch's `<id>.self_attn.in_proj_weight`, ….
import type { NodeOf } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import { add } from './add.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import { multiHeadAttention } from './multi-head-attention.js';
import { relu } from './relu.js';
import type { Kernel } from './types.js';

export const transformerEncoderLayer: Kernel<'transformerEncoderLayer'> = (node, [x], ctx) => {
  const sub = (name: string) => `${node.id}.${name}`;
  const norm = (name: string, v: F64Tensor): F64Tensor => {
    const n: NodeOf<'layerNorm'> = {
      id: sub(name),
      op: 'layerNorm',
      input: [],
      normalizedShape: [node.dModel],
      eps: node.layerNormEps,
      elementwiseAffine: true,
      bias: node.bias,
    };
    return layerNorm(n, [v], ctx) as F64Tensor;
  };
  const selfAttention = (v: F64Tensor): F64Tensor => {
    const n: NodeOf<'multiHeadAttention'> = {
      id: sub('self_attn'),
      op: 'multiHeadAttention',
      input: [],
      embedDim: node.dModel,
      numHeads: node.nhead,
      bias: node.bias,
      dropout: 0,
      causal: node.causal,
    };
    return multiHeadAttention(n, [v], ctx) as F64Tensor;
  };
  const dense = (
    name: string,
    v: F64Tensor,
    inFeatures: number,
    outFeatures: number,
  ): F64Tensor => {
    const n: NodeOf<'linear'> = {
      id: sub(name),
      op: 'linear',
      input: [],
      inFeatures,
      outFeatures,
      bias: node.bias,
    };
    return linear(n, [v], ctx) as F64Tensor;
  };
  const activation = (v: F64Tensor): F64Tensor =>
    (node.activation === 'gelu'
      ? gelu({ id: sub('activation'), op: 'gelu', input: [], approximate: 'none' }, [v], ctx)
      : relu({ id: sub('activation'), op: 'relu', input: [] }, [v], ctx)) as F64Tensor;
  const feedForward = (v: F64Tensor) =>
    dense(
      'linear2',
      activation(dense('linear1', v, node.dModel, node.dimFeedforward)),
      node.dimFeedforward,
      node.dModel,
    );
  const plus = (p: F64Tensor, q: F64Tensor) =>
    add({ id: sub('add'), op: 'add', input: [] }, [p, q], ctx) as F64Tensor;

  if (node.normFirst) {
    const h = plus(x, selfAttention(norm('norm1', x)));
    return plus(h, feedForward(norm('norm2', h)));
  }
  const h = norm('norm1', plus(x, selfAttention(x)));
  return norm('norm2', plus(h, feedForward(h)));
};
