// transformerEncoderLayer has no kernel of its own: the compiler expands it (expandComposites)
// into layerNorm, multiHeadAttention, linear, relu/gelu and add nodes whose weights keep
// PyTorch's names, and those run here.
import type { OpKernel } from './types.js';

export const transformerEncoderLayer: OpKernel<'transformerEncoderLayer'> = () => {
  throw new Error('transformerEncoderLayer reached a kernel: the compiler should have expanded it');
};
