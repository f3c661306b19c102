// Every v1 op and its gpu.js kernel, or 'decompose' for a composite the compiler lowers to its
// spec decomposition first (lowerSpec). Listed explicitly and typed over OpName, so a missing op
// is a type error (kernel-table.test-d.ts). multiHeadAttention has no fused kernel: the one this
// package had (7 kernel calls against the decomposition's 15) was no faster, measured at
// B=8, T=64, E=128, 4 heads on cpu and webasm, where the two projections take most of the time.
import { add } from './add.js';
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
import type { KernelTable } from './types.js';
import { unflatten } from './unflatten.js';

export const kernels: KernelTable = {
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
  multiHeadAttention: 'decompose',
  transformerEncoderLayer: 'decompose',
  transformerDecoderLayer: 'decompose',
  attention: 'decompose',
  gatedMlp: 'decompose',
};
