// Every preset at small sizes, so a backend runs them all in seconds, and once at its default
// sizes, where float32 sums run over hundreds of terms (LeNet's 400-wide fc1, 64-wide recurrences).
import {
  charRnnLM,
  cnnClassifier,
  hashString,
  llamaLM,
  type ModelSpec,
  parseSpec,
  resnetTiny,
  rnnClassifier,
  seq2seqTransformer,
  speechRecognizer,
  transformerLM,
} from '@tessera/spec';
import type { ConformanceCase } from '../case.js';

function presetCase(
  id: string,
  spec: () => ModelSpec,
  bindings: Record<string, number>,
  description?: string,
  lengths?: Record<string, number[]>,
): ConformanceCase {
  const seed = hashString(id) % 1_000_000;
  return {
    id,
    ...(description ? { description } : {}),
    spec,
    bindings,
    weightSeed: seed,
    inputSeed: seed + 1,
    ...(lengths ? { lengths } : {}),
  };
}

/** The encoder–decoder at small sizes: a source vocabulary of 13 and a target one of 11. */
const smallSeq2seq = {
  srcVocabSize: 13,
  tgtVocabSize: 11,
  dModel: 8,
  nhead: 2,
  numEncoderLayers: 2,
  numDecoderLayers: 2,
  dimFeedforward: 16,
  maxLength: 16,
};

/**
 * The `preset/*` cases: every preset at small and at default sizes, and variants of their options.
 */
export const presetCases: ConformanceCase[] = [
  presetCase(
    'preset/rnnClassifier-small',
    () => rnnClassifier({ cell: 'lstm', inputSize: 5, hiddenSize: 7, numClasses: 3 }),
    { batch: 2, time: 6 },
  ),
  presetCase(
    'preset/rnnClassifier-gru-bidirectional-small',
    () =>
      rnnClassifier({
        cell: 'gru',
        inputSize: 4,
        hiddenSize: 5,
        numLayers: 2,
        bidirectional: true,
        numClasses: 3,
      }),
    { batch: 2, time: 5 },
  ),
  presetCase(
    'preset/rnnClassifier-rnn-small',
    () => rnnClassifier({ cell: 'rnn', inputSize: 3, hiddenSize: 6, numClasses: 2 }),
    { batch: 3, time: 7 },
  ),
  presetCase(
    'preset/charRnnLM-small',
    () => charRnnLM({ vocabSize: 17, embeddingDim: 8, hiddenSize: 12 }),
    { batch: 2, time: 9 },
  ),
  presetCase(
    'preset/charRnnLM-gru-2layer-small',
    () => charRnnLM({ vocabSize: 13, embeddingDim: 6, hiddenSize: 8, numLayers: 2, cell: 'gru' }),
    { batch: 2, time: 7 },
    'two GRU layers: a decoder carries h of each layer from step to step',
  ),
  presetCase(
    'preset/charRnnLM-rnn-2layer-small',
    () => charRnnLM({ vocabSize: 11, embeddingDim: 5, hiddenSize: 7, numLayers: 2, cell: 'rnn' }),
    { batch: 2, time: 6 },
  ),
  presetCase(
    'preset/cnnClassifier-small',
    () =>
      cnnClassifier({ height: 12, width: 12, channels: [3, 4], hidden: [10, 8], numClasses: 5 }),
    { batch: 2 },
  ),
  presetCase(
    'preset/resnetTiny-small',
    () => resnetTiny({ inChannels: 3, size: 8, channels: 4, blocks: 2, numClasses: 5 }),
    { batch: 2 },
  ),
  presetCase(
    'preset/transformerLM-small',
    () =>
      transformerLM({
        vocabSize: 19,
        dModel: 16,
        nhead: 2,
        numLayers: 2,
        dimFeedforward: 24,
        maxLength: 16,
      }),
    { batch: 2, time: 7 },
  ),
  presetCase(
    'preset/transformerLM-sinusoidal-relu-small',
    () =>
      transformerLM({
        vocabSize: 11,
        dModel: 8,
        nhead: 4,
        numLayers: 1,
        dimFeedforward: 16,
        maxLength: 32,
        positional: 'sinusoidal',
        activation: 'relu',
      }),
    { batch: 1, time: 9 },
  ),
  presetCase(
    'preset/transformerLM-3layer-full-length-small',
    () => transformerLM({ vocabSize: 16, dModel: 8, nhead: 2, numLayers: 3, maxLength: 12 }),
    { batch: 2, time: 12 },
    'three pre-norm layers at time = maxLength: a residual sum before six of its seven LayerNorms',
  ),
  presetCase(
    'preset/llamaLM-small',
    () =>
      llamaLM({
        vocabSize: 19,
        hiddenSize: 16,
        numLayers: 2,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 24,
        ropeTheta: 10000,
        rmsNormEps: 1e-6,
        tieWordEmbeddings: false,
      }),
    { batch: 2, time: 7 },
  ),
  presetCase(
    'preset/llamaLM-tied-small',
    () =>
      llamaLM({
        vocabSize: 13,
        hiddenSize: 8,
        numLayers: 1,
        numHeads: 2,
        numKeyValueHeads: 1,
        intermediateSize: 20,
        ropeTheta: 500000,
        rmsNormEps: 1e-5,
        tieWordEmbeddings: true,
      }),
    { batch: 2, time: 6 },
    'lm_head tied to embed_tokens (tie_word_embeddings), multi-query attention, rope_theta 500000',
  ),
  presetCase(
    'preset/llamaLM-mha-head-dim-small',
    () =>
      llamaLM({
        vocabSize: 15,
        hiddenSize: 8,
        numLayers: 2,
        numHeads: 2,
        numKeyValueHeads: 2,
        headDim: 6,
        intermediateSize: 16,
      }),
    { batch: 2, time: 6 },
    'numKeyValueHeads = numHeads (no repeat_kv) and head_dim 6, not hiddenSize / numHeads',
  ),
  presetCase(
    'preset/speechRecognizer-small',
    () =>
      speechRecognizer({
        numFeatures: 8,
        convChannels: 6,
        kernelSize: 4,
        hiddenSize: 5,
        numClasses: 7,
      }),
    { batch: 2, frames: 10 },
    'kernelSize 4: an even "same" convolution in front of a bidirectional GRU',
  ),
  presetCase('preset/rnnClassifier-default', () => rnnClassifier(), { batch: 2, time: 12 }),
  presetCase('preset/charRnnLM-default', () => charRnnLM(), { batch: 2, time: 16 }),
  presetCase('preset/cnnClassifier-default', () => cnnClassifier(), { batch: 2 }),
  presetCase('preset/resnetTiny-default', () => resnetTiny(), { batch: 2 }),
  presetCase('preset/transformerLM-default', () => transformerLM(), { batch: 2, time: 24 }),
  presetCase(
    'preset/transformerLM-static-time-default',
    () => {
      const lm = transformerLM();
      return parseSpec({ ...lm, inputs: { tokens: { dtype: 'int32', shape: ['batch', 7] } } });
    },
    { batch: 2 },
    'the time fixed in the spec (7): a static causal mask and positional slice',
  ),
  presetCase('preset/llamaLM-default', () => llamaLM(), { batch: 2, time: 16 }),
  presetCase('preset/speechRecognizer-default', () => speechRecognizer(), { batch: 2, frames: 30 }),
  presetCase(
    'preset/seq2seqTransformer-small',
    () => seq2seqTransformer(smallSeq2seq),
    { batch: 2, srcTime: 7, time: 5 },
    'source of 7 tokens, target of 5',
  ),
  presetCase(
    'preset/llamaLM-head-16-small',
    () =>
      llamaLM({
        vocabSize: 23,
        hiddenSize: 64,
        numLayers: 2,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 40,
      }),
    { batch: 2, time: 9 },
    'head size 16: what fused attentions take (ORT: GroupQueryAttention with rotary inside)',
  ),
  presetCase(
    'preset/rnnClassifier-lengths-bidirectional-small',
    () =>
      rnnClassifier({
        cell: 'lstm',
        inputSize: 4,
        hiddenSize: 5,
        numLayers: 2,
        bidirectional: true,
        numClasses: 3,
        lengths: true,
      }),
    { batch: 3, time: 6 },
    'padded batch, lengths [6, 2, 4]: the head reads h_n of both directions',
    { lengths: [6, 2, 4] },
  ),
  presetCase(
    'preset/rnnClassifier-lengths-gru-small',
    () => rnnClassifier({ cell: 'gru', inputSize: 3, hiddenSize: 6, numClasses: 2, lengths: true }),
    { batch: 3, time: 5 },
    'padded batch, lengths [1, 5, 3]',
    { lengths: [1, 5, 3] },
  ),
  presetCase(
    'preset/speechRecognizer-lengths-small',
    () =>
      speechRecognizer({
        numFeatures: 8,
        convChannels: 6,
        kernelSize: 5,
        hiddenSize: 5,
        numClasses: 7,
        lengths: true,
      }),
    { batch: 3, frames: 10 },
    'utterances of 10, 4 and 7 frames padded to 10',
    { lengths: [10, 4, 7] },
  ),
  presetCase(
    'preset/seq2seqTransformer-lengths-small',
    () => seq2seqTransformer({ ...smallSeq2seq, lengths: true }),
    { batch: 3, srcTime: 7, time: 5 },
    'sources of 7, 3 and 5 tokens, targets of 2, 5 and 4, padded',
    { src_lengths: [7, 3, 5], tgt_lengths: [2, 5, 4] },
  ),
  // Decodes: the memory's lengths are kept and fed to every step (the target is unpadded).
  presetCase(
    'preset/seq2seqTransformer-source-lengths-small',
    () => seq2seqTransformer({ ...smallSeq2seq, sourceLengths: true }),
    { batch: 3, srcTime: 7, time: 5 },
    'sources of 7, 3 and 5 tokens padded, targets whole',
    { src_lengths: [7, 3, 5] },
  ),
  presetCase('preset/seq2seqTransformer-default', () => seq2seqTransformer(), {
    batch: 2,
    srcTime: 12,
    time: 10,
  }),
];
