// Every op's entry, listed explicitly; typed over OpName so a missing op is a type error
// (kernel-table.test-d.ts proves it).
import { add } from './add.js';
import { attention as attentionEntry } from './attention.js';
import { avgPool1d } from './avg-pool1d.js';
import { avgPool2d } from './avg-pool2d.js';
import { batchNorm } from './batch-norm.js';
import { causalMask } from './causal-mask.js';
import { concat } from './concat.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dropout } from './dropout.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { gelu } from './gelu.js';
import { globalAvgPool } from './global-avg-pool.js';
import { gru } from './gru.js';
import { layerNorm } from './layer-norm.js';
import { lengthMask } from './length-mask.js';
import { linear } from './linear.js';
import { logSoftmax } from './log-softmax.js';
import { lstm } from './lstm.js';
import { matmul } from './matmul.js';
import { maxPool1d } from './max-pool1d.js';
import { maxPool2d } from './max-pool2d.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { multiHeadAttention } from './multi-head-attention.js';
import { permute } from './permute.js';
import { positionalEmbedding } from './positional-embedding.js';
import { relu } from './relu.js';
import { repeatInterleave } from './repeat-interleave.js';
import { reshape } from './reshape.js';
import { rmsNorm } from './rms-norm.js';
import { rnn } from './rnn.js';
import { rope } from './rope.js';
import { scale } from './scale.js';
import { select } from './select.js';
import { sigmoid } from './sigmoid.js';
import { silu } from './silu.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import type { AttentionPath, KernelTable } from './types.js';
import { unflatten } from './unflatten.js';

/**
 * The table for one attention lowering: multiHeadAttention is that path's fused emitter, or
 * 'decompose' ('matmul'); every other entry is the same on every path.
 */
export function kernelTable(attention: AttentionPath): KernelTable {
  return {
    linear,
    embedding,
    positionalEmbedding,
    relu,
    gelu,
    tanh,
    sigmoid,
    silu,
    softmax,
    logSoftmax,
    dropout,
    layerNorm,
    batchNorm,
    rmsNorm,
    rnn,
    lstm,
    gru,
    conv1d,
    conv2d,
    maxPool1d,
    maxPool2d,
    avgPool1d,
    avgPool2d,
    globalAvgPool,
    flatten,
    reshape,
    permute,
    select,
    mean,
    add,
    mul,
    concat,
    matmul,
    slice,
    unflatten,
    scale,
    causalMask,
    lengthMask,
    rope,
    repeatInterleave,
    multiHeadAttention: multiHeadAttention[attention],
    // Its sub-modules through their own entries; the residual Add + LayerNorm pairs are fused
    // afterwards, on the graph (../fuse.ts).
    transformerEncoderLayer: 'decompose',
    transformerDecoderLayer: 'decompose',
    // GroupQueryAttention on the com.microsoft paths; a node it cannot express decomposes
    // (gqaRefusal, read by lowerFor in ../compile.ts).
    attention: attentionEntry[attention],
    gatedMlp: 'decompose',
  };
}

export type { AttentionPath, EmitOptions, KernelTable } from './types.js';
export { attentionPaths } from './types.js';
export { gqaRefusal } from './attention.js';
