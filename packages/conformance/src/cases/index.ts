// The catalogue, listed explicitly: one file per op, then presets and edge values. Typed as a map
// over every op name, so an op without cases is a type error.
import type { OpName } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { addCases } from './add.js';
import { attentionCases, wideAttentionCases } from './attention.js';
import { avgPool1dCases } from './avg-pool1d.js';
import { avgPool2dCases } from './avg-pool2d.js';
import { batchNormCases } from './batch-norm.js';
import { causalMaskCases } from './causal-mask.js';
import { concatCases } from './concat.js';
import { conv1dCases } from './conv1d.js';
import { conv2dCases } from './conv2d.js';
import { dropoutCases } from './dropout.js';
import { edgeCases } from './edge.js';
import { embeddingCases } from './embedding.js';
import { flattenCases } from './flatten.js';
import { gatedMlpCases } from './gated-mlp.js';
import { geluCases } from './gelu.js';
import { globalAvgPoolCases } from './global-avg-pool.js';
import { gruCases } from './gru.js';
import { layerNormCases } from './layer-norm.js';
import {
  attentionLengthsCases,
  lengthMaskCases,
  meanLengthsCases,
  multiHeadAttentionLengthsCases,
  recurrentLengthsCases,
  transformerDecoderLayerLengthsCases,
  transformerDecoderLayerMemoryLengthsCases,
  transformerEncoderLayerLengthsCases,
} from './lengths.js';
import { linearCases } from './linear.js';
import { logSoftmaxCases } from './log-softmax.js';
import { lstmCases } from './lstm.js';
import { matmulCases } from './matmul.js';
import { maxPool1dCases } from './max-pool1d.js';
import { maxPool2dCases } from './max-pool2d.js';
import { meanCases } from './mean.js';
import { mulCases } from './mul.js';
import { multiHeadAttentionCases } from './multi-head-attention.js';
import { permuteCases } from './permute.js';
import { positionalEmbeddingCases } from './positional-embedding.js';
import { presetCases } from './presets.js';
import { reluCases } from './relu.js';
import { repeatInterleaveCases } from './repeat-interleave.js';
import { reshapeCases } from './reshape.js';
import { rmsNormCases } from './rms-norm.js';
import { rnnCases } from './rnn.js';
import { ropeCases } from './rope.js';
import { scaleCases } from './scale.js';
import { selectCases } from './select.js';
import { sigmoidCases } from './sigmoid.js';
import { siluCases } from './silu.js';
import { sliceCases } from './slice.js';
import { softmaxCases } from './softmax.js';
import { tanhCases } from './tanh.js';
import { transformerDecoderLayerCases } from './transformer-decoder-layer.js';
import { transformerEncoderLayerCases } from './transformer-encoder-layer.js';
import { unflattenCases } from './unflatten.js';

/** The cases of each op, whose ids start with `<op>/`. */
export const casesByOp: { [O in OpName]: ConformanceCase[] } = {
  linear: linearCases,
  embedding: embeddingCases,
  positionalEmbedding: positionalEmbeddingCases,
  relu: reluCases,
  gelu: geluCases,
  tanh: tanhCases,
  sigmoid: sigmoidCases,
  silu: siluCases,
  softmax: softmaxCases,
  logSoftmax: logSoftmaxCases,
  dropout: dropoutCases,
  layerNorm: layerNormCases,
  batchNorm: batchNormCases,
  rmsNorm: rmsNormCases,
  rnn: [...rnnCases, ...recurrentLengthsCases('rnn')],
  lstm: [...lstmCases, ...recurrentLengthsCases('lstm')],
  gru: [...gruCases, ...recurrentLengthsCases('gru')],
  conv1d: conv1dCases,
  conv2d: conv2dCases,
  maxPool1d: maxPool1dCases,
  maxPool2d: maxPool2dCases,
  avgPool1d: avgPool1dCases,
  avgPool2d: avgPool2dCases,
  globalAvgPool: globalAvgPoolCases,
  flatten: flattenCases,
  reshape: reshapeCases,
  permute: permuteCases,
  select: selectCases,
  mean: [...meanCases, ...meanLengthsCases],
  add: addCases,
  mul: mulCases,
  concat: concatCases,
  matmul: matmulCases,
  slice: sliceCases,
  unflatten: unflattenCases,
  scale: scaleCases,
  causalMask: causalMaskCases,
  lengthMask: lengthMaskCases,
  rope: ropeCases,
  repeatInterleave: repeatInterleaveCases,
  multiHeadAttention: [...multiHeadAttentionCases, ...multiHeadAttentionLengthsCases],
  transformerEncoderLayer: [
    ...transformerEncoderLayerCases,
    ...transformerEncoderLayerLengthsCases,
  ],
  transformerDecoderLayer: [
    ...transformerDecoderLayerCases,
    ...transformerDecoderLayerLengthsCases,
    ...transformerDecoderLayerMemoryLengthsCases,
  ],
  attention: [...attentionCases, ...wideAttentionCases, ...attentionLengthsCases],
  gatedMlp: gatedMlpCases,
};

export { edgeCases, presetCases };

/** Every named case: per op, then presets, then edge values. */
export const catalogue: ConformanceCase[] = [
  ...Object.values(casesByOp).flat(),
  ...presetCases,
  ...edgeCases,
];
