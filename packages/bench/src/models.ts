// The benchmark models: each preset at a small and a medium size (medium as the issue fixes it).
import {
  cnnClassifier,
  llamaLM,
  type ModelSpec,
  randomInputs,
  rnnClassifier,
  seq2seqTransformer,
  speechRecognizer,
  type Tensor,
  transformerLM,
} from '@tessera/spec';

/**
 * One model bench times: a preset at a size, its bindings and batch, and what its peers need to
 * rebuild it.
 */
export interface BenchModel {
  /** `transformerLM/medium`, ... */
  id: string;
  preset:
    | 'transformerLM'
    | 'llamaLM'
    | 'lstm'
    | 'cnnClassifier'
    | 'speechRecognizer'
    | 'seq2seqTransformer';
  size: 'small' | 'medium';
  spec: ModelSpec;
  bindings: Record<string, number>;
  /** Examples per forward pass (the batch size). */
  batch: number;
  /** What a hand-written peer needs to rebuild the same architecture. */
  config: Record<string, number | string | boolean>;
}

/** Every bench model: each preset at its small and medium size. */
export function benchModels(): BenchModel[] {
  const models: BenchModel[] = [];
  const add = (m: Omit<BenchModel, 'id'>) => models.push({ ...m, id: `${m.preset}/${m.size}` });
  for (const [size, c] of [
    ['small', { vocabSize: 64, dModel: 64, nhead: 4, numLayers: 2, batch: 2, time: 32 }],
    ['medium', { vocabSize: 256, dModel: 256, nhead: 4, numLayers: 4, batch: 8, time: 128 }],
  ] as const) {
    add({
      preset: 'transformerLM',
      size,
      spec: transformerLM({
        vocabSize: c.vocabSize,
        dModel: c.dModel,
        nhead: c.nhead,
        numLayers: c.numLayers,
        dimFeedforward: 4 * c.dModel,
        maxLength: Math.max(512, c.time),
      }),
      bindings: { batch: c.batch, time: c.time },
      batch: c.batch,
      config: { ...c, dimFeedforward: 4 * c.dModel },
    });
  }
  // A LLaMA-family decoder of about transformerLM's size at each: grouped-query attention (half as
  // many key/value heads) with rotary positions, RMSNorm, SwiGLU with intermediateSize ≈ 8/3 · h
  // (LLaMA's ratio, rounded to a multiple of 16), untied head, rope θ and RMSNorm ε at llamaLM's
  // defaults (stated, since the peers rebuild the model from this config).
  for (const [size, c] of [
    [
      'small',
      {
        vocabSize: 64,
        hiddenSize: 64,
        numLayers: 2,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 176,
        batch: 2,
        time: 32,
      },
    ],
    [
      'medium',
      {
        vocabSize: 256,
        hiddenSize: 256,
        numLayers: 4,
        numHeads: 4,
        numKeyValueHeads: 2,
        intermediateSize: 688,
        batch: 8,
        time: 128,
      },
    ],
  ] as const) {
    const { batch, time, ...sizes } = c;
    const options = {
      ...sizes,
      ropeTheta: 10000,
      rmsNormEps: 1e-6,
      maxLength: Math.max(512, time),
    };
    add({
      preset: 'llamaLM',
      size,
      spec: llamaLM(options),
      bindings: { batch, time },
      batch,
      config: { ...options, batch, time },
    });
  }
  for (const [size, c] of [
    ['small', { inputSize: 32, hiddenSize: 64, numLayers: 2, batch: 4, time: 25, numClasses: 10 }],
    [
      'medium',
      { inputSize: 256, hiddenSize: 256, numLayers: 2, batch: 16, time: 100, numClasses: 10 },
    ],
  ] as const) {
    add({
      preset: 'lstm',
      size,
      spec: rnnClassifier({
        cell: 'lstm',
        inputSize: c.inputSize,
        hiddenSize: c.hiddenSize,
        numLayers: c.numLayers,
        numClasses: c.numClasses,
      }),
      bindings: { batch: c.batch, time: c.time },
      batch: c.batch,
      config: c,
    });
  }
  for (const [size, batch] of [
    ['small', 8],
    ['medium', 64],
  ] as const) {
    add({
      preset: 'cnnClassifier',
      size,
      spec: cnnClassifier(),
      bindings: { batch },
      batch,
      config: { batch },
    });
  }
  for (const [size, c] of [
    ['small', { batch: 2, frames: 50 }],
    ['medium', { batch: 8, frames: 200 }],
  ] as const) {
    add({
      preset: 'speechRecognizer',
      size,
      spec: speechRecognizer(),
      bindings: { batch: c.batch, frames: c.frames },
      batch: c.batch,
      config: c,
    });
  }
  // The translation tutorial's encoder–decoder (post-norm, relu) at transformerLM's widths: a
  // source of `srcTime` tokens encoded once, a target of `time` tokens decoded over it.
  for (const [size, c] of [
    ['small', { vocab: 64, dModel: 64, nhead: 4, layers: 2, batch: 2, srcTime: 32, time: 32 }],
    ['medium', { vocab: 256, dModel: 256, nhead: 4, layers: 3, batch: 8, srcTime: 128, time: 128 }],
  ] as const) {
    add({
      preset: 'seq2seqTransformer',
      size,
      spec: seq2seqTransformer({
        srcVocabSize: c.vocab,
        tgtVocabSize: c.vocab,
        dModel: c.dModel,
        nhead: c.nhead,
        numEncoderLayers: c.layers,
        numDecoderLayers: c.layers,
        dimFeedforward: 4 * c.dModel,
        maxLength: Math.max(512, c.srcTime, c.time),
      }),
      bindings: { batch: c.batch, srcTime: c.srcTime, time: c.time },
      batch: c.batch,
      config: { ...c, dimFeedforward: 4 * c.dModel },
    });
  }
  return models;
}

/** Seeded inputs for a bench model at its bindings. */
export function benchInputs(m: BenchModel, seed = 1): Record<string, Tensor> {
  return randomInputs(m.spec, m.bindings, seed);
}

/** The same transformerLM as `base` at another sequence length and batch (for the scaling table). */
export function scalingModel(base: BenchModel, time: number, batch: number): BenchModel {
  const c = base.config as Record<string, number>;
  const spec = transformerLM({
    vocabSize: c.vocabSize,
    dModel: c.dModel,
    nhead: c.nhead,
    numLayers: c.numLayers,
    dimFeedforward: c.dimFeedforward,
    maxLength: Math.max(512, time),
  });
  return {
    ...base,
    id: `transformerLM/t${time}-b${batch}`,
    spec,
    bindings: { batch, time },
    batch,
    config: { ...c, batch, time },
  };
}
