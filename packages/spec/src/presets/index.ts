// Builders for the architectures people ask for first. Each returns a parsed, normalised spec;
// sizes are parameters with defaults small enough for tests.
import { parseSpec } from '../graph.js';
import type { NodeInput } from '../ops/registry.js';
import type { ModelSpec, ModelSpecInput } from '../schema.js';

function build(spec: Omit<ModelSpecInput, 'format'>): ModelSpec {
  return parseSpec({ format: 'tessera.model/v1', ...spec });
}

/** The sizes of rnnClassifier; each left out takes its default (presetParameters.rnnClassifier). */
export interface RnnClassifierOptions {
  cell?: 'rnn' | 'lstm' | 'gru';
  inputSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  bidirectional?: boolean;
  numClasses?: number;
  /**
   * Padded batches: an int32 [batch] input `lengths` with each sequence's length; the
   * recurrence packs them and the head reads its final state h_n (both directions of the top
   * layer when bidirectional, as torch.cat((h_n[-2], h_n[-1]), 1)) instead of the last step.
   */
  lengths?: boolean;
}

/**
 * A sequence classifier: recurrence over [batch, time, inputSize], its last step (or, with
 * `lengths`, its final state after each sequence's last valid step), linear logits.
 */
export function rnnClassifier(o: RnnClassifierOptions = {}): ModelSpec {
  const {
    cell = 'lstm',
    inputSize = 8,
    hiddenSize = 16,
    numLayers = 1,
    bidirectional = false,
    numClasses = 4,
    lengths = false,
  } = o;
  const summary: NodeInput[] = !lengths
    ? [{ id: 'last', op: 'select', dim: 1, index: -1 }]
    : bidirectional
      ? [
          { id: 'last_forward', op: 'select', input: 'rnn:h_n', dim: 0, index: -2 },
          { id: 'last_backward', op: 'select', input: 'rnn:h_n', dim: 0, index: -1 },
          { id: 'last', op: 'concat', input: ['last_forward', 'last_backward'], dim: 1 },
        ]
      : [{ id: 'last', op: 'select', input: 'rnn:h_n', dim: 0, index: -1 }];
  return build({
    name: `${cell}-classifier`,
    inputs: {
      x: { dtype: 'float32', shape: ['batch', 'time', inputSize] },
      ...(lengths ? { lengths: { dtype: 'int32', shape: ['batch'] } } : {}),
    },
    outputs: { logits: 'head' },
    nodes: [
      {
        id: 'rnn',
        op: cell,
        input: 'x',
        inputSize,
        hiddenSize,
        numLayers,
        bidirectional,
        ...(lengths ? { lengths: 'lengths' } : {}),
      },
      ...summary,
      {
        id: 'head',
        op: 'linear',
        input: 'last',
        inFeatures: hiddenSize * (bidirectional ? 2 : 1),
        outFeatures: numClasses,
      },
    ],
  });
}

/** The sizes of charRnnLM; each left out takes its default (presetParameters.charRnnLM). */
export interface CharRnnLMOptions {
  vocabSize?: number;
  embeddingDim?: number;
  hiddenSize?: number;
  numLayers?: number;
  cell?: 'rnn' | 'lstm' | 'gru';
}

/** A character-level language model: embedding, recurrence, per-step logits [batch, time, vocab]. */
export function charRnnLM(o: CharRnnLMOptions = {}): ModelSpec {
  const { vocabSize = 64, embeddingDim = 32, hiddenSize = 64, numLayers = 1, cell = 'lstm' } = o;
  return build({
    name: 'char-rnn-lm',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    outputs: { logits: 'head' },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: vocabSize, embeddingDim },
      { id: 'rnn', op: cell, inputSize: embeddingDim, hiddenSize, numLayers },
      { id: 'head', op: 'linear', inFeatures: hiddenSize, outFeatures: vocabSize },
    ],
  });
}

/**
 * The sizes of cnnClassifier (LeNet-5's by default): input image, classes, conv channels, hidden
 * widths.
 */
export interface CnnClassifierOptions {
  inChannels?: number;
  height?: number;
  width?: number;
  numClasses?: number;
  channels?: [number, number];
  hidden?: [number, number];
}

/** LeNet-5 style: two conv(5×5)-relu-maxpool(2) stages, then three linear layers. */
export function cnnClassifier(o: CnnClassifierOptions = {}): ModelSpec {
  const {
    inChannels = 1,
    height = 28,
    width = 28,
    numClasses = 10,
    channels = [6, 16],
    hidden = [120, 84],
  } = o;
  // conv1 pads 2 ("same"), pool halves; conv2 is valid (−4), pool halves.
  const h = Math.floor((Math.floor(height / 2) - 4) / 2);
  const w = Math.floor((Math.floor(width / 2) - 4) / 2);
  return build({
    name: 'cnn-classifier',
    inputs: { image: { dtype: 'float32', shape: ['batch', inChannels, height, width] } },
    outputs: { logits: 'fc3' },
    nodes: [
      {
        id: 'conv1',
        op: 'conv2d',
        inChannels,
        outChannels: channels[0],
        kernelSize: 5,
        padding: 2,
      },
      { id: 'relu1', op: 'relu' },
      { id: 'pool1', op: 'maxPool2d', kernelSize: 2 },
      {
        id: 'conv2',
        op: 'conv2d',
        inChannels: channels[0],
        outChannels: channels[1],
        kernelSize: 5,
      },
      { id: 'relu2', op: 'relu' },
      { id: 'pool2', op: 'maxPool2d', kernelSize: 2 },
      { id: 'flat', op: 'flatten', startDim: 1 },
      { id: 'fc1', op: 'linear', inFeatures: channels[1] * h * w, outFeatures: hidden[0] },
      { id: 'relu3', op: 'relu' },
      { id: 'fc2', op: 'linear', inFeatures: hidden[0], outFeatures: hidden[1] },
      { id: 'relu4', op: 'relu' },
      { id: 'fc3', op: 'linear', inFeatures: hidden[1], outFeatures: numClasses },
    ],
  });
}

/** The sizes of resnetTiny; each left out takes its default (presetParameters.resnetTiny). */
export interface ResnetTinyOptions {
  inChannels?: number;
  size?: number;
  channels?: number;
  blocks?: number;
  numClasses?: number;
}

/** A small residual net: conv stem, `blocks` basic blocks (conv-bn-relu-conv-bn + skip, relu), pooled head. */
export function resnetTiny(o: ResnetTinyOptions = {}): ModelSpec {
  const { inChannels = 3, size = 16, channels = 8, blocks = 2, numClasses = 10 } = o;
  const nodes: NodeInput[] = [
    {
      id: 'stem',
      op: 'conv2d',
      inChannels,
      outChannels: channels,
      kernelSize: 3,
      padding: 1,
      bias: false,
    },
    { id: 'stem_bn', op: 'batchNorm', numFeatures: channels },
    { id: 'stem_relu', op: 'relu' },
  ];
  let prev = 'stem_relu';
  for (let b = 0; b < blocks; b++) {
    const p = `block${b}`;
    nodes.push(
      {
        id: `${p}_conv1`,
        op: 'conv2d',
        input: prev,
        inChannels: channels,
        outChannels: channels,
        kernelSize: 3,
        padding: 1,
        bias: false,
      },
      { id: `${p}_bn1`, op: 'batchNorm', numFeatures: channels },
      { id: `${p}_relu1`, op: 'relu' },
      {
        id: `${p}_conv2`,
        op: 'conv2d',
        inChannels: channels,
        outChannels: channels,
        kernelSize: 3,
        padding: 1,
        bias: false,
      },
      { id: `${p}_bn2`, op: 'batchNorm', numFeatures: channels },
      { id: `${p}_add`, op: 'add', input: [`${p}_bn2`, prev] },
      { id: `${p}_relu2`, op: 'relu' },
    );
    prev = `${p}_relu2`;
  }
  nodes.push(
    { id: 'pool', op: 'globalAvgPool', input: prev },
    { id: 'flat', op: 'flatten', startDim: 1 },
    { id: 'fc', op: 'linear', inFeatures: channels, outFeatures: numClasses },
  );
  return build({
    name: 'resnet-tiny',
    inputs: { image: { dtype: 'float32', shape: ['batch', inChannels, size, size] } },
    outputs: { logits: 'fc' },
    nodes,
  });
}

/** The sizes of transformerLM; each left out takes its default (presetParameters.transformerLM). */
export interface TransformerLMOptions {
  vocabSize?: number;
  dModel?: number;
  nhead?: number;
  numLayers?: number;
  dimFeedforward?: number;
  maxLength?: number;
  positional?: 'learned' | 'sinusoidal';
  activation?: 'relu' | 'gelu';
}

/** GPT-style: embedding, positional embedding, N causal pre-norm encoder layers, final norm, head. */
export function transformerLM(o: TransformerLMOptions = {}): ModelSpec {
  const {
    vocabSize = 64,
    dModel = 32,
    nhead = 4,
    numLayers = 2,
    dimFeedforward = 4 * dModel,
    maxLength = 64,
    positional = 'learned',
    activation = 'gelu',
  } = o;
  const nodes: NodeInput[] = [
    { id: 'embed', op: 'embedding', numEmbeddings: vocabSize, embeddingDim: dModel },
    { id: 'pos', op: 'positionalEmbedding', kind: positional, maxLength, embeddingDim: dModel },
  ];
  for (let i = 0; i < numLayers; i++) {
    nodes.push({
      id: `block${i}`,
      op: 'transformerEncoderLayer',
      dModel,
      nhead,
      dimFeedforward,
      activation,
      normFirst: true,
      causal: true,
      dropout: 0,
    });
  }
  nodes.push(
    { id: 'norm', op: 'layerNorm', normalizedShape: [dModel] },
    { id: 'head', op: 'linear', inFeatures: dModel, outFeatures: vocabSize, bias: false },
  );
  return build({
    name: 'transformer-lm',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    outputs: { logits: 'head' },
    nodes,
  });
}

/**
 * The sizes of llamaLM, as a Hugging Face LlamaConfig gives them; each left out takes its default.
 */
export interface LlamaLMOptions {
  vocabSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  numHeads?: number;
  numKeyValueHeads?: number;
  intermediateSize?: number;
  ropeTheta?: number;
  rmsNormEps?: number;
  /** Hugging Face's tie_word_embeddings: lm_head reads embed_tokens' table. */
  tieWordEmbeddings?: boolean;
  /** max_position_embeddings: rotary positions need no table, so it is only recorded. */
  maxLength?: number;
  /** head_dim: each head's size, when it is not hiddenSize / numHeads. */
  headDim?: number;
  /** Biases on q_proj, k_proj, v_proj (Qwen2's; Llama's attention_bias sets this and outputBias). */
  attentionBias?: boolean;
  /** A bias on o_proj (Llama's attention_bias). */
  outputBias?: boolean;
  /** Biases on gate_proj, up_proj, down_proj (Llama's mlp_bias). */
  mlpBias?: boolean;
  /** The gated MLP's activation (hidden_act): silu (default), gelu (erf) or geluTanh. */
  activation?: 'silu' | 'gelu' | 'geluTanh';
}

/**
 * A LLaMA-family decoder (Llama, Mistral, Qwen2, SmolLM) with Hugging Face's weight names:
 * embed_tokens, then per layer x + self_attn(input_layernorm(x)), x + mlp(post_attention_layernorm(x)),
 * the final norm and lm_head (tied to embed_tokens when tieWordEmbeddings).
 */
export function llamaLM(o: LlamaLMOptions = {}): ModelSpec {
  const {
    vocabSize = 64,
    hiddenSize = 32,
    numLayers = 2,
    numHeads = 4,
    numKeyValueHeads = 2,
    intermediateSize = 64,
    ropeTheta = 10000,
    rmsNormEps = 1e-6,
    tieWordEmbeddings = false,
    maxLength,
    headDim,
    attentionBias = false,
    outputBias = false,
    mlpBias = false,
    activation = 'silu',
  } = o;
  const nodes: NodeInput[] = [
    {
      id: 'embed_tokens',
      op: 'embedding',
      numEmbeddings: vocabSize,
      embeddingDim: hiddenSize,
      weightPrefix: 'model.embed_tokens',
    },
  ];
  const norm = (id: string, input: string, weightPrefix: string): NodeInput => ({
    id,
    op: 'rmsNorm',
    input,
    normalizedShape: [hiddenSize],
    eps: rmsNormEps,
    weightPrefix,
  });
  let x = 'embed_tokens';
  for (let i = 0; i < numLayers; i++) {
    const p = `model.layers.${i}`;
    const l = `l${i}`;
    nodes.push(
      norm(`${l}_input_layernorm`, x, `${p}.input_layernorm`),
      {
        id: `${l}_self_attn`,
        op: 'attention',
        hiddenSize,
        numHeads,
        numKeyValueHeads,
        ...(headDim === undefined ? {} : { headDim }),
        bias: attentionBias,
        outputBias,
        rope: { theta: ropeTheta },
        weightPrefix: `${p}.self_attn`,
      },
      { id: `${l}_attn_residual`, op: 'add', input: [x, `${l}_self_attn`] },
      norm(`${l}_post_attention_layernorm`, `${l}_attn_residual`, `${p}.post_attention_layernorm`),
      {
        id: `${l}_mlp`,
        op: 'gatedMlp',
        hiddenSize,
        intermediateSize,
        activation,
        bias: mlpBias,
        weightPrefix: `${p}.mlp`,
      },
      { id: `${l}_mlp_residual`, op: 'add', input: [`${l}_attn_residual`, `${l}_mlp`] },
    );
    x = `${l}_mlp_residual`;
  }
  nodes.push(norm('norm', x, 'model.norm'), {
    id: 'lm_head',
    op: 'linear',
    inFeatures: hiddenSize,
    outFeatures: vocabSize,
    bias: false,
    ...(tieWordEmbeddings ? { tiedTo: 'embed_tokens' } : {}),
  });
  return build({
    name: 'llama-lm',
    ...(maxLength === undefined ? {} : { description: `max_position_embeddings ${maxLength}` }),
    inputs: { input_ids: { dtype: 'int32', shape: ['batch', 'time'] } },
    outputs: { logits: 'lm_head' },
    nodes,
  });
}

/**
 * The sizes of speechRecognizer; each left out takes its default
 * (presetParameters.speechRecognizer).
 */
export interface SpeechRecognizerOptions {
  numFeatures?: number;
  convChannels?: number;
  kernelSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  numClasses?: number;
  /**
   * Padded batches: an int32 [batch] input `lengths` (each utterance's frames) that the GRU
   * packs; the logits past a length are the head's bias, which CTC ignores given the same
   * input lengths.
   */
  lengths?: boolean;
}

/**
 * Speech to per-frame CTC logits: features [batch, numFeatures, frames] → conv1d ("same") → relu
 * → permute to [batch, frames, channels] → bidirectional GRU → linear [batch, frames, numClasses].
 * Class 0 is the CTC blank.
 */
export function speechRecognizer(o: SpeechRecognizerOptions = {}): ModelSpec {
  const {
    numFeatures = 40,
    convChannels = 32,
    kernelSize = 5,
    hiddenSize = 32,
    numLayers = 1,
    numClasses = 29,
    lengths = false,
  } = o;
  return build({
    name: 'speech-recognizer',
    inputs: {
      features: { dtype: 'float32', shape: ['batch', numFeatures, 'frames'] },
      ...(lengths ? { lengths: { dtype: 'int32', shape: ['batch'] } } : {}),
    },
    outputs: { logits: 'head' },
    nodes: [
      {
        id: 'conv',
        op: 'conv1d',
        input: 'features',
        inChannels: numFeatures,
        outChannels: convChannels,
        kernelSize,
        padding: 'same',
      },
      { id: 'relu', op: 'relu' },
      { id: 'frames', op: 'permute', dims: [0, 2, 1] },
      {
        id: 'gru',
        op: 'gru',
        inputSize: convChannels,
        hiddenSize,
        numLayers,
        bidirectional: true,
        ...(lengths ? { lengths: 'lengths' } : {}),
      },
      { id: 'head', op: 'linear', inFeatures: 2 * hiddenSize, outFeatures: numClasses },
    ],
  });
}

/** The sizes of seq2seqTransformer, PyTorch's translation tutorial's names where it has them. */
export interface Seq2seqTransformerOptions {
  srcVocabSize?: number;
  tgtVocabSize?: number;
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  dimFeedforward?: number;
  /** The most positions of the source and of the target (the sinusoidal table's length). */
  maxLength?: number;
  activation?: 'relu' | 'gelu';
  /**
   * Padded batches: int32 [batch] inputs `src_lengths` and `tgt_lengths`; the encoder masks
   * padded source keys (src_key_padding_mask), the decoder its padded target keys and, in the
   * cross-attention, the padded memory (tgt_ and memory_key_padding_mask).
   */
  lengths?: boolean;
  /**
   * The source padded only: an int32 [batch] input `src_lengths` masks the encoder's padded keys
   * and the cross-attention's padded memory, and the target has no lengths, so the model decodes
   * step by step (generation over a padded batch of sources, with the weights `lengths` trained).
   * Implied by `lengths`.
   */
  sourceLengths?: boolean;
}

/**
 * An encoder–decoder transformer as PyTorch's translation tutorial builds it (Seq2SeqTransformer
 * over nn.Transformer, post-norm): token embeddings scaled by √dModel plus sinusoidal positions,
 * the encoder's layers and final norm over `src` give the memory, the decoder's causal layers
 * and final norm over `tgt` read it, and `generator` gives the logits [batch, time, tgtVocab].
 * Weight names are the tutorial's (`src_tok_emb.embedding`, `transformer.encoder.layers.N`,
 * `transformer.decoder.norm`, `generator`), so its state_dict loads as it is.
 */
export function seq2seqTransformer(o: Seq2seqTransformerOptions = {}): ModelSpec {
  const {
    srcVocabSize = 64,
    tgtVocabSize = 64,
    dModel = 32,
    nhead = 4,
    numEncoderLayers = 2,
    numDecoderLayers = 2,
    dimFeedforward = 4 * dModel,
    maxLength = 64,
    activation = 'relu',
    lengths = false,
    sourceLengths = false,
  } = o;
  const layer = { dModel, nhead, dimFeedforward, activation, dropout: 0 };
  const source = lengths || sourceLengths;
  const srcMask = source ? { lengths: 'src_lengths' } : {};
  const embed = (side: 'src' | 'tgt', vocab: number, input: string): NodeInput[] => [
    {
      id: `${side}_embed`,
      op: 'embedding',
      input,
      numEmbeddings: vocab,
      embeddingDim: dModel,
      weightPrefix: `${side}_tok_emb.embedding`,
    },
    { id: `${side}_scaled`, op: 'scale', factor: Math.sqrt(dModel) },
    {
      id: `${side}_pos`,
      op: 'positionalEmbedding',
      kind: 'sinusoidal',
      maxLength,
      embeddingDim: dModel,
    },
  ];
  const nodes: NodeInput[] = [...embed('src', srcVocabSize, 'src')];
  for (let i = 0; i < numEncoderLayers; i++)
    nodes.push({
      id: `encoder${i}`,
      op: 'transformerEncoderLayer',
      ...layer,
      ...srcMask,
      weightPrefix: `transformer.encoder.layers.${i}`,
    });
  nodes.push(
    {
      id: 'memory',
      op: 'layerNorm',
      normalizedShape: [dModel],
      weightPrefix: 'transformer.encoder.norm',
    },
    ...embed('tgt', tgtVocabSize, 'tgt'),
  );
  for (let i = 0; i < numDecoderLayers; i++)
    nodes.push({
      id: `decoder${i}`,
      op: 'transformerDecoderLayer',
      input: [i === 0 ? 'tgt_pos' : `decoder${i - 1}`, 'memory'],
      ...layer,
      causal: true,
      ...(lengths ? { lengths: 'tgt_lengths' } : {}),
      ...(source ? { memoryLengths: 'src_lengths' } : {}),
      weightPrefix: `transformer.decoder.layers.${i}`,
    });
  nodes.push(
    {
      id: 'decoder_norm',
      op: 'layerNorm',
      normalizedShape: [dModel],
      weightPrefix: 'transformer.decoder.norm',
    },
    { id: 'generator', op: 'linear', inFeatures: dModel, outFeatures: tgtVocabSize },
  );
  return build({
    name: 'seq2seq-transformer',
    inputs: {
      src: { dtype: 'int32', shape: ['batch', 'srcTime'] },
      tgt: { dtype: 'int32', shape: ['batch', 'time'] },
      ...(source ? { src_lengths: { dtype: 'int32', shape: ['batch'] } } : {}),
      ...(lengths ? { tgt_lengths: { dtype: 'int32', shape: ['batch'] } } : {}),
    },
    outputs: { logits: 'generator' },
    nodes,
  });
}

/** Every preset's builder by name, for CLIs and playgrounds (defaults in presetParameters). */
export const presets = {
  /** {@link rnnClassifier}: a recurrent sequence classifier. */
  rnnClassifier,
  /** {@link charRnnLM}: a character-level recurrent language model. */
  charRnnLM,
  /** {@link cnnClassifier}: LeNet-5 style image classifier. */
  cnnClassifier,
  /** {@link resnetTiny}: a small residual image classifier. */
  resnetTiny,
  /** {@link transformerLM}: a GPT-style decoder-only language model. */
  transformerLM,
  /** {@link llamaLM}: a Llama-architecture language model with Hugging Face's weight names. */
  llamaLM,
  /** {@link speechRecognizer}: conv1d and bidirectional GRU giving per-frame CTC logits. */
  speechRecognizer,
  /** {@link seq2seqTransformer}: an encoder–decoder transformer (PyTorch's tutorial). */
  seq2seqTransformer,
} as const;

/** The name of a preset, a key of `presets`. */
export type PresetName = keyof typeof presets;

/** The size parameters of each preset and their defaults (numbers, enums or booleans). */
export const presetParameters: Record<
  PresetName,
  Record<string, number | string | boolean | number[]>
> = {
  rnnClassifier: {
    cell: 'lstm',
    inputSize: 8,
    hiddenSize: 16,
    numLayers: 1,
    bidirectional: false,
    numClasses: 4,
    lengths: false,
  },
  charRnnLM: { vocabSize: 64, embeddingDim: 32, hiddenSize: 64, numLayers: 1, cell: 'lstm' },
  cnnClassifier: {
    inChannels: 1,
    height: 28,
    width: 28,
    numClasses: 10,
    channels: [6, 16],
    hidden: [120, 84],
  },
  resnetTiny: { inChannels: 3, size: 16, channels: 8, blocks: 2, numClasses: 10 },
  transformerLM: {
    vocabSize: 64,
    dModel: 32,
    nhead: 4,
    numLayers: 2,
    dimFeedforward: 128,
    maxLength: 64,
    positional: 'learned',
    activation: 'gelu',
  },
  llamaLM: {
    vocabSize: 64,
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 4,
    numKeyValueHeads: 2,
    intermediateSize: 64,
    ropeTheta: 10000,
    rmsNormEps: 1e-6,
    tieWordEmbeddings: false,
    attentionBias: false,
    outputBias: false,
    mlpBias: false,
    activation: 'silu',
  },
  seq2seqTransformer: {
    srcVocabSize: 64,
    tgtVocabSize: 64,
    dModel: 32,
    nhead: 4,
    numEncoderLayers: 2,
    numDecoderLayers: 2,
    dimFeedforward: 128,
    maxLength: 64,
    activation: 'relu',
    lengths: false,
    sourceLengths: false,
  },
  speechRecognizer: {
    numFeatures: 40,
    convChannels: 32,
    kernelSize: 5,
    hiddenSize: 32,
    numLayers: 1,
    numClasses: 29,
    lengths: false,
  },
};

/** The values a preset's string parameters allow (the others take any value of their type). */
export const presetChoices: Partial<Record<PresetName, Record<string, readonly string[]>>> = {
  rnnClassifier: { cell: ['rnn', 'lstm', 'gru'] },
  charRnnLM: { cell: ['rnn', 'lstm', 'gru'] },
  transformerLM: { positional: ['learned', 'sinusoidal'], activation: ['relu', 'gelu'] },
  llamaLM: { activation: ['silu', 'gelu', 'geluTanh'] },
  seq2seqTransformer: { activation: ['relu', 'gelu'] },
};

/**
 * Builds preset `name` with `options` (its size parameters; each left out takes its default),
 * as the CLI's `tessera preset` does.
 *
 * @example
 * const spec = buildPreset('transformerLM', { vocabSize: 96, numLayers: 4 });
 */
export function buildPreset(name: PresetName, options: Record<string, unknown> = {}): ModelSpec {
  return (presets[name] as (o: Record<string, unknown>) => ModelSpec)(options);
}
