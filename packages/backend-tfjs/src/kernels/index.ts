// Every op's tfjs kernel, or 'decompose' for a composite that lowerSpec replaces by its spec
// decomposition before the node loop. Listed explicitly and typed over OpName (KernelTable), so
// adding an op to the spec without an entry here is a type error (kernel-table.test-d.ts).
// multiHeadAttention has no fused kernel: the one this package had (in-projection, one 5-D
// transpose and unstack into q/k/v, scale folded into the Q rows) was slower than the
// decomposition on wasm (B=8, T=64, E=128, 4 heads, median of 20 runs: forward 28–53 ms fused
// against 15–26 ms decomposed, forward + backward 146–261 ms against 117–210 ms). On cpu the
// decomposition is slower (tfjs-backend-cpu slices q, k and v off the last axis element by
// element: 245–410 ms fused against 378–674 ms forward).
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

export type { Kernel, KernelResult, KernelTable, WeightReader } from './types.js';

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
