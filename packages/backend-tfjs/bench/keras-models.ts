// The bench's baselines: the same architectures as Tessera's presets, written by hand with
// tf.layers (the Keras-style API) and loaded with the same PyTorch-layout weights, converted the
// way a person porting the model would (transposed kernels, HWIO filters, one LSTM bias, fc1's
// rows permuted because Keras flattens NHWC).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Weights } from '@tessera/spec';

const t = (w: Tensor) => tf.tensor(w.data, w.shape, 'float32');
const get = (weights: Weights, name: string) => {
  const w = weights.get(name);
  if (w === undefined) throw new Error(`bench: weight ${name} is missing`);
  return t(w);
};
/** PyTorch [out, in] → Keras [in, out]. */
const kernel = (weights: Weights, name: string) => tf.tidy(() => tf.transpose(get(weights, name)));

/** x + P[:T] with a learned P [maxLength, d]. */
class LearnedPositions extends tf.layers.Layer {
  static className = 'LearnedPositions';
  private table!: tf.LayerVariable;
  constructor(
    private readonly maxLength: number,
    private readonly dim: number,
  ) {
    super({});
  }
  override build(): void {
    this.table = this.addWeight(
      'table',
      [this.maxLength, this.dim],
      'float32',
      tf.initializers.zeros(),
    );
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(x, tf.slice(this.table.read(), [0, 0], [x.shape[1]!, this.dim]));
  }
}

/** Causal multi-head self-attention with PyTorch's packed in_proj layout. */
class CausalSelfAttention extends tf.layers.Layer {
  static className = 'CausalSelfAttention';
  private inKernel!: tf.LayerVariable;
  private inBias!: tf.LayerVariable;
  private outKernel!: tf.LayerVariable;
  private outBias!: tf.LayerVariable;
  constructor(
    private readonly dim: number,
    private readonly heads: number,
  ) {
    super({});
  }
  override build(): void {
    const e = this.dim;
    const zeros = tf.initializers.zeros();
    this.inKernel = this.addWeight('in_kernel', [e, 3 * e], 'float32', zeros);
    this.inBias = this.addWeight('in_bias', [3 * e], 'float32', zeros);
    this.outKernel = this.addWeight('out_kernel', [e, e], 'float32', zeros);
    this.outBias = this.addWeight('out_bias', [e], 'float32', zeros);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, time, e] = x.shape as number[];
      const h = this.heads;
      const dh = e / h;
      const qkv = tf.add(
        tf.matMul(tf.reshape(x, [b * time, e]), this.inKernel.read()),
        this.inBias.read(),
      );
      const [q, k, v] = tf.unstack(
        tf.transpose(tf.reshape(qkv, [b, time, 3, h, dh]), [2, 0, 3, 1, 4]),
      );
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
      // Additive causal mask: 0 on and below the diagonal, -1e9 above it.
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([time, time]), -1, 0)), -1e9);
      const masked = tf.add(scores, mask);
      const ctx = tf.reshape(tf.transpose(tf.matMul(tf.softmax(masked), v), [0, 2, 1, 3]), [
        b * time,
        e,
      ]);
      return tf.reshape(tf.add(tf.matMul(ctx, this.outKernel.read()), this.outBias.read()), [
        b,
        time,
        e,
      ]);
    });
  }
}

export interface TransformerSizes {
  vocabSize: number;
  dModel: number;
  nhead: number;
  numLayers: number;
  dimFeedforward: number;
  maxLength: number;
  time: number;
}

/** GPT-style pre-norm causal transformer, as transformerLM builds it. */
export function kerasTransformerLM(s: TransformerSizes, w: Weights): tf.LayersModel {
  const tokens = tf.input({ shape: [s.time], dtype: 'int32' });
  const embed = tf.layers.embedding({ inputDim: s.vocabSize, outputDim: s.dModel });
  const pos = new LearnedPositions(s.maxLength, s.dModel);
  let x = pos.apply(embed.apply(tokens)) as tf.SymbolicTensor;
  const set: [tf.layers.Layer, tf.Tensor[]][] = [
    [embed, [get(w, 'embed.weight')]],
    [pos, [get(w, 'pos.weight')]],
  ];
  for (let i = 0; i < s.numLayers; i++) {
    const p = `block${i}.`;
    const norm1 = tf.layers.layerNormalization({ epsilon: 1e-5 });
    const attn = new CausalSelfAttention(s.dModel, s.nhead);
    const norm2 = tf.layers.layerNormalization({ epsilon: 1e-5 });
    const ff1 = tf.layers.dense({ units: s.dimFeedforward, activation: 'gelu' });
    const ff2 = tf.layers.dense({ units: s.dModel });
    x = tf.layers
      .add()
      .apply([x, attn.apply(norm1.apply(x)) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    x = tf.layers
      .add()
      .apply([x, ff2.apply(ff1.apply(norm2.apply(x))) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    set.push(
      [norm1, [get(w, `${p}norm1.weight`), get(w, `${p}norm1.bias`)]],
      [
        attn,
        [
          kernel(w, `${p}self_attn.in_proj_weight`),
          get(w, `${p}self_attn.in_proj_bias`),
          kernel(w, `${p}self_attn.out_proj.weight`),
          get(w, `${p}self_attn.out_proj.bias`),
        ],
      ],
      [norm2, [get(w, `${p}norm2.weight`), get(w, `${p}norm2.bias`)]],
      [ff1, [kernel(w, `${p}linear1.weight`), get(w, `${p}linear1.bias`)]],
      [ff2, [kernel(w, `${p}linear2.weight`), get(w, `${p}linear2.bias`)]],
    );
  }
  const norm = tf.layers.layerNormalization({ epsilon: 1e-5 });
  const head = tf.layers.dense({ units: s.vocabSize, useBias: false });
  const logits = head.apply(norm.apply(x)) as tf.SymbolicTensor;
  set.push(
    [norm, [get(w, 'norm.weight'), get(w, 'norm.bias')]],
    [head, [kernel(w, 'head.weight')]],
  );
  return finish(tf.model({ inputs: tokens, outputs: logits }), set);
}

/** Stacked LSTM over [batch, time, inputSize], last step, linear logits (rnnClassifier). */
export function kerasLstmClassifier(
  s: { inputSize: number; hiddenSize: number; numLayers: number; numClasses: number; time: number },
  w: Weights,
): tf.LayersModel {
  const input = tf.input({ shape: [s.time, s.inputSize] });
  let x: tf.SymbolicTensor = input;
  const set: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (let l = 0; l < s.numLayers; l++) {
    // Keras's gate order (i, f, c, o) is PyTorch's (i, f, g, o); its one bias is b_ih + b_hh.
    const layer = tf.layers.lstm({
      units: s.hiddenSize,
      returnSequences: l < s.numLayers - 1,
      recurrentActivation: 'sigmoid',
      // Overwritten below; the default orthogonal init of a 256×1024 matrix costs seconds.
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
    });
    x = layer.apply(x) as tf.SymbolicTensor;
    const bias = tf.tidy(() => tf.add(get(w, `rnn.bias_ih_l${l}`), get(w, `rnn.bias_hh_l${l}`)));
    set.push([layer, [kernel(w, `rnn.weight_ih_l${l}`), kernel(w, `rnn.weight_hh_l${l}`), bias]]);
  }
  const head = tf.layers.dense({ units: s.numClasses });
  const logits = head.apply(x) as tf.SymbolicTensor;
  set.push([head, [kernel(w, 'head.weight'), get(w, 'head.bias')]]);
  return finish(tf.model({ inputs: input, outputs: logits }), set);
}

/** LeNet-5 on NHWC images (cnnClassifier with its defaults). */
export function kerasCnnClassifier(w: Weights): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const conv1 = tf.layers.conv2d({
    filters: 6,
    kernelSize: 5,
    padding: 'same',
    activation: 'relu',
  });
  const conv2 = tf.layers.conv2d({
    filters: 16,
    kernelSize: 5,
    padding: 'valid',
    activation: 'relu',
  });
  const fc1 = tf.layers.dense({ units: 120, activation: 'relu' });
  const fc2 = tf.layers.dense({ units: 84, activation: 'relu' });
  const fc3 = tf.layers.dense({ units: 10 });
  let x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(conv1.apply(input)) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(conv2.apply(x)) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const logits = fc3.apply(fc2.apply(fc1.apply(x))) as tf.SymbolicTensor;
  const filter = (name: string) => tf.tidy(() => tf.transpose(get(w, name), [2, 3, 1, 0]));
  // PyTorch flattens [16, 5, 5] as (c, h, w); Keras flattens [5, 5, 16] as (h, w, c).
  const fc1Kernel = tf.tidy(() =>
    tf.reshape(
      tf.transpose(tf.reshape(kernel(w, 'fc1.weight'), [16, 5, 5, 120]), [1, 2, 0, 3]),
      [400, 120],
    ),
  );
  return finish(tf.model({ inputs: input, outputs: logits }), [
    [conv1, [filter('conv1.weight'), get(w, 'conv1.bias')]],
    [conv2, [filter('conv2.weight'), get(w, 'conv2.bias')]],
    [fc1, [fc1Kernel, get(w, 'fc1.bias')]],
    [fc2, [kernel(w, 'fc2.weight'), get(w, 'fc2.bias')]],
    [fc3, [kernel(w, 'fc3.weight'), get(w, 'fc3.bias')]],
  ]);
}

function finish(model: tf.LayersModel, set: [tf.layers.Layer, tf.Tensor[]][]): tf.LayersModel {
  for (const [layer, values] of set) {
    layer.setWeights(values);
    tf.dispose(values);
  }
  return model;
}
